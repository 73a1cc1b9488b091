"""Relational rows -> the rows of each Cassandra table, and a checker that answers an access pattern both ways.

`rows_to_tables` stores rows the way Cassandra would: by partition key, then clustering key (an upsert:
a second row with the same primary key overwrites the first), with STATIC columns once per partition.
Rows with NULL in a key column cannot be stored; they are skipped and reported as diagnostics.

`check_pattern` answers a read pattern (a) against those tables as Cassandra would: partition key
equality (every bucket the query's `IN` names), a range on the first clustering column, clustering
order, LIMIT; and (b) against the source rows as SQL would: WHERE equality and BETWEEN, LEFT JOIN of
parents, children per row, ORDER BY, LIMIT. Ties in ORDER BY make SQL's LIMIT choose any of the tied
rows, so at the boundary Cassandra's rows must be a subset of SQL's tied rows.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cmp_to_key
from typing import Any, Mapping

from translator.diagnostics import Diagnostic, DiagnosticSink
from translator.ir import Schema
from translator.workload.model import AccessPattern, Direction
from translator.targets.cassandra.model import Bucketing, CassandraDesign, Table, range_static_column
from translator.targets.cassandra.tables import entity_key

__all__ = ["TableData", "QueryParams", "CheckResult", "bucket_value", "rows_to_tables", "answer_cql", "answer_sql",
           "check_pattern"]

Rows = Mapping[str, list[dict[str, Any]]]


@dataclass
class _Partition:
    static: dict[str, Any] = field(default_factory=dict)
    rows: dict[tuple, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableData:
    """Stored partitions per table name: {table: {partition key tuple: partition}}, plus what was skipped."""

    tables: dict[str, dict[tuple, _Partition]]
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class QueryParams:
    """Values bound to a pattern: equality attribute -> value, and inclusive range bounds (low, high)."""

    equality: Mapping[str, Any]
    range: tuple[Any, Any] | None = None


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    cql: tuple
    sql: tuple
    reason: str = ""


def _hash_text(values: tuple) -> str:
    return "\x1f".join(repr(v) for v in values)


def bucket_value(bucketing: Bucketing, row: Mapping[str, Any], key: tuple[str, ...]) -> Any:
    """The bucket a source row falls in: 0; crc32 of the key's values mod count; or its time period's start."""
    if bucketing.kind == "single":
        return 0
    if bucketing.kind == "hash":
        return zlib.crc32(_hash_text(tuple(row[k] for k in key)).encode()) % (bucketing.count or 1)
    return _period(row[bucketing.attribute], bucketing.unit)


def _period(value: Any, unit: str | None) -> Any:
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


def _cmp(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _sorter(orders: list[tuple[Any, str]]):
    """A sort key over (getter, 'ASC'|'DESC') terms."""
    def compare(x: Any, y: Any) -> int:
        for get, order in orders:
            c = _cmp(get(x), get(y))
            if c:
                return -c if order == "DESC" else c
        return 0
    return cmp_to_key(compare)


class _RowIndex:
    """Each entity's rows grouped by a tuple of attributes, built once per (entity, attributes) and reused for
    every row of a pass (a parent lookup per child row would otherwise regroup all parent rows each time)."""

    def __init__(self, schema: Schema, rows: Rows) -> None:
        self.schema, self.rows = schema, rows
        self._groups: dict[tuple[str, tuple[str, ...]], dict[tuple, list[dict[str, Any]]]] = {}
        self._relationships: dict[str, Any] = {}
        for rel in schema.relationships:  # the first of a name wins, as a scan for it would find
            self._relationships.setdefault(rel.name, rel)

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

    def joined(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        """`row` plus its parents' attributes under their `entity.attribute` sources (LEFT JOIN: None when absent)."""
        out = {f"{table.entity}.{k}": v for k, v in row.items()}
        for parent, rel_name in table.parents:
            rel = self._relationships[rel_name]
            match = (self.matching(parent, rel.to_attributes, tuple(row[a] for a in rel.from_attributes)) or [{}])[0]
            for attr in self.schema.entity(parent).attribute_names:
                out[f"{parent}.{attr}"] = match.get(attr)
        return out

    def children(self, rel_name: str, child: str, parent_row: dict[str, Any]) -> list[dict[str, Any]]:
        rel = self._relationships[rel_name]
        return self.matching(child, rel.from_attributes, tuple(parent_row[a] for a in rel.to_attributes))


