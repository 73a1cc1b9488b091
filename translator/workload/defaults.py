"""The workload assumed when the user gives none: what every relational schema is certainly asked."""

from __future__ import annotations

from translator.ir import Schema
from translator.workload.model import AccessPattern, AttributeRef, PatternKind, Statistics, Workload
from translator.workload.validate import require_schema

__all__ = ["default_workload", "default_patterns"]


def default_patterns(schema: Schema) -> tuple[AccessPattern, ...]:
    """Per entity a lookup by primary key (`<entity>.by_pk`); per relationship its children by parent.

    An entity without a primary key is looked up by its first unique key (`<entity>.by_unique`), and
    without any key it gets a scan (`<entity>.scan`), so no entity is left out. Every pattern has rate 1
    and `assumed=True`.
    """
    patterns: list[AccessPattern] = []
    used: set[str] = set()

    def unique_id(base: str) -> str:
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        return candidate

    for entity in schema.entities:
        key = entity.primary_key or next(iter(entity.unique_keys), ())
        suffix = "by_pk" if entity.primary_key else "by_unique" if key else "scan"
        how = {"by_pk": "by primary key", "by_unique": "by unique key", "scan": "(no key: every row)"}[suffix]
        patterns.append(
            AccessPattern(
                id=unique_id(f"{entity.key}.{suffix}"),
                entity=entity.key,
                kind=PatternKind.READ,
                description=f"{entity.key} {how} (assumed)",
                equality=tuple(AttributeRef(entity.key, entity.attribute(c).name) for c in key),
                assumed=True,
            )
        )
    for rel in schema.relationships:
        child = schema.entity(rel.from_entity)
        patterns.append(
            AccessPattern(
                id=unique_id(f"{child.key}.by_{'_'.join(rel.from_attributes)}"),
                entity=child.key,
                kind=PatternKind.READ,
                description=f"{child.key} rows of one {rel.to_entity} through {rel.name} (assumed)",
                equality=tuple(AttributeRef(child.key, child.attribute(c).name) for c in rel.from_attributes),
                assumed=True,
            )
        )
    return tuple(patterns)


def default_workload(schema: Schema) -> Workload:
    """The assumed workload of `schema` (see `default_patterns`), with no statistics: `StatsView` defaults apply."""
    require_schema(schema, "default_workload")
    return Workload(access_patterns=default_patterns(schema), statistics=Statistics(), source=None)
