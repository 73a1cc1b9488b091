"""Workload and statistics records: how data is read and written, and how much of it there is.

Attribute references are resolved against the schema when the file is loaded, so targets can trust
`AttributeRef.entity` to be an `Entity.key` and `AttributeRef.attribute` to exist.
Every record that was not given by the user but derived or defaulted carries `assumed=True`, so a
design can say which of its decisions rest on assumptions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PatternKind",
    "Direction",
    "Hop",
    "AttributeRef",
    "OrderTerm",
    "AccessPattern",
    "EntityStats",
    "RelationshipStats",
    "AttributeStats",
    "Statistics",
    "Workload",
]


class PatternKind(enum.StrEnum):
    READ = "read"
    WRITE = "write"
    UPDATE = "update"
    DELETE = "delete"


class Direction(enum.StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True, slots=True)
class Hop:
    """One step along a relationship path: from `source` to `target` (entity keys).

    `relationships` names the foreign key followed (one name), or a many-to-many link's two foreign keys
    (source side first) with `via` the junction entity. `to_many` is True when one `source` row reaches
    many `target` rows (parent -> children, or across a many-to-many link).
    """

    source: str
    target: str
    relationships: tuple[str, ...]
    to_many: bool
    via: str | None = None

    def __str__(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass(frozen=True, slots=True)
class AttributeRef:
    """`entity.attribute`, reached from the pattern's entity along `path` (empty: the entity itself)."""

    entity: str
    attribute: str
    path: tuple[Hop, ...] = ()

    def __str__(self) -> str:
        return f"{self.entity}.{self.attribute}"


@dataclass(frozen=True, slots=True)
class OrderTerm:
    attribute: AttributeRef
    direction: Direction = Direction.ASC


@dataclass(frozen=True, slots=True)
class AccessPattern:
    id: str
    entity: str
    kind: PatternKind = PatternKind.READ
    description: str = ""
    with_: tuple[str, ...] = ()
    equality: tuple[AttributeRef, ...] = ()
    range: AttributeRef | None = None
    order_by: tuple[OrderTerm, ...] = ()
    limit: int | None = None
    rate: float = 1.0
    assumed: bool = False
    #: One hop chain per `with_` entry, from `entity` to that entry (filled by the loader).
    paths: tuple[tuple[Hop, ...], ...] = ()
    #: An administrative pattern may cross tenants without being flagged.
    admin: bool = False

    @property
    def is_read(self) -> bool:
        return self.kind is PatternKind.READ

    @property
    def entities(self) -> tuple[str, ...]:
        return (self.entity, *self.with_)

    def with_specs(self) -> list[str]:
        """Each `with` entry as a workload file names it: the entities along its path joined by dots."""
        if len(self.paths) != len(self.with_):
            return list(self.with_)
        plain = [".".join(hop.target for hop in path) or end for path, end in zip(self.paths, self.with_, strict=True)]
        # Two entries that end at one entity along different foreign keys (a flight's origin and destination
        # airports) name each step's relationship, so that the file reads back to the same paths.
        return [
            ".".join(f"{hop.target}({hop.via or hop.relationships[0]})" for hop in path)
            if plain.count(spec) > 1 and path and all(hop.relationships for hop in path)
            else spec
            for spec, path in zip(plain, self.paths, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """The pattern in workload-file form (`parse_workload` reads it back; see `workload_to_dict`)."""
        return {
            "id": self.id,
            "description": self.description,
            "kind": str(self.kind),
            "entity": self.entity,
            "with": self.with_specs(),
            "equality": [str(a) for a in self.equality],
            "range": [str(self.range)] if self.range else [],
            "order_by": [f"{t.attribute} {t.direction}" for t in self.order_by],
            "limit": self.limit,
            "rate": self.rate,
            "assumed": self.assumed,
            "admin": self.admin,
        }


@dataclass(frozen=True, slots=True)
class EntityStats:
    rows: float
    avg_row_bytes: float | None = None
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class RelationshipStats:
    """Children per parent through one foreign key."""

    avg: float
    p99: float | None = None
    max: float | None = None
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class AttributeStats:
    distinct: float | None = None
    most_common: tuple[tuple[Any, float], ...] = ()
    assumed: bool = False


@dataclass(frozen=True, slots=True)
class Statistics:
    """Keys: entity key; `"child_entity.fk_attribute"` for relationships; `"entity.attribute"` for attributes."""

    entities: dict[str, EntityStats] = field(default_factory=dict)
    relationships: dict[str, RelationshipStats] = field(default_factory=dict)
    attributes: dict[str, AttributeStats] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Workload:
    access_patterns: tuple[AccessPattern, ...]
    statistics: Statistics = field(default_factory=Statistics)
    source: str | None = None
    #: The tenant attribute declared by the workload (`tenant: tenant_id`), if any.
    tenant: str | None = None

    def pattern(self, pattern_id: str) -> AccessPattern:
        for pattern in self.access_patterns:
            if pattern.id == pattern_id:
                return pattern
        raise KeyError(f"no access pattern {pattern_id!r}")

    @property
    def assumed(self) -> bool:
        return all(p.assumed for p in self.access_patterns)
