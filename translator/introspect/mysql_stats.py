"""MySQL / MariaDB statistics: `information_schema.TABLES` estimates, bounded samples for fan-out and keys."""

from __future__ import annotations

from collections.abc import Sequence

from translator.introspect import sampling
from translator.introspect.mysql import connect, quote, resolve_namespaces
from translator.introspect.url import ConnectionParams
from translator.ir import Schema
from translator.workload.model import EntityStats, Statistics

__all__ = ["read_statistics"]

_TABLE = "SELECT TABLE_ROWS, AVG_ROW_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s"


def read_statistics(params: ConnectionParams, schema: Schema, namespaces: Sequence[str], exact: bool) -> Statistics:
    stats = Statistics()
    with connect(params) as cur:
        _, default = resolve_namespaces(cur, params, namespaces)

        def run(sql: str) -> tuple:
            cur.execute(sql)
            return cur.fetchall()

        def table_of(entity_key: str) -> str:
            entity = schema.entity(entity_key)
            namespace = entity.namespace or default
            # Without a default database every entity was read with its database's name.
            assert namespace is not None
            return f"{quote(namespace)}.{quote(entity.name)}"

        for entity in schema.entities:
            table = table_of(entity.key)
            cur.execute(_TABLE, (entity.namespace or default, entity.name))
            found = cur.fetchone()
            estimate, width = (found if found else (None, None))
            if exact or estimate is None:
                (count,), = run(f"SELECT COUNT(*) FROM {table}")
                rows = float(count)
            else:
                # InnoDB's TABLE_ROWS is an estimate from sampled index pages, as the documentation warns.
                rows = float(estimate)
            stats.entities[entity.key] = EntityStats(rows, float(width) if width else None)
            for column in sampling.candidate_columns(schema, entity):
                stats.attributes[f"{entity.key}.{column}"] = sampling.sample_column(run, table, quote(column), rows)
        for rel in schema.relationships:
            stats.relationships[sampling.relationship_key(schema, rel)] = sampling.sample_fanout(
                run, table_of(rel.from_entity), [quote(c) for c in rel.from_attributes])
    return stats
