"""PostgreSQL statistics: catalog estimates (`pg_class`, `pg_stats`) first, bounded samples where they are empty.

Never runs ANALYZE (the connection is read-only): a table the planner has not analysed gets sampled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from translator.introspect import sampling
from translator.introspect.postgres import connect, quote, resolve_namespaces
from translator.introspect.url import ConnectionParams
from translator.ir import Entity, Schema
from translator.types import TypeKind
from translator.workload.model import AttributeStats, EntityStats, Statistics

__all__ = ["read_statistics"]

_TABLE = """SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relname = %s"""
_PG_STATS = """SELECT attname, avg_width, n_distinct, most_common_vals::text::text[], most_common_freqs
FROM pg_stats WHERE schemaname = %s AND tablename = %s
ORDER BY inherited"""  # a partitioned or inherited-into table: the rows covering its children come last and win


def read_statistics(params: ConnectionParams, schema: Schema, namespaces: Sequence[str], exact: bool) -> Statistics:
    stats = Statistics()
    with connect(params) as conn:
        _, default = resolve_namespaces(conn, namespaces)

        def run(sql: str) -> list[tuple]:
            return conn.execute(sql).fetchall()

        for entity in schema.entities:
            namespace = entity.namespace or default or "public"
            table = quote(namespace, entity.name)
            rows = _rows(conn, run, namespace, entity.name, table, exact)
            catalog = {r[0]: r for r in conn.execute(_PG_STATS, (namespace, entity.name))}
            width = sum(r[1] or 0 for r in catalog.values()) if catalog else None
            if width is None and rows.rows > 0 and entity.attributes:
                # Per-column sizes, like pg_stats.avg_width: the tuple header is PostgreSQL's, not the data's.
                total = " + ".join(f"COALESCE(pg_column_size(t.{quote(a.name)}), 0)" for a in entity.attributes)
                (width,), = run(f"SELECT AVG({total}) FROM (SELECT * FROM {table} LIMIT 1000) t")
            stats.entities[entity.key] = EntityStats(rows.rows, float(width) if width else None, rows.assumed)
            for column in sampling.candidate_columns(schema, entity):
                found = catalog.get(column)
                stats.attributes[f"{entity.key}.{column}"] = (
                    _from_pg_stats(found, rows.rows, entity, column) if found is not None
                    else sampling.sample_column(run, table, quote(column), rows.rows))
        for rel in schema.relationships:
            child = schema.entity(rel.from_entity)
            table = quote(child.namespace or default or "public", child.name)
            stats.relationships[sampling.relationship_key(schema, rel)] = sampling.sample_fanout(
                run, table, [quote(c) for c in rel.from_attributes])
    return stats


def _rows(conn: Any, run: sampling.Run, namespace: str, name: str, table: str, exact: bool) -> EntityStats:
    if exact:
        (count,), = run(f"SELECT COUNT(*) FROM {table}")
        return EntityStats(float(count))
    found = conn.execute(_TABLE, (namespace, name)).fetchone()
    if found is not None and found[0] is not None and found[0] >= 0:
        return EntityStats(float(found[0]))
    # reltuples = -1: never analysed. Count, but only up to the sample bound; beyond it the number is a floor.
    count, complete = sampling.bounded_count(run, table)
    return EntityStats(count, assumed=not complete)


def _from_pg_stats(row: tuple, rows: float, entity: Entity, column: str) -> AttributeStats:
    _, _, n_distinct, values, freqs = row
    # A negative n_distinct is a fraction of the rows (the planner's way to say "grows with the table").
    distinct = -n_distinct * rows if n_distinct is not None and n_distinct < 0 else n_distinct
    kind = entity.attribute(column).type.kind
    common = tuple((_typed(v, kind), float(f)) for v, f in zip(values or (), freqs or ()))[: sampling.MOST_COMMON]
    return AttributeStats(distinct=None if distinct is None else float(distinct), most_common=common)


def _typed(text: str | None, kind: TypeKind) -> Any:
    """pg_stats keeps values as text; give numbers and booleans back their type for the statistics file."""
    if text is None:
        return None
    try:
        if kind is TypeKind.INTEGER:
            return int(text)
        if kind in (TypeKind.FLOAT, TypeKind.DECIMAL):
            return float(text)
    except ValueError:
        return text
    if kind is TypeKind.BOOLEAN:
        return text in ("t", "true")
    return text
