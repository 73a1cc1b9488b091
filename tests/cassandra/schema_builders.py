"""Small IR builders for the Cassandra tests: the textbook sensor network, and pattern shorthands."""

from __future__ import annotations

from tests.builders import attr, read, ref, write
from translator.ir import Cardinality, Entity, Relationship, Schema
from translator.workload.model import (
    AccessPattern,
    AttributeStats,
    EntityStats,
    RelationshipStats,
    Statistics,
    Workload,
)

__all__ = ["attr", "read", "ref", "write", "sensor_schema", "sensor_statistics", "sensor_workload"]


def sensor_schema() -> Schema:
    networks = Entity(
        "networks",
        (
            attr("network_id", "integer", bits=64),
            attr("name", "string", length=100),
            attr("region", "string", length=40, nullable=True),
        ),
        primary_key=("network_id",),
    )
    sensors = Entity(
        "sensors",
        (
            attr("sensor_id", "integer", bits=64),
            attr("network_id", "integer", bits=64),
            attr("kind", "string", length=40),
            attr("location", "string", length=100, nullable=True),
        ),
        primary_key=("sensor_id",),
    )
    measurements = Entity(
        "measurements",
        (
            attr("sensor_id", "integer", bits=64),
            attr("date", "date"),
            attr("ts", "timestamp", with_timezone=True),
            attr("value", "float", bits=64),
        ),
        primary_key=("sensor_id", "ts"),
    )
    rels = (
        Relationship(
            "sensors_network_fk",
            "sensors",
            ("network_id",),
            "networks",
            ("network_id",),
            Cardinality.MANY_TO_ONE,
            False,
        ),
        Relationship(
            "measurements_sensor_fk",
            "measurements",
            ("sensor_id",),
            "sensors",
            ("sensor_id",),
            Cardinality.MANY_TO_ONE,
            False,
        ),
    )
    return Schema((networks, sensors, measurements), rels)


SECONDS_PER_YEAR = 365 * 86400
YEARS = 3


def sensor_statistics() -> Statistics:
    """1,000 networks, 100 sensors each, 1 reading per second per sensor for three years."""
    per_sensor = SECONDS_PER_YEAR * YEARS
    sensors = 100_000
    return Statistics(
        entities={
            "networks": EntityStats(1_000, 120),
            "sensors": EntityStats(sensors, 150),
            "measurements": EntityStats(sensors * per_sensor, 40),
        },
        relationships={
            "sensors.network_id": RelationshipStats(100, 150, 200),
            "measurements.sensor_id": RelationshipStats(per_sensor, per_sensor, per_sensor),
        },
        attributes={"measurements.date": AttributeStats(distinct=365 * YEARS)},
    )


def sensor_workload(*extra: AccessPattern) -> Workload:
    return Workload(
        (
            read("Q1", "measurements", equality=("sensor_id", "date"), order=(("ts", "desc"),)),
            read("Q2", "sensors", equality=("network_id",), order=(("sensor_id", "asc"),)),
            read("Q3", "networks", order=(("name", "asc"),)),
            *extra,
        ),
        sensor_statistics(),
    )
