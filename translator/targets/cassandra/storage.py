"""Relational rows -> the rows of each Cassandra table, stored as Cassandra would store them.

By partition key, then clustering key (an upsert: a second row with the same primary key overwrites the
first), with STATIC columns once per partition. Copied ancestor attributes are looked up along the
table's foreign-key chains (a LEFT JOIN: None when the ancestor is absent). Rows with NULL in a key column
cannot be stored; they are skipped and reported as diagnostics.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import Diagnostic, DiagnosticSink
from translator.ir import Relationship, Schema
from translator.targets.cassandra.model import Bucketing, CassandraDesign, Column
from translator.targets.cassandra.shapes import entity_key

__all__ = ["Rows", "Partition", "TableData", "RowIndex", "bucket_value", "period", "rows_to_tables"]

Rows = Mapping[str, list[dict[str, Any]]]


@dataclass
class Partition:
    static: dict[str, Any] = field(default_factory=dict)
    rows: dict[tuple, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableData:
    """Stored partitions per table name: {table: {partition key tuple: partition}}, plus what was skipped."""

    tables: dict[str, dict[tuple, Partition]]
    diagnostics: tuple[Diagnostic, ...] = ()


def _hash_text(values: tuple) -> str:
    return "\x1f".join(repr(v) for v in values)


def bucket_value(bucketing: Bucketing, row: Mapping[str, Any], key: tuple[str, ...]) -> Any:
    """The bucket a source row falls in: 0; crc32 of the key's values mod count; or its time period's start."""
    if bucketing.kind == "single":
        return 0
    if bucketing.kind == "hash":
        return zlib.crc32(_hash_text(tuple(row[k] for k in key)).encode()) % (bucketing.count or 1)
    assert bucketing.attribute is not None, "a time bucket always names its attribute (design._bucketing)"
    return period(row[bucketing.attribute], bucketing.unit)


def period(value: Any, unit: str | None) -> Any:
    if value is None:
        return None
    if unit == "hour":
        return value.replace(minute=0, second=0, microsecond=0)
    day = value.date() if isinstance(value, dt.datetime) else value
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


class RowIndex:
    """Each entity's rows grouped by a tuple of attributes, built once per (entity, attributes) and reused for
    every row of a pass (a parent lookup per child row would otherwise regroup all parent rows each time)."""

    def __init__(self, schema: Schema, rows: Rows) -> None:
        self.schema, self.rows = schema, rows
        self._groups: dict[tuple[str, tuple[str, ...]], dict[tuple, list[dict[str, Any]]]] = {}
        self.relationships: dict[str, Relationship] = {}
        for rel in schema.relationships:  # the first of a name wins, as a scan for it would find
            self.relationships.setdefault(rel.name, rel)

    def matching(self, entity: str, attributes: tuple[str, ...], key: tuple) -> list[dict[str, Any]]:
        """Rows of `entity` whose `attributes` equal `key` (none when the key holds NULL, as in SQL)."""
        groups = self._groups.get((entity, attributes))
        if groups is None:
            groups = self._groups[(entity, attributes)] = {}
            for row in self.rows.get(entity, []):
                row_key = tuple(row[a] for a in attributes)
                if None not in row_key:
                    groups.setdefault(row_key, []).append(row)
        return groups.get(key, [])

    def ancestor(self, row: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
        """The row reached from `row` along the foreign keys `path` ({} when a link is NULL or dangling)."""
        current = row
        for name in path:
            rel = self.relationships[name]
            found = self.matching(rel.to_entity, rel.to_attributes, tuple(current.get(a) for a in rel.from_attributes))
            if not found:
                return {}
            current = found[0]
        return current

    def joined(self, entity: str, row: dict[str, Any], ancestors) -> dict[tuple, Any]:
        """`row` plus its ancestors' attributes, keyed as `Column.key` is: (entity, attribute, path), so two
        roles of one ancestor (along two paths) stay apart (None when the ancestor is absent)."""
        out: dict[tuple, Any] = {(entity, k, ()): v for k, v in row.items()}
        for parent, path in ancestors:
            match = self.ancestor(row, path)
            for attr in self.schema.entity(parent).attribute_names:
                out[(parent, attr, tuple(path))] = match.get(attr)
        return out

    def nested(self, child, kid: dict[str, Any], fields: Sequence[Column]) -> tuple:
        """One child row as a UDT value: (source, value) pairs of its fields, copied ancestors included."""
        joined = self.joined(child.entity, kid, child.copies)
        return tuple(sorted((f.source, joined.get(f.key)) for f in fields))

    def children(self, rel_name: str, child: str, parent_row: dict[str, Any]) -> list[dict[str, Any]]:
        rel = self.relationships[rel_name]
        return self.matching(child, rel.from_attributes, tuple(parent_row[a] for a in rel.to_attributes))


def rows_to_tables(design: CassandraDesign, schema: Schema, rows: Rows) -> TableData:
    """Every table's partitions filled from `rows` (entity key -> list of attribute dicts)."""
    sink = DiagnosticSink()
    tables: dict[str, dict[tuple, Partition]] = {}
    index = RowIndex(schema, rows)
    for table in design.tables:
        parts: dict[tuple, Partition] = {}
        key = entity_key(schema.entity(table.entity))
        clustering = [c.column for c in table.clustering]
        row_child = next((c for c in table.children if c.layout == "rows"), None)
        for row in rows.get(table.entity, []):
            if table.pairs and not index.ancestor(row, table.pairs):
                sink.info(
                    "cassandra-row-skipped",
                    f"{table.name}: a {table.entity} row without its parent forms no (child, parent) pair",
                    subject=table.name,
                )
                continue
            joined = index.joined(table.entity, row, table.parents)
            values = {c.name: joined.get(c.key) for c in table.columns if c.source != "bucket"}
            for child in table.children:
                if child.layout == "udt-list" and child.column is not None:
                    fields = next(u.fields for u in design.udts if u.name == child.udt)
                    kids = sorted(
                        index.children(child.relationship, child.entity, row),
                        key=lambda k: repr(tuple(k[a] for a in child.key)),
                    )
                    values[child.column] = tuple(index.nested(child, kid, fields) for kid in kids)
            if table.bucketing:
                values[table.bucketing.column] = bucket_value(table.bucketing, row, key)
            pk = tuple(values[c] for c in table.partition_key)
            static = {c: values[c] for c in table.static}
            if row_child is None:
                ck = tuple(values[c] for c in clustering)
                if None in pk or None in ck:
                    key_columns = (*table.partition_key, *clustering)
                    null_columns = [c for c, v in zip(key_columns, (*pk, *ck), strict=True) if v is None]
                    sink.info(
                        "cassandra-row-skipped",
                        f"{table.name}: a {table.entity} row has NULL in a key column "
                        f"({', '.join(null_columns)}) "
                        "and cannot be stored",
                        subject=table.name,
                    )
                    continue
                part = parts.setdefault(pk, Partition())
                part.static.update(static)
                part.rows[ck] = {c: v for c, v in values.items() if c not in static}
                continue
            if None in pk:
                sink.info(
                    "cassandra-row-skipped",
                    f"{table.name}: a {table.entity} row has NULL in the partition key",
                    subject=table.name,
                )
                continue
            part = parts.setdefault(pk, Partition())
            part.static.update(static)
            keys = {c.name: c.key for c in table.columns}
            for kid in index.children(row_child.relationship, row_child.entity, row):
                kid_joined = index.joined(row_child.entity, kid, row_child.copies)
                kid_values = {c: kid_joined.get(keys[c]) for c in row_child.columns}
                ck = tuple(kid_values[c] for c in clustering)
                if None in ck:
                    sink.info(
                        "cassandra-row-skipped",
                        f"{table.name}: a {row_child.entity} row has NULL in a clustering column",
                        subject=table.name,
                    )
                    continue
                part.rows[ck] = {**{c: values[c] for c in table.partition_key}, **kid_values}
        tables[table.name] = parts
    return TableData(tables, tuple(sink.items))
