"""Statistics from bounded samples, the same SQL for every engine (identifiers quoted by the caller).

A sample is the first `SAMPLE_ROWS` rows the engine returns (`LIMIT`, no ORDER BY): cheap and bounded,
exact when the table is smaller, biased by physical order when it is larger. Distinct counts from a
partial sample are scaled with the Haas-Stokes "Duj1" estimator (the one PostgreSQL's ANALYZE uses).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from translator.introspect.build import plain_value
from translator.ir import Entity, Relationship, Schema
from translator.workload.model import AttributeStats, RelationshipStats

__all__ = ["SAMPLE_ROWS", "MOST_COMMON", "Run", "fanout_summary", "estimate_distinct", "bounded_count",
           "sample_fanout", "sample_column", "candidate_columns", "relationship_key"]

SAMPLE_ROWS = 100_000
MOST_COMMON = 10

#: Runs one SQL statement (no parameters) and returns its rows.
Run = Callable[[str], Sequence[Sequence[Any]]]


def fanout_summary(counts: Sequence[int]) -> RelationshipStats:
    """avg / p99 / max children over the parents that have children (`counts`: children per parent)."""
    if len(counts) == 0:
        return RelationshipStats(avg=0.0, p99=0.0, max=0.0)
    values = np.asarray(counts, dtype=np.float64)
    # "higher": p99 is a count some parent really has, not an interpolation between two.
    return RelationshipStats(avg=float(values.mean()), p99=float(np.percentile(values, 99, method="higher")),
                             max=float(values.max()))


def estimate_distinct(sampled: int, distinct: int, singletons: int, total: float) -> float:
    """Distinct values in `total` rows from a sample of `sampled` rows (Haas & Stokes 1998, Duj1)."""
    if sampled <= 0 or distinct <= 0:
        return 0.0
    if sampled >= total or singletons == 0:
        return float(distinct)
    estimate = sampled * distinct / (sampled - singletons + singletons * sampled / total)
    return float(min(max(estimate, distinct), total))


def bounded_count(run: Run, table: str, cap: int = SAMPLE_ROWS) -> tuple[float, bool]:
    """(rows, exact): COUNT over at most `cap` rows; `exact` is False when the cap was reached."""
    (count,), = run(f"SELECT COUNT(*) FROM (SELECT 1 AS one FROM {table} LIMIT {int(cap)}) s")
    return float(count), int(count) < cap


def sample_fanout(run: Run, table: str, columns: Sequence[str], cap: int = SAMPLE_ROWS) -> RelationshipStats:
    """Children per parent among the first `cap` child rows whose foreign key is set."""
    cols = ", ".join(columns)
    not_null = " AND ".join(f"{c} IS NOT NULL" for c in columns)
    rows = run(f"SELECT COUNT(*) FROM (SELECT {cols} FROM {table} WHERE {not_null} LIMIT {int(cap)}) s GROUP BY {cols}")
    return fanout_summary([int(r[0]) for r in rows])


def sample_column(run: Run, table: str, column: str, total_rows: float, cap: int = SAMPLE_ROWS) -> AttributeStats:
    """Distinct count (scaled) and most common values (frequency over all sampled rows) of one column."""
    sample = f"(SELECT {column} AS v FROM {table} LIMIT {int(cap)}) s"
    (sampled,), = run(f"SELECT COUNT(*) FROM {sample}")
    groups = f"(SELECT v, COUNT(*) AS c FROM {sample} WHERE v IS NOT NULL GROUP BY v) g"
    (distinct, singletons), = run(f"SELECT COUNT(*), SUM(CASE WHEN c = 1 THEN 1 ELSE 0 END) FROM {groups}")
    top = run(f"SELECT v, c FROM {groups} WHERE c > 1 ORDER BY c DESC LIMIT {MOST_COMMON}")
    sampled = int(sampled)
    total = max(float(total_rows), float(sampled))
    common = tuple((plain_value(v), int(c) / sampled) for v, c in top) if sampled else ()
    return AttributeStats(distinct=estimate_distinct(sampled, int(distinct or 0), int(singletons or 0), total),
                          most_common=common)


def candidate_columns(schema: Schema, entity: Entity) -> tuple[str, ...]:
    """Columns that could key a design: primary key, unique keys, indexed columns, foreign-key columns."""
    names: list[str] = list(entity.primary_key)
    for key in entity.unique_keys:
        names.extend(key)
    for index in entity.indexes:
        names.extend(index.columns)
    for rel in schema.relationships:
        if rel.from_entity == entity.key:
            names.extend(rel.from_attributes)
    real = set(entity.attribute_names)
    return tuple(n for n in dict.fromkeys(names) if n in real)


def relationship_key(schema: Schema, rel: Relationship) -> str:
    """`child.fk_attribute` for `rel`: the first attribute no sibling relationship shares (what `StatsView` tries first)."""
    shared = {a for r in schema.relationships if r.from_entity == rel.from_entity and r != rel for a in r.from_attributes}
    attribute = next((a for a in rel.from_attributes if a not in shared), rel.from_attributes[0])
    return f"{rel.from_entity}.{attribute}"
