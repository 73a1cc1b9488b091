"""A checker that answers a read pattern both ways: from the Cassandra tables, and from the source rows as SQL.

`answer_cql` executes the pattern's `ReadPlan` (the structure `cql.select_cql` prints) against the stored
tables: partition key equality (every bucket its `IN` names), equality on a clustering prefix, a range on
the next clustering column (or on a STATIC column in the one partition), clustering order, LIMIT.
`answer_sql` answers the pattern from the source rows as SQL would, independently of the design:
`SELECT ... FROM entity LEFT JOIN` its ancestors along the pattern's foreign-key paths, `WHERE` equality
and `BETWEEN` (on any entity of the path), children per row, `ORDER BY`. Ties in ORDER BY make SQL's LIMIT
choose any of the tied rows, so at the boundary Cassandra's rows must be a subset of SQL's tied rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cmp_to_key
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.ir import Schema
from translator.targets.cassandra.model import CassandraDesign, Column, ReadPlan, Table
from translator.targets.cassandra.shapes import Ref, Shape, shape_of
from translator.targets.cassandra.storage import RowIndex, Rows, TableData, bucket_value, period, rows_to_tables
from translator.workload.model import AccessPattern

__all__ = [
    "TableData",
    "QueryParams",
    "CheckResult",
    "bucket_value",
    "rows_to_tables",
    "answer_cql",
    "answer_sql",
    "check_pattern",
]


@dataclass(frozen=True)
class QueryParams:
    """Values bound to a pattern: equality attribute -> value (`attribute` of the pattern's entity, or
    `entity.attribute` for any entity), and inclusive range bounds (low, high)."""

    equality: Mapping[str, Any]
    range: tuple[Any, Any] | None = None

    def value(
        self,
        entity: str,
        attribute: str,
        root: str,
        aliases: Mapping[tuple, str] = {},
        path: tuple[str, ...] = (),
        source: str | None = None,
    ) -> Any:
        """The value bound to `entity.attribute`, named as such, bare (the pattern's own entity), or as the
        pattern named it (`aliases`: a parent's key written for the child's foreign key). A copy the table
        holds in two roles is named only by its column's `source` (`airports(fk_flights_origin_id).city`):
        `airports.city` would not say which airport."""
        alias = aliases.get((entity, attribute, path))
        plain = f"{entity}.{attribute}"
        names = (source,) if source and source != plain else (plain, *((attribute,) if entity == root else ()))
        for key in (*names, *((alias,) if alias else ())):
            if key in self.equality:
                return self.equality[key]
        raise KeyError(f"params give no value for {names[0]}")


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    cql: tuple
    sql: tuple
    reason: str = ""


def _cmp(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _sorter(orders: Sequence[tuple[Callable[[Any], Any], str]]) -> Callable[[Any], Any]:
    """A sort key over (getter, 'ASC'|'DESC') terms."""

    def compare(x: Any, y: Any) -> int:
        for get, order in orders:
            c = _cmp(get(x), get(y))
            if c:
                return -c if order == "DESC" else c
        return 0

    return cmp_to_key(compare)


def _bound(params: QueryParams, column: Column, root: str, aliases: Mapping[tuple, str]) -> Any:
    """The value params bind to a key column (every column but the bucket holds an attribute)."""
    assert column.entity is not None and column.attribute is not None, f"column {column.name} has no source attribute"
    return params.value(column.entity, column.attribute, root, aliases, column.path, column.source)


def _in_range(value: Any, params: QueryParams) -> bool:
    """Whether `value` lies within the bound range (a pattern with a range is checked with its bounds)."""
    assert params.range is not None, "a pattern with a range is checked with range bounds"
    return bool(params.range[0] <= value <= params.range[1])


def _path_getter(*keys: Any) -> Callable[[Any], Any]:
    """`x[keys[0]][keys[1]]...`: a sort term's getter."""

    def get(x: Any) -> Any:
        for key in keys:
            x = x[key]
        return x

    return get


def _item(table: Table, pattern: AccessPattern, root: str, values: Mapping[str, Any], kids: dict[str, tuple]) -> tuple:
    """A result row in a form both sides share: the entity's and its ancestors' values by source, children as
    sorted tuples."""
    nested = {name for ch in table.children for name in ch.columns}
    main = tuple(
        sorted(
            (c.source, values.get(c.name)) for c in table.columns if c.attribute is not None and c.name not in nested
        )
    )
    return main, tuple(sorted((e, tuple(sorted(k, key=repr))) for e, k in kids.items()))


def _udt_fields(design: CassandraDesign, name: str | None) -> tuple[Column, ...]:
    return next(u.fields for u in design.udts if u.name == name)


def _partition_matches(
    table: Table,
    pk: tuple,
    plan,
    params: QueryParams,
    root: str,
    use_range: Ref | None,
    aliases: Mapping[tuple, str],
) -> bool:
    columns = {c.name: c for c in table.columns}
    for predicate, value in zip(plan.predicates, pk, strict=False):
        if predicate.column not in table.partition_key:
            break
        bucket = table.bucketing
        if bucket is not None and predicate.column == bucket.column:
            if predicate.values is not None:
                if value not in predicate.values:
                    return False
            elif (
                bucket.kind == "time"
                and params.range is not None
                and use_range is not None
                and use_range.attribute == bucket.attribute
            ):
                if not period(params.range[0], bucket.unit) <= value <= period(params.range[1], bucket.unit):
                    return False
            continue
        if value != _bound(params, columns[predicate.column], root, aliases):
            return False
    return True


def answer_cql(
    design: CassandraDesign, data: TableData, pattern: AccessPattern, params: QueryParams, schema: Schema | None = None
) -> list[tuple]:
    plan = design.read(pattern.id)
    table = design.table(plan.table)
    root = plan.returns[0] if plan.returns else table.entity  # bare names are the pattern's entity's
    aliases = dict(_shape(schema, pattern).aliases) if schema is not None else {}
    columns = {c.name: c for c in table.columns}
    stored = data.tables[table.name]
    rest = [p for p in plan.predicates if p.column not in table.partition_key]
    equal = [p for p in rest if p.op == "="]
    ranged = [p for p in rest if p.op in (">=", "<=")]
    ranged_on = columns[ranged[0].column] if ranged else None
    range_ref = (
        Ref(ranged_on.entity, ranged_on.attribute)
        if ranged_on is not None and ranged_on.entity is not None and ranged_on.attribute is not None
        else None
    )
    keys = [pk for pk in stored if _partition_matches(table, pk, plan, params, root, range_ref, aliases)]
    orders = [(_path_getter(c.column), c.order) for c in table.clustering]
    row_child = next((c for c in table.children if c.layout == "rows"), None)
    out: list[tuple[dict, dict]] = []
    for pk in keys:
        part = stored[pk]
        if plan.allow_filtering:  # a range on the partition's STATIC column
            value = part.static.get(ranged[0].column)
            if value is None or not _in_range(value, params):
                continue
        rows = sorted(part.rows.values(), key=_sorter(orders))
        for p in equal:
            wanted = _bound(params, columns[p.column], root, aliases)
            rows = [r for r in rows if r[p.column] == wanted]
        if ranged and not plan.allow_filtering:
            range_column = ranged[0].column
            rows = [r for r in rows if _in_range(r[range_column], params)]
        if row_child is not None:
            child_rows = tuple(tuple(sorted((columns[c].source, r[c]) for c in row_child.columns)) for r in rows)
            out.append(
                ({**dict(zip(table.partition_key, pk, strict=False)), **part.static}, {_served(row_child): child_rows})
            )
            continue
        out += [({**part.static, **r}, {}) for r in rows]
    if len(keys) > 1:  # the client merges the buckets in clustering order
        out.sort(key=_sorter([(_path_getter(0, c.column), c.order) for c in table.clustering]))
    if plan.returns is not None:  # rows of (child, parent) pairs: the client keeps one per parent
        return _distinct(plan, [values for values, _ in out], pattern.limit)
    if plan.limit:
        out = out[: plan.limit]
    results = []
    for values, kids in out:
        for child in table.children:
            if child.layout == "udt-list" and _served(child) in pattern.with_:
                kids[_served(child)] = tuple(values.get(child.column, ()))
        if row_child is not None and _served(row_child) not in pattern.with_:
            kids = {}
        results.append(_item(table, pattern, root, values, kids))
    return results


def _distinct(plan: ReadPlan, rows: list[Mapping[str, Any]], limit: int | None) -> list[tuple]:
    """The returned entity's rows, in the order read: one per value of its key, up to `limit`, each with the
    pair rows read for it as its `with` children (`plan.nested`)."""
    groups: dict[tuple, list[Mapping[str, Any]]] = {}
    for values in rows:
        key = tuple(values.get(c) for c in plan.distinct_on)
        if key not in groups and limit and len(groups) == limit:
            continue  # the client stops after `limit` parents, but reads the pairs of the last one
        groups.setdefault(key, []).append(values)
    out = []
    for group in groups.values():
        main = tuple(sorted((source, group[0].get(column)) for source, column in plan.returned))
        kids = tuple(
            sorted(
                (entry, tuple(sorted((tuple(sorted((s, r.get(c)) for s, c in cols)) for r in group), key=repr)))
                for entry, cols in plan.nested
            )
        )
        out.append((main, kids))
    return out


def _answer_sql_pivot(
    schema: Schema, rows: Rows, shape: Shape, plan: ReadPlan, table: Table, params: QueryParams
) -> list[tuple]:
    """SELECT DISTINCT parent.* FROM child JOIN parent ... WHERE <filters on the child and the parent's path>:
    each child row joined with its ancestors (the parent among them), filtered, ordered, one per parent."""
    index = RowIndex(schema, rows)
    root = plan.returns[0] if plan.returns else shape.entity.key
    paths = [(e.key, path) for path, (e, _, _) in shape.ancestors.items()]
    paths += [(k, p) for k, p in table.parents if p not in shape.ancestors]
    key_columns = [c.key for c in table.columns if c.name in table.primary_key and c.source != "bucket"]
    sources = {c.key: c.source for c in table.columns}
    aliases = dict(shape.aliases)
    selected = []
    for row in rows.get(shape.entity.key, []):
        if plan.returns and not index.ancestor(row, plan.returns[1]):  # no parent to return (a dangling key)
            continue
        joined = index.joined(shape.entity.key, row, paths)
        if any(joined.get(k) is None for k in key_columns):
            continue
        if not _filters_hold(joined, shape, params, root, aliases, sources):
            continue
        selected.append(joined)
    selected.sort(key=_sorter([(_path_getter(ref.key), order) for ref, order in shape.order]))
    by_name = {c.name: c.key for c in table.columns}
    return _distinct(plan, [{n: j.get(k) for n, k in by_name.items()} for j in selected], None)


def _filters_hold(joined, shape: Shape, params: QueryParams, root: str, aliases, sources) -> bool:
    """SQL's WHERE on one joined row: every equality bound to its parameter, the range (if any) within bounds."""
    if any(
        joined[r.key] is None
        or joined[r.key] != params.value(r.entity, r.attribute, root, aliases, r.path, sources.get(r.key))
        for r in shape.equality
    ):
        return False
    if shape.range is None:
        return True
    x = joined[shape.range.key]
    return x is not None and _in_range(x, params)


def _split_source(name: str) -> tuple[str, str]:
    entity, attribute = name.rsplit(".", 1)
    return entity, attribute


def _served(child) -> str:
    return child.reached or child.entity


def _shape(schema: Schema, pattern: AccessPattern) -> Shape:
    return shape_of(schema, pattern, DiagnosticSink())


def answer_sql(
    design: CassandraDesign, schema: Schema, rows: Rows, pattern: AccessPattern, params: QueryParams
) -> list[tuple]:
    """SELECT ... FROM entity LEFT JOIN ancestors WHERE ... ORDER BY ..., children attached per row (LIMIT is
    applied by `check_pattern`).

    Rows with NULL in one of the table's key columns are left out: Cassandra cannot store them
    (`rows_to_tables` reports each one)."""
    shape = _shape(schema, pattern)
    root = shape.entity.key
    plan = design.read(pattern.id)
    table = design.table(plan.table)
    if plan.added_equality:  # the tenant the design keys the table by: the application binds it too
        shape = replace(
            shape,
            equality=(
                *(Ref(*_split_source(a)) for a in plan.added_equality if a not in {str(r) for r in shape.equality}),
                *shape.equality,
            ),
        )
    if plan.returns is not None:
        return _answer_sql_pivot(schema, rows, shape, plan, table, params)
    index = RowIndex(schema, rows)
    paths = [(e.key, path) for path, (e, _, _) in shape.ancestors.items()]
    paths += [(k, p) for k, p in table.parents if p not in shape.ancestors]  # copies other patterns need
    key_columns = [c.key for c in table.columns if c.name in table.primary_key and c.source != "bucket"]
    row_child = any(c.layout == "rows" for c in table.children)
    sources = {c.key: c.source for c in table.columns}
    aliases = dict(shape.aliases)
    selected = []
    for row in rows.get(root, []):
        joined = index.joined(root, row, paths)
        if not row_child and any(joined.get(k) is None for k in key_columns):
            continue
        if row_child and any(
            joined.get(c.key) is None for c in table.columns if c.name in table.partition_key and c.source != "bucket"
        ):
            continue
        if not _filters_hold(joined, shape, params, root, aliases, sources):
            continue
        selected.append((row, joined))
    selected.sort(key=_sorter([(_path_getter(1, ref.key), order) for ref, order in shape.order]))
    # No LIMIT here: with ties (or no ORDER BY) SQL may return any of several row sets; check_pattern
    # accepts Cassandra's answer when it is one of them.
    results = []
    by_key = {c.key: c.name for c in table.columns}
    for row, joined in selected:
        values = {by_key[k]: v for k, v in joined.items() if k in by_key}
        kids = {}
        for child in table.children:
            if _served(child) in pattern.with_:
                fields = (
                    [table.column(c) for c in child.columns]
                    if child.layout == "rows"
                    else list(_udt_fields(design, child.udt))
                )
                found = index.children(child.relationship, child.entity, row)
                kids[_served(child)] = tuple(index.nested(child, k, fields) for k in found)
        results.append(_item(table, pattern, root, values, kids))
    return results


def _order_key(item: tuple, order: tuple[tuple[Ref, str], ...], table: Table) -> tuple:
    values = dict(item[0])
    sources = {c.key: c.source for c in table.columns}
    return tuple(values.get(sources.get(ref.key, str(ref))) for ref, _ in order)


def check_pattern(
    design: CassandraDesign, schema: Schema, rows: Rows, data: TableData, pattern: AccessPattern, params: QueryParams
) -> CheckResult:
    """Both answers, and whether Cassandra's is one SQL could give (see the module docstring)."""
    cql = answer_cql(design, data, pattern, params, schema)
    sql = answer_sql(design, schema, rows, pattern, params)
    table = design.table(design.read(pattern.id).table)
    order = _shape(schema, pattern).order
    row_child = any(c.layout == "rows" for c in table.children)
    if not pattern.limit or row_child:
        ok = Counter(cql) == Counter(sql)
        if ok and order and not row_child:
            ok = [_order_key(i, order, table) for i in cql] == [_order_key(i, order, table) for i in sql]
        return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "different rows or order")
    n = min(pattern.limit, len(sql))
    if len(cql) != n:
        return CheckResult(False, tuple(cql), tuple(sql), f"{len(cql)} rows, SQL gives {n}")
    if not order:
        ok = not (Counter(cql) - Counter(sql))
        return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "rows SQL does not return")
    keys_c = [_order_key(i, order, table) for i in cql]
    keys_s = [_order_key(i, order, table) for i in sql]
    if keys_c != keys_s[:n]:
        return CheckResult(False, tuple(cql), tuple(sql), "order differs")
    if n == 0:
        return CheckResult(True, (), ())
    last = keys_c[-1]
    before_c = Counter(i for i, k in zip(cql, keys_c, strict=True) if k != last)
    before_s = Counter(i for i, k in zip(sql[:n], keys_s[:n], strict=True) if k != last)
    tied_s = Counter(i for i, k in zip(sql, keys_s, strict=True) if k == last)
    tied_c = Counter(i for i, k in zip(cql, keys_c, strict=True) if k == last)
    ok = before_c == before_s and not (tied_c - tied_s)
    return CheckResult(ok, tuple(cql), tuple(sql), "" if ok else "rows differ before the limit boundary")
