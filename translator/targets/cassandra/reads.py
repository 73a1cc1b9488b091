"""Each read pattern as a structured query on its table: the columns it selects and its restrictions.

No CQL here: `cql.select_cql` renders a `ReadPlan`, and `rows.answer_cql` executes the same structure
against the stored rows, so what is printed is what is checked.
"""

from __future__ import annotations

from typing import Literal

from translator.targets.cassandra.cql import INLINE_BUCKETS
from translator.targets.cassandra.model import Predicate, ReadPlan, Table
from translator.targets.cassandra.shapes import Ref
from translator.targets.cassandra.tables import Use
from translator.workload.model import AccessPattern

__all__ = ["read_plan", "range_static_column", "returned_columns"]


def range_static_column(table: Table, use: Use) -> str | None:
    """The STATIC column a pattern's range tests when its table holds one entity row per partition."""
    if use.range is None or not any(c.layout == "rows" for c in table.children):
        return None
    return next(
        (
            c.name
            for c in table.columns
            if c.key == use.range.key and c.name in table.static
        ),
        None,
    )


def _column(table: Table, ref: Ref) -> str:
    """The column holding `ref`: the copy along its own path when the table holds its entity in two roles."""
    return next(c.name for c in table.columns if c.key == ref.key)


def returned_columns(table: Table, use: Use) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """For a table keyed by child rows: ((source as the returned entity names it, column), ...) and the
    columns holding the returned entity's key (the child's foreign key), by which the client keeps distinct
    rows. Every column copied along the path to the returned entity is returned."""
    if use.returns is None:
        return (), ()
    entity, chain = use.returns
    path = tuple(r.name for r in chain)
    out = [(c.source, c.name) for c in table.columns if c.path[: len(path)] == path and c.attribute is not None]
    up = chain[0]
    keys = []
    for parent_attr, child_attr in zip(up.to_attributes, up.from_attributes, strict=True):
        column = next(c.name for c in table.columns if c.key == (table.entity, child_attr, ()))
        keys.append(column)
        if parent_attr not in {c.attribute for c in table.columns if c.path == path}:
            out.append((f"{entity.key}.{parent_attr}", column))
    return tuple(out), tuple(keys)


def read_plan(table: Table, pattern: AccessPattern, use: Use, keyspace: str, added: tuple[str, ...] = ()) -> ReadPlan:
    returned, distinct_on = returned_columns(table, use)
    nested = tuple(
        (entry, tuple((c.source, c.name) for c in table.columns if c.attribute is not None and c.path in {(), path}))
        for entry, path in use.pairs
    )
    entities = {table.entity, *pattern.with_}
    columns = (
        tuple(dict.fromkeys([*(name for _, name in returned), *(n for _, cols in nested for _, n in cols)]))
        if use.returns is not None
        else tuple(c.name for c in table.columns if c.entity in entities)
    )
    predicates: list[Predicate] = []
    partitions: Literal["single", "in-buckets"] = "single"
    bucket = table.bucketing
    for column in table.partition_key:
        if bucket and column == bucket.column:
            if bucket.kind == "single":
                predicates.append(Predicate(column, "=", (0,)))
            elif bucket.kind == "hash" and (bucket.count or 1) <= INLINE_BUCKETS:
                predicates.append(Predicate(column, "IN", tuple(range(bucket.count or 1))))
                partitions = "in-buckets"
            else:
                predicates.append(Predicate(column, "IN"))
                partitions = "in-buckets"
        else:
            predicates.append(Predicate(column, "="))
    predicates += [Predicate(_column(table, r), "=") for r in use.equality]
    static_range = range_static_column(table, use)
    allow_filtering = False
    if static_range is not None:
        # One entity row per partition (children are the clustering rows): the range tests that row's
        # STATIC value, a filter inside the single partition already chosen, hence cheap.
        predicates += [Predicate(static_range, ">="), Predicate(static_range, "<=")]
        allow_filtering = True
    elif use.range is not None:
        column = table.clustering[len(use.equality)].column
        predicates += [Predicate(column, ">="), Predicate(column, "<=")]
    rows_layout = any(c.layout == "rows" for c in table.children)
    # Keyed by child rows, a LIMIT on rows would cut parents short: the client stops after `limit` parents.
    limit = pattern.limit if pattern.limit and not rows_layout and use.returns is None else None
    return ReadPlan(
        pattern.id,
        table.name,
        keyspace,
        columns,
        tuple(predicates),
        partitions,
        limit,
        allow_filtering,
        pattern.assumed,
        added,
        returns=(use.returns[0].key, tuple(r.name for r in use.returns[1])) if use.returns else None,
        distinct_on=distinct_on,
        returned=returned,
        nested=nested,
    )