def rows_to_tables(design: CassandraDesign, schema: Schema, rows: Rows) -> TableData:
    """Every table's partitions filled from `rows` (entity key -> list of attribute dicts)."""
    sink = DiagnosticSink()
    tables: dict[str, dict[tuple, _Partition]] = {}
    index = _RowIndex(schema, rows)
    for table in design.tables:
        parts: dict[tuple, _Partition] = {}
        key = entity_key(schema.entity(table.entity))
        clustering = [c.column for c in table.clustering]
        row_child = next((c for c in table.children if c.layout == "rows"), None)
        for row in rows.get(table.entity, []):
            joined = index.joined(table, row)
            for child in table.children:
                if child.layout == "udt-list":
                    kids = sorted(index.children(child.relationship, child.entity, row),
                                  key=lambda k: repr(tuple(k[a] for a in child.key)))
                    joined[f"{child.entity}[]"] = tuple(tuple(sorted(k.items())) for k in kids)
            values = {c.name: joined.get(c.source) for c in table.columns if c.source != "bucket"}
            if table.bucketing:
                values[table.bucketing.column] = bucket_value(table.bucketing, row, key)
            pk = tuple(values[c] for c in table.partition_key)
            static = {c: values[c] for c in table.static}
            if row_child is None:
                ck = tuple(values[c] for c in clustering)
                if None in pk or None in ck:
                    sink.info("cassandra-row-skipped", f"{table.name}: a {table.entity} row has NULL in a key column "
                              f"({', '.join(c for c, v in zip((*table.partition_key, *clustering), (*pk, *ck)) if v is None)}) "
                              "and cannot be stored", subject=table.name)
                    continue
                part = parts.setdefault(pk, _Partition())
                part.static.update(static)
                part.rows[ck] = {c: v for c, v in values.items() if c not in static}
                continue
            if None in pk:
                sink.info("cassandra-row-skipped", f"{table.name}: a {table.entity} row has NULL in the partition key",
                          subject=table.name)
                continue
            part = parts.setdefault(pk, _Partition())
            part.static.update(static)
            for kid in index.children(row_child.relationship, row_child.entity, row):
                kid_values = {c.name: kid.get(c.attribute) for c in table.columns if c.entity == row_child.entity}
                ck = tuple(kid_values[c] for c in clustering)
                if None in ck:
                    sink.info("cassandra-row-skipped", f"{table.name}: a {row_child.entity} row has NULL in a clustering "
                              "column", subject=table.name)
                    continue
                part.rows[ck] = {**{c: values[c] for c in table.partition_key}, **kid_values}
        tables[table.name] = parts
    return TableData(tables, tuple(sink.items))


def _item(table: Table, pattern: AccessPattern, values: Mapping[str, Any], kids: dict[str, tuple]) -> tuple:
    """A result row in a form both sides share: main and parent values by source, children as sorted tuples."""
    wanted = {pattern.entity, *pattern.with_}
    main = tuple(sorted((c.source, values.get(c.name)) for c in table.columns
                        if c.entity in wanted and c.attribute is not None
                        and not any(ch.entity == c.entity for ch in table.children)))
    return main, tuple(sorted((e, tuple(sorted(k, key=repr))) for e, k in kids.items()))


def answer_cql(design: CassandraDesign, data: TableData, pattern: AccessPattern, params: QueryParams) -> list[tuple]:
    table = design.table(design.read(pattern.id).table)
    columns = {c.name: c for c in table.columns}
    stored = data.tables[table.name]
    bucket = table.bucketing
    wanted_other = tuple(params.equality[columns[c].attribute] for c in table.partition_key if not (bucket and c == bucket.column))
    keys = []
    for pk in stored:
        other = tuple(v for c, v in zip(table.partition_key, pk) if not (bucket and c == bucket.column))
        if other != wanted_other:
            continue
        if bucket and bucket.kind == "time" and params.range is not None and bucket.attribute == pattern.range.attribute:
            b = pk[table.partition_key.index(bucket.column)]
            if not _period(params.range[0], bucket.unit) <= b <= _period(params.range[1], bucket.unit):
                continue
        keys.append(pk)
    orders = [((lambda r, c=c.column: r[c]), c.order) for c in table.clustering]
    row_child = next((c for c in table.children if c.layout == "rows"), None)
    out: list[tuple[dict, tuple]] = []
    static_range = range_static_column(table, pattern)
    for pk in keys:
        part = stored[pk]
        if static_range is not None:
            value = part.static.get(static_range)
            if value is None or not params.range[0] <= value <= params.range[1]:
                continue
        rows = sorted(part.rows.values(), key=_sorter(orders))
        if pattern.range is not None and table.clustering and row_child is None:
            first = table.clustering[0].column
            rows = [r for r in rows if params.range[0] <= r[first] <= params.range[1]]
        if row_child is not None:
            kid_cols = [c for c in table.columns if c.entity == row_child.entity]
            kids = tuple(tuple(sorted((c.attribute, r[c.name]) for c in kid_cols)) for r in rows)
            out.append(({**dict(zip(table.partition_key, pk)), **part.static}, {row_child.entity: kids}))
            continue
        for r in rows:
            out.append(({**part.static, **r}, {}))
    if len(keys) > 1:  # the client merges the buckets in clustering order
        out.sort(key=_sorter([((lambda x, c=c.column: x[0][c]), c.order) for c in table.clustering]))
    if pattern.limit and row_child is None:
        out = out[: pattern.limit]
    results = []
    for values, kids in out:
        for child in table.children:
            if child.layout == "udt-list" and child.entity in pattern.with_:
                kids[child.entity] = tuple(tuple((a, v) for a, v in k if a in {c.attribute for c in _udt_fields(design, child.udt)})
                                           for k in values.get(child.column, ()))
        results.append(_item(table, pattern, values, kids))
    return results


