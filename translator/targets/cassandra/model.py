"""The Cassandra design record: structure only (no CQL text). `cql.py` renders every statement from it.

Frozen dataclasses whose `to_dict()` is the stable `--format json` body inside the shared envelope
(`translator.targets.record.envelope`); a read's `query` in the JSON is rendered from its structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from translator.diagnostics import Diagnostic
from translator.targets.record import Decision, envelope

__all__ = ["Order", "BucketKind", "Comparison", "Decision", "Column", "Clustering", "ChildLayout", "Udt",
           "Bucketing", "PartitionEstimate", "Table", "Predicate", "ReadPlan", "WritePlan", "Keyspace",
           "Isolation", "CassandraDesign"]

Order = Literal["ASC", "DESC"]
BucketKind = Literal["single", "time", "hash"]
TimeUnit = Literal["month", "week", "day", "hour"]
Comparison = Literal["=", "IN", ">=", "<="]
Role = Literal["partition", "clustering", "static", "regular"]


@dataclass(frozen=True, slots=True)
class Column:
    """A table column. `source` is `entity.attribute`, `entity[]` for an embedded child list, or `bucket`;
    a copy of an entity the table holds along two paths (two roles) names its path instead of its entity
    (`airports(fk_flights_origin_id).city`), so that sources stay unique within a table.

    `path`: the relationship names followed from the table's entity to `entity` when the value is a copy
    (a denormalized ancestor's attribute); empty for the entity's own attributes.
    """

    name: str
    type: str
    source: str
    entity: str | None = None
    attribute: str | None = None
    path: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str | None, str | None, tuple[str, ...]]:
        """What the column holds: (entity, attribute, path); two roles of one entity differ by path."""
        return (self.entity, self.attribute, self.path)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "source": self.source}


@dataclass(frozen=True, slots=True)
class Clustering:
    column: str
    order: Order

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "order": self.order}


@dataclass(frozen=True, slots=True)
class ChildLayout:
    """How a child entity read `with` the main one is stored: as clustering rows or as a frozen UDT list."""

    entity: str
    relationship: str
    layout: Literal["rows", "udt-list"]
    column: str | None = None  # the list column for "udt-list"
    udt: str | None = None
    key: tuple[str, ...] = ()  # child attributes ordering the list / forming clustering
    reached: str = ""  # the `with` entry served: the child, or the far side of a many-to-many link
    columns: tuple[str, ...] = ()  # "rows": the table columns holding the child and its copied ancestors
    copies: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ancestors of the child copied in: (entity, path)

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "relationship": self.relationship, "layout": self.layout,
                "column": self.column, "udt": self.udt, "reached": self.reached or self.entity,
                "copied_from": [{"entity": e, "path": list(p)} for e, p in self.copies]}


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

    kind: BucketKind
    column: str
    unit: TimeUnit | None = None  # time: the period one bucket covers
    count: int | None = None  # hash: number of buckets
    attribute: str | None = None  # time: the attribute bucketed; hash: the key hashed (comma-joined)
    decision: Decision | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "unit": self.unit, "count": self.count,
                "attribute": self.attribute, "decision": self.decision.to_dict() if self.decision else None}


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
    #: Denormalized ancestors: (entity key, relationship names followed from `entity`), nearest first.
    parents: tuple[tuple[str, tuple[str, ...]], ...] = ()
    children: tuple[ChildLayout, ...] = ()
    estimate: PartitionEstimate | None = None
    unbucketed_estimate: PartitionEstimate | None = None
    bucketing: Bucketing | None = None
    decisions: tuple[Decision, ...] = ()
    #: Rows are (child, parent) pairs, the parent reached along this path: a child without it is not stored.
    pairs: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def primary_key(self) -> tuple[str, ...]:
        return (*self.partition_key, *(c.column for c in self.clustering))

    def role(self, column: str) -> Role:
        if column in self.partition_key:
            return "partition"
        if any(c.column == column for c in self.clustering):
            return "clustering"
        return "static" if column in self.static else "regular"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "entity": self.entity,
            "serves": list(self.serves),
            "partition_key": list(self.partition_key),
            "clustering": [c.to_dict() for c in self.clustering],
            "static": list(self.static),
            "columns": [c.to_dict() for c in self.columns],
            "copied_from": [{"entity": e, "path": list(p)} for e, p in self.parents],
            "children": [c.to_dict() for c in self.children],
            "partition_estimate": self.estimate.to_dict() if self.estimate else None,
            "unbucketed_estimate": self.unbucketed_estimate.to_dict() if self.unbucketed_estimate else None,
            "bucketing": self.bucketing.to_dict() if self.bucketing else None,
            "decisions": [d.to_dict() for d in self.decisions],
            **({"pairs_with": list(self.pairs)} if self.pairs else {}),
        }


@dataclass(frozen=True, slots=True)
class Predicate:
    """One restriction of a read's WHERE clause. `values` None: a bind marker (`?`); else literal integers
    (a constant bucket `= 0`, or the hash buckets `IN (0, 1, ...)`)."""

    column: str
    op: Comparison
    values: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class ReadPlan:
    id: str
    table: str
    keyspace: str
    columns: tuple[str, ...]
    predicates: tuple[Predicate, ...]
    partitions: Literal["single", "in-buckets"]
    limit: int | None = None
    allow_filtering: bool = False  # a range on a STATIC column within the one partition already chosen
    assumed: bool = False
    #: Equality the design added to the pattern (`entity.attribute`): the tenant, which every query binds.
    added_equality: tuple[str, ...] = ()
    #: The CQL text, written by `cql.select_cql` from the structure above when the design is built.
    query: str = ""
    #: A filter across a path to child rows: the entity the pattern returns (its rows are copied along
    #: `returns[1]`) and the columns holding its key; the client keeps the first row of each key (distinct).
    returns: tuple[str, tuple[str, ...]] | None = None
    distinct_on: tuple[str, ...] = ()
    returned: tuple[tuple[str, str], ...] = ()  # (source as the returned entity names it, column)
    #: `with` entries read from the pair rows: (entry, ((source, column), ...)), the rows of one parent.
    nested: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "table": self.table, "query": self.query, "partitions": self.partitions,
               "assumed": self.assumed}
        if self.returns is not None:
            out["returns"] = {"entity": self.returns[0], "path": list(self.returns[1]),
                              "distinct_on": list(self.distinct_on)}
        return out


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


@dataclass(frozen=True, slots=True)
class Isolation:
    """How tenant isolation is kept without row-level security (issue 15): the tenant attribute per table,
    the patterns that cross tenants, and the keyspace-per-tenant vs shared-table decision."""

    tenant_columns: tuple[tuple[str, str], ...]  # (table, column holding the tenant)
    crossing: tuple[str, ...]  # read patterns that do not fix the tenant (admin patterns excluded)
    decisions: tuple[Decision, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"row_level_security": False,
                "tenant_columns": [{"table": t, "column": c} for t, c in self.tenant_columns],
                "cross_tenant_patterns": list(self.crossing),
                "decisions": [d.to_dict() for d in self.decisions]}


@dataclass(frozen=True)
class CassandraDesign:
    keyspace: Keyspace
    tables: tuple[Table, ...]
    udts: tuple[Udt, ...]
    reads: tuple[ReadPlan, ...]
    writes: tuple[WritePlan, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    assumed: tuple[str, ...] = ()  # the envelope's assumed inputs ("workload", "statistics:<entity>", ...)
    isolation: Isolation | None = None
    rates: tuple[tuple[str, float], ...] = ()  # each pattern's executions per second, for the summaries
    #: The workload file and the entities it gives rows for: what `polyschema simulate --workload` can model.
    workload_source: str | None = None
    measured: tuple[str, ...] = ()
    #: (pattern id, why) of each read pattern no table serves: the design is partial when there is one.
    unserved: tuple[tuple[str, str], ...] = ()

    @property
    def partial(self) -> bool:
        return bool(self.unserved)

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"no table {name!r} in the design")

    def read(self, pattern_id: str) -> ReadPlan:
        for read in self.reads:
            if read.id == pattern_id:
                return read
        why = dict(self.unserved).get(pattern_id)
        raise KeyError(f"no read plan for pattern {pattern_id!r}" + (f": {why}" if why else ""))

    @property
    def workload_assumed(self) -> bool:
        return "workload" in self.assumed

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "keyspace": self.keyspace.to_dict(),
            "udts": [u.to_dict() for u in self.udts],
            "tables": [t.to_dict() for t in self.tables],
            "reads": [r.to_dict() for r in self.reads],
            "writes": [w.to_dict() for w in self.writes],
            "partial": self.partial,
            "unserved": [{"pattern": pid, "reason": why} for pid, why in self.unserved],
        }
        if self.isolation is not None:
            body["isolation"] = self.isolation.to_dict()
        return envelope("cassandra", body, assumed=self.assumed, diagnostics=self.diagnostics)
