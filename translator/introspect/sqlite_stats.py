"""SQLite statistics: exact row counts (a local file: counting is cheap), bounded samples for fan-out and keys.

SQLite keeps no per-column catalog statistics unless ANALYZE ran, and the file is opened read-only, so
everything but the row count comes from the sample; the average row size is left to the type estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

from translator.introspect import sampling
from translator.introspect.sqlite import connect, quote
from translator.introspect.url import ConnectionParams
from translator.ir import Schema
from translator.workload.model import EntityStats, Statistics

__all__ = ["read_statistics"]


def read_statistics(params: ConnectionParams, schema: Schema, namespaces: Sequence[str], exact: bool) -> Statistics:
    stats = Statistics()
    with connect(params) as conn:

        def run(sql: str) -> list:
            return conn.execute(sql).fetchall()

        for entity in schema.entities:
            table = quote(entity.name)
            (count,), = run(f"SELECT COUNT(*) FROM {table}")
            stats.entities[entity.key] = EntityStats(float(count))
            for column in sampling.candidate_columns(schema, entity):
                stats.attributes[f"{entity.key}.{column}"] = sampling.sample_column(run, table, quote(column), count)
        for rel in schema.relationships:
            stats.relationships[sampling.relationship_key(schema, rel)] = sampling.sample_fanout(
                run, quote(schema.entity(rel.from_entity).name), [quote(c) for c in rel.from_attributes])
    return stats