def _udt_fields(design: CassandraDesign, name: str | None):
    return next(u.fields for u in design.udts if u.name == name)


def answer_sql(design: CassandraDesign, schema: Schema, rows: Rows, pattern: AccessPattern,
               params: QueryParams) -> list[tuple]:
    """SELECT ... FROM entity LEFT JOIN parents WHERE ... ORDER BY ..., children attached per row (LIMIT is
    applied by `check_pattern`).

    Rows with NULL in one of the table's key attributes are left out: Cassandra cannot store them
    (`rows_to_tables` reports each one)."""
    table = design.table(design.read(pattern.id).table)
    key_attrs = [c.attribute for c in table.columns if c.name in table.primary_key and c.entity == table.entity]
    selected = []
    for row in rows.get(table.entity, []):
        if any(row[a] is None for a in key_attrs):
            continue
        if any(row[a] is None or row[a] != v for a, v in params.equality.items()):
            continue
        if pattern.range is not None:
            x = row[pattern.range.attribute]
            if x is None or not params.range[0] <= x <= params.range[1]:
                continue
        selected.append(row)
    terms = [t for t in pattern.order_by if t.attribute.attribute not in params.equality]
    selected.sort(key=_sorter([((lambda r, a=t.attribute.attribute: r[a]), "DESC" if t.direction is Direction.DESC else "ASC")
                               for t in terms]))
    # No LIMIT here: with ties (or no ORDER BY) SQL may return any of several row sets; check_pattern
    # accepts Cassandra's answer when it is one of them.
    results = []
    index = _RowIndex(schema, rows)
    by_source = {c.source: c.name for c in table.columns}
    for row in selected:
        joined = index.joined(table, row)
        values = {by_source[s]: v for s, v in joined.items() if s in by_source}
        kids = {}
        for child in table.children:
            if child.entity in pattern.with_:
                fields = {c.attribute for c in table.columns if c.entity == child.entity} if child.layout == "rows" else \
                    {c.attribute for c in _udt_fields(design, child.udt)}
                found = index.children(child.relationship, child.entity, row)
                kids[child.entity] = tuple(tuple(sorted((a, k[a]) for a in fields)) for k in found)
        results.append(_item(table, pattern, values, kids))
    return results


def check_pattern(design: CassandraDesign, schema: Schema, rows: Rows, data: TableData, pattern: AccessPattern,
                  params: QueryParams) -> CheckResult:
    """Both answers, and whether Cassandra's is one SQL could give (see the module docstring)."""
    cql = answer_cql(design, data, pattern, params)
    sql = answer_sql(design, schema, rows, pattern, params)
    table = design.table(design.read(pattern.id).table)
    order_attrs = [t.attribute.attribute for t in pattern.order_by if t.attribute.attribute not in params.equality]
    row_child = any(c.layout == "rows" for c in table.children)
    if not pattern.limit or row_child:
        ok = Counter(cql) == Counter(sql)
        if ok and order_attrs and not row_child:
            ok = [_order_key(i, pattern.entity, order_attrs) for i in cql] == [_order_key(i, pattern.entity, order_attrs) for i in sql]
        return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "different rows or order")
    n = min(pattern.limit, len(sql))
    if len(cql) != n:
        return CheckResult(False, tuple(cql), tuple(sql), f"{len(cql)} rows, SQL gives {n}")
    if not order_attrs:
        ok = not (Counter(cql) - Counter(sql))
        return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "rows SQL does not return")
    keys_c = [_order_key(i, pattern.entity, order_attrs) for i in cql]
    keys_s = [_order_key(i, pattern.entity, order_attrs) for i in sql]
    if keys_c != keys_s[:n]:
        return CheckResult(False, tuple(cql), tuple(sql), "order differs")
    if n == 0:
        return CheckResult(True, (), ())
    last = keys_c[-1]
    before_c = Counter(i for i, k in zip(cql, keys_c) if k != last)
    before_s = Counter(i for i, k in zip(sql[:n], keys_s[:n]) if k != last)
    tied_s = Counter(i for i, k in zip(sql, keys_s) if k == last)
    tied_c = Counter(i for i, k in zip(cql, keys_c) if k == last)
    ok = before_c == before_s and not (tied_c - tied_s)
    return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "rows differ before the limit boundary")


def _order_key(item: tuple, entity: str, attrs: list[str]) -> tuple:
    values = dict(item[0])
    return tuple(values.get(f"{entity}.{a}") for a in attrs)
