"""The Cassandra design record: frozen dataclasses whose `to_dict()` is the stable `--format json` form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import Diagnostic

__all__ = ["Decision", "Column", "Clustering", "ChildLayout", "Udt", "Bucketing", "PartitionEstimate", "Table",
           "ReadPlan", "WritePlan", "Keyspace", "CassandraDesign"]


@dataclass(frozen=True, slots=True)
class Decision:
    """Why something was chosen: the rule applied, a sentence, the numbers used, and the assumed inputs."""

    rule: str
    reason: str
    numbers: tuple[tuple[str, float], ...] = ()
    assumed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "reason": self.reason, "numbers": dict(self.numbers), "assumed": list(self.assumed)}


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. `source` is `entity.attribute`, `entity[]` for an embedded child list, or `bucket`."""

    name: str
    type: str
    source: str
    entity: str | None = None
    attribute: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "source": self.source}


@dataclass(frozen=True, slots=True)
class Clustering:
    column: str
    order: str  # "ASC" | "DESC"

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "order": self.order}


@dataclass(frozen=True, slots=True)
class ChildLayout:
    """How a child entity read `with` the main one is stored: as clustering rows or as a frozen UDT list."""

    entity: str
    relationship: str
    layout: str  # "rows" | "udt-list"
    column: str | None = None  # the list column for "udt-list"
    udt: str | None = None
    key: tuple[str, ...] = ()  # child attributes ordering the list / forming clustering

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "relationship": self.relationship, "layout": self.layout,
                "column": self.column, "udt": self.udt}


@dataclass(frozen=True, slots=True)
class Udt:
    name: str
    fields: tuple[Column, ...]
    entity: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "entity": self.entity, "fields": [f.to_dict() for f in self.fields]}


@dataclass(frozen=True, slots=True)
class Bucketing:
    """A column added to the partition key: one constant bucket, a time bucket or a hash bucket."""

    kind: str  # "single" | "time" | "hash"
    column: str
    unit: str | None = None  # time: month/week/day/hour
    count: int | None = None  # hash: number of buckets
    attribute: str | None = None  # time: the attribute bucketed; hash: the key hashed (comma-joined)
    query: str = ""
    decision: Decision | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "unit": self.unit, "count": self.count,
                "attribute": self.attribute, "query": self.query,
                "decision": self.decision.to_dict() if self.decision else None}


@dataclass(frozen=True, slots=True)
class PartitionEstimate:
    rows_avg: float
    rows_max: float
    cells_avg: float
    cells_max: float
    bytes_avg: float
    bytes_max: float
    assumed: tuple[str, ...] = ()
    over_limits: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rows_avg": round(self.rows_avg, 2), "rows_max": round(self.rows_max, 2),
                "cells_avg": round(self.cells_avg, 2), "cells_max": round(self.cells_max, 2),
                "bytes_avg": round(self.bytes_avg, 1), "bytes_max": round(self.bytes_max, 1),
                "over_limits": list(self.over_limits), "assumed": list(self.assumed)}


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    entity: str
    serves: tuple[str, ...]
    partition_key: tuple[str, ...]
    clustering: tuple[Clustering, ...]
    static: tuple[str, ...]
    columns: tuple[Column, ...]
    parents: tuple[tuple[str, str], ...] = ()  # (entity, relationship) denormalized parents
    children: tuple[ChildLayout, ...] = ()
    estimate: PartitionEstimate | None = None
    unbucketed_estimate: PartitionEstimate | None = None
    bucketing: Bucketing | None = None
    decisions: tuple[Decision, ...] = ()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def primary_key(self) -> tuple[str, ...]:
        return (*self.partition_key, *(c.column for c in self.clustering))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "entity": self.entity,
            "serves": list(self.serves),
            "partition_key": list(self.partition_key),
            "clustering": [c.to_dict() for c in self.clustering],
            "static": list(self.static),
            "columns": [c.to_dict() for c in self.columns],
            "children": [c.to_dict() for c in self.children],
            "partition_estimate": self.estimate.to_dict() if self.estimate else None,
            "unbucketed_estimate": self.unbucketed_estimate.to_dict() if self.unbucketed_estimate else None,
            "bucketing": self.bucketing.to_dict() if self.bucketing else None,
            "decisions": [d.to_dict() for d in self.decisions],
        }


@dataclass(frozen=True, slots=True)
class ReadPlan:
    id: str
    table: str
    query: str
    partitions: str  # "single" | "in-buckets"
    assumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "table": self.table, "query": self.query, "partitions": self.partitions,
                "assumed": self.assumed}


@dataclass(frozen=True, slots=True)
class WritePlan:
    id: str
    kind: str
    entity: str
    tables: tuple[str, ...]
    rows_per_write: float
    logged_batch: bool
    amplified: bool
    reason: str
    assumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "entity": self.entity, "tables": list(self.tables),
                "rows_per_write": round(self.rows_per_write, 2), "logged_batch": self.logged_batch,
                "write_amplification": self.amplified, "reason": self.reason, "assumed": self.assumed}


@dataclass(frozen=True, slots=True)
class Keyspace:
    name: str
    replication: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "replication": {"class": "NetworkTopologyStrategy", **dict(self.replication)}}


@dataclass(frozen=True)
class CassandraDesign:
    keyspace: Keyspace
    tables: tuple[Table, ...]
    udts: tuple[Udt, ...]
    reads: tuple[ReadPlan, ...]
    writes: tuple[WritePlan, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    assumed: bool = False

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table {name!r} in the design")

    def read(self, pattern_id: str) -> ReadPlan:
        for read in self.reads:
            if read.id == pattern_id:
                return read
        raise KeyError(f"no read plan for pattern {pattern_id!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "polyschema.cassandra/1",
            "keyspace": self.keyspace.to_dict(),
            "udts": [u.to_dict() for u in self.udts],
            "tables": [t.to_dict() for t in self.tables],
            "reads": [r.to_dict() for r in self.reads],
            "writes": [w.to_dict() for w in self.writes],
            "assumed": self.assumed,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def range_static_column(table: Table, pattern) -> str | None:
    """The STATIC column a pattern's range tests when its table holds one entity row per partition."""
    if pattern.range is None or not any(c.layout == "rows" for c in table.children):
        return None
    return next((c.name for c in table.columns
                 if c.entity == table.entity and c.attribute == pattern.range.attribute), None)
