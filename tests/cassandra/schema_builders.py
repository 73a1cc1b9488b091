"""Small IR builders for the Cassandra tests: the textbook sensor network, and pattern shorthands."""

from __future__ import annotations

from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.types import CanonicalType
from translator.workload.model import (AccessPattern, AttributeRef, AttributeStats, Direction, EntityStats, OrderTerm,
                                       PatternKind, RelationshipStats, Statistics, Workload)

T = CanonicalType.of


def attr(name: str, kind: str, nullable: bool = False, **params) -> Attribute:
    return Attribute(name, T(kind, **params), nullable=nullable)


def sensor_schema() -> Schema:
    networks = Entity("networks", (attr("network_id", "integer", bits=64), attr("name", "string", length=100),
                                   attr("region", "string", length=40, nullable=True)), primary_key=("network_id",))
    sensors = Entity("sensors", (attr("sensor_id", "integer", bits=64), attr("network_id", "integer", bits=64),
                                 attr("kind", "string", length=40), attr("location", "string", length=100, nullable=True)),
                     primary_key=("sensor_id",))
    measurements = Entity("measurements", (attr("sensor_id", "integer", bits=64), attr("date", "date"),
                                           attr("ts", "timestamp", with_timezone=True), attr("value", "float", bits=64)),
                          primary_key=("sensor_id", "ts"))
    rels = (
        Relationship("sensors_network_fk", "sensors", ("network_id",), "networks", ("network_id",), Cardinality.MANY_TO_ONE, False),
        Relationship("measurements_sensor_fk", "measurements", ("sensor_id",), "sensors", ("sensor_id",), Cardinality.MANY_TO_ONE, False),
    )
    return Schema((networks, sensors, measurements), rels)


def ref(entity: str, name: str) -> AttributeRef:
    return AttributeRef(entity, name)


def read(pid: str, entity: str, equality=(), range_=None, order=(), with_=(), limit=None) -> AccessPattern:
    return AccessPattern(
        id=pid, entity=entity, equality=tuple(ref(entity, a) for a in equality),
        range=ref(entity, range_) if range_ else None,
        order_by=tuple(OrderTerm(ref(entity, a), Direction(d)) for a, d in order), with_=tuple(with_), limit=limit)


def write(pid: str, entity: str, kind: str = "write", equality=()) -> AccessPattern:
    return AccessPattern(id=pid, entity=entity, kind=PatternKind(kind), equality=tuple(ref(entity, a) for a in equality))


SECONDS_PER_YEAR = 365 * 86400
YEARS = 3


def sensor_statistics() -> Statistics:
    """1,000 networks, 100 sensors each, 1 reading per second per sensor for three years."""
    per_sensor = SECONDS_PER_YEAR * YEARS
    sensors = 100_000
    return Statistics(
        entities={"networks": EntityStats(1_000, 120), "sensors": EntityStats(sensors, 150),
                  "measurements": EntityStats(sensors * per_sensor, 40)},
        relationships={"sensors.network_id": RelationshipStats(100, 150, 200),
                       "measurements.sensor_id": RelationshipStats(per_sensor, per_sensor, per_sensor)},
        attributes={"measurements.date": AttributeStats(distinct=365 * YEARS)},
    )


def sensor_workload(*extra: AccessPattern) -> Workload:
    return Workload((
        read("Q1", "measurements", equality=("sensor_id", "date"), order=(("ts", "desc"),)),
        read("Q2", "sensors", equality=("network_id",), order=(("sensor_id", "asc"),)),
        read("Q3", "networks", order=(("name", "asc"),)),
        *extra,
    ), sensor_statistics())
