"""The canonical model (IR): entities, attributes, keys and relationships, independent of any dialect.

Every record is immutable. Ingest builds a `Schema`; targets read one. Entity identity is its `key`
(`namespace.name`, or `name` without a namespace); `Schema.entity()` also accepts a bare name when it
is unambiguous and compares case-insensitively, as SQL engines resolve unquoted names.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from translator.diagnostics import Diagnostic, Severity
from translator.types import CanonicalType

__all__ = [
    "Cardinality",
    "ReferentialAction",
    "Attribute",
    "Index",
    "CheckConstraint",
    "Entity",
    "Relationship",
    "ManyToMany",
    "Policy",
    "Schema",
    "derive_cardinality",
]


class Cardinality(enum.StrEnum):
    """Seen from the referencing (child) side: many children per parent, or at most one."""

    ONE_TO_ONE = "one-to-one"
    MANY_TO_ONE = "many-to-one"


class ReferentialAction(enum.StrEnum):
    NO_ACTION = "no action"
    RESTRICT = "restrict"
    CASCADE = "cascade"
    SET_NULL = "set null"
    SET_DEFAULT = "set default"


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: CanonicalType
    nullable: bool = True
    default: str | None = None
    identity: bool = False
    generated: str | None = None
    comment: str | None = None

    @property
    def source_type(self) -> str:
        return self.type.source

    @property
    def enum_values(self) -> tuple[str, ...]:
        return self.type.values

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type.to_dict(),
            "nullable": self.nullable,
            "default": self.default,
            "identity": self.identity,
            "generated": self.generated,
            "enum_values": list(self.enum_values) or None,
            "comment": self.comment,
            "source_type": self.source_type,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribute:
        return cls(
            name=data["name"],
            type=CanonicalType.from_dict(data["type"]),
            nullable=data.get("nullable", True),
            default=data.get("default"),
            identity=data.get("identity", False),
            generated=data.get("generated"),
            comment=data.get("comment"),
        )


@dataclass(frozen=True, slots=True)
class Index:
    """An index, or a unique key whose parts are not whole columns.

    `prefix_lengths`, when not empty, holds one entry per column: the number of leading characters (bytes for
    binary) the index covers, as in MySQL's `KEY (uri(190))`, or None for a whole column. A unique index with
    a prefix part only makes the prefixes unique, so it is not a candidate key (`Entity.candidate_keys`).
    """

    name: str | None
    columns: tuple[str, ...]
    unique: bool = False
    predicate: str | None = None
    method: str | None = None
    prefix_lengths: tuple[int | None, ...] = ()

    @property
    def has_prefix(self) -> bool:
        return any(length is not None for length in self.prefix_lengths)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "columns": list(self.columns),
            "unique": self.unique,
            "predicate": self.predicate,
            "method": self.method,
            "prefix_lengths": list(self.prefix_lengths) if self.has_prefix else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Index:
        return cls(
            data.get("name"),
            tuple(data["columns"]),
            data.get("unique", False),
            data.get("predicate"),
            data.get("method"),
            tuple(data.get("prefix_lengths") or ()),
        )


@dataclass(frozen=True, slots=True)
class CheckConstraint:
    name: str | None
    expression: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "expression": self.expression}


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    attributes: tuple[Attribute, ...]
    namespace: str | None = None
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    comment: str | None = None
    partition_by: str | None = None
    #: PostgreSQL row-level security: enabled on the table (`ENABLE ROW LEVEL SECURITY`), and forced on
    #: its owner too (`FORCE ROW LEVEL SECURITY`)
    row_security: bool = False
    force_row_security: bool = False

    @property
    def key(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def attribute(self, name: str) -> Attribute:
        """The attribute called `name` (exact spelling first, then case-insensitive)."""
        found = self.find_attribute(name)
        if found is None:
            raise KeyError(f"entity {self.key!r} has no attribute {name!r}")
        return found

    def find_attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        folded = name.casefold()
        for attribute in self.attributes:
            if attribute.name.casefold() == folded:
                return attribute
        return None

    @property
    def attribute_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)

    def candidate_keys(self) -> tuple[tuple[str, ...], ...]:
        """Column sets that identify at most one row: the primary key, each unique key, and each unique index
        without a predicate whose parts are whole columns of this entity (not a prefix, not an expression)."""
        keys = [self.primary_key, *self.unique_keys]
        keys.extend(
            i.columns
            for i in self.indexes
            if i.unique
            and not i.predicate
            and not i.has_prefix
            and all(self.find_attribute(c) is not None for c in i.columns)
        )
        return tuple(dict.fromkeys(key for key in keys if key))

    def is_unique(self, columns: Iterable[str]) -> bool:
        """True when `columns` contain a candidate key (so at most one row matches)."""
        wanted = {c.casefold() for c in columns}
        return any({c.casefold() for c in key} <= wanted for key in self.candidate_keys())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "namespace": self.namespace,
            "comment": self.comment,
            "attributes": [a.to_dict() for a in self.attributes],
            "primary_key": list(self.primary_key),
            "unique_keys": [list(k) for k in self.unique_keys],
            "indexes": [i.to_dict() for i in self.indexes],
            "checks": [c.to_dict() for c in self.checks],
            "partition_by": self.partition_by,
            "row_security": self.row_security,
            "force_row_security": self.force_row_security,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            name=data["name"],
            attributes=tuple(Attribute.from_dict(a) for a in data["attributes"]),
            namespace=data.get("namespace"),
            primary_key=tuple(data.get("primary_key", ())),
            unique_keys=tuple(tuple(k) for k in data.get("unique_keys", ())),
            indexes=tuple(Index.from_dict(i) for i in data.get("indexes", ())),
            checks=tuple(CheckConstraint(c.get("name"), c["expression"]) for c in data.get("checks", ())),
            comment=data.get("comment"),
            partition_by=data.get("partition_by"),
            row_security=data.get("row_security", False),
            force_row_security=data.get("force_row_security", False),
        )


@dataclass(frozen=True, slots=True)
class Relationship:
    """A foreign key (or an inferred one): `from_entity.from_attributes` -> `to_entity.to_attributes`.

    `from_entity` is the child (referencing) side, `to_entity` the parent. Entities are named by `Entity.key`.
    """

    name: str
    from_entity: str
    from_attributes: tuple[str, ...]
    to_entity: str
    to_attributes: tuple[str, ...]
    cardinality: Cardinality = Cardinality.MANY_TO_ONE
    optional: bool = True
    on_delete: ReferentialAction | None = None
    on_update: ReferentialAction | None = None
    inferred: bool = False
    rule: str | None = None

    @property
    def is_self_reference(self) -> bool:
        return self.from_entity == self.to_entity

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from": {"entity": self.from_entity, "attributes": list(self.from_attributes)},
            "to": {"entity": self.to_entity, "attributes": list(self.to_attributes)},
            "cardinality": str(self.cardinality),
            "optional": self.optional,
            "on_delete": str(self.on_delete) if self.on_delete else None,
            "on_update": str(self.on_update) if self.on_update else None,
            "inferred": self.inferred,
            "rule": self.rule,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relationship:
        return cls(
            name=data["name"],
            from_entity=data["from"]["entity"],
            from_attributes=tuple(data["from"]["attributes"]),
            to_entity=data["to"]["entity"],
            to_attributes=tuple(data["to"]["attributes"]),
            cardinality=Cardinality(data.get("cardinality", "many-to-one")),
            optional=data.get("optional", True),
            on_delete=ReferentialAction(data["on_delete"]) if data.get("on_delete") else None,
            on_update=ReferentialAction(data["on_update"]) if data.get("on_update") else None,
            inferred=data.get("inferred", False),
            rule=data.get("rule"),
        )


@dataclass(frozen=True, slots=True)
class ManyToMany:
    """A junction entity whose rows pair two parents: `left` and `right` are its two relationships."""

    junction: str
    left: Relationship
    right: Relationship

    def to_dict(self) -> dict[str, Any]:
        return {
            "junction": self.junction,
            "left": {"entity": self.left.to_entity, "via": self.left.name},
            "right": {"entity": self.right.to_entity, "via": self.right.name},
        }


POLICY_COMMANDS = ("all", "select", "insert", "update", "delete")


@dataclass(frozen=True, slots=True)
class Policy:
    """A row-level-security policy (PostgreSQL `CREATE POLICY`) on `entity` (an `Entity.key`).

    `using` filters the rows a command sees, `with_check` the rows it may write; both are SQL text in a
    normal form (see docs/ir-format.md), or the text as written when it could not be read (a diagnostic
    names the policy). `permissive` policies are OR-ed together, restrictive ones AND-ed on top.
    """

    name: str
    entity: str
    command: str = "all"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "entity": self.entity,
            "command": self.command,
            "permissive": self.permissive,
            "roles": list(self.roles),
            "using": self.using,
            "with_check": self.with_check,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        return cls(
            name=data["name"],
            entity=data["entity"],
            command=data.get("command", "all"),
            permissive=data.get("permissive", True),
            roles=tuple(data.get("roles", ("public",))),
            using=data.get("using"),
            with_check=data.get("with_check"),
        )


def derive_cardinality(child: Entity, from_attributes: Iterable[str]) -> Cardinality:
    """One-to-one when the FK columns are unique in the child (a unique key or the whole primary key)."""
    return Cardinality.ONE_TO_ONE if child.is_unique(from_attributes) else Cardinality.MANY_TO_ONE


@dataclass(frozen=True)
class Schema:
    entities: tuple[Entity, ...]
    relationships: tuple[Relationship, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    dialect: str | None = field(default=None, compare=False)
    sources: tuple[str, ...] = field(default=(), compare=False)
    policies: tuple[Policy, ...] = ()

    @property
    def partial(self) -> bool:
        """True when something was lost (an error-level diagnostic): the result must say so."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    @cached_property
    def _by_key(self) -> dict[str, Entity]:
        return {e.key: e for e in self.entities}

    def find_entity(self, name: str) -> Entity | None:
        """By key, then by bare name; exact spelling first, then case-insensitive; None if absent or ambiguous."""
        if name in self._by_key:
            return self._by_key[name]
        for matcher in (
            lambda e: e.name == name,
            lambda e: e.name.casefold() == name.casefold(),
            lambda e: e.key.casefold() == name.casefold(),
        ):
            found = [e for e in self.entities if matcher(e)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return None
        return None

    def entity(self, name: str) -> Entity:
        found = self.find_entity(name)
        if found is None:
            raise KeyError(f"no entity {name!r} in the schema (or the name is ambiguous across namespaces)")
        return found

    def relationships_from(self, entity: str) -> tuple[Relationship, ...]:
        """Relationships where `entity` is the child (holds the foreign key)."""
        key = self.entity(entity).key
        return tuple(r for r in self.relationships if r.from_entity == key)

    def relationships_to(self, entity: str) -> tuple[Relationship, ...]:
        """Relationships where `entity` is the parent (is referenced)."""
        key = self.entity(entity).key
        return tuple(r for r in self.relationships if r.to_entity == key)

    def policies_on(self, entity: str) -> tuple[Policy, ...]:
        """The row-level-security policies of `entity`, in the order they were created."""
        key = self.entity(entity).key
        return tuple(p for p in self.policies if p.entity == key)

    def many_to_many(self) -> tuple[ManyToMany, ...]:
        """Junction entities: exactly two outgoing relationships to other entities whose columns cover
        the primary key."""
        outgoing_of: dict[str, list[Relationship]] = {}
        for relationship in self.relationships:  # one pass: O(entities + relationships), not their product
            if not relationship.is_self_reference:
                outgoing_of.setdefault(relationship.from_entity, []).append(relationship)
        out = []
        for entity in self.entities:
            outgoing = outgoing_of.get(entity.key, [])
            if len(outgoing) != 2 or not entity.primary_key:
                continue
            fk_columns = {c.casefold() for r in outgoing for c in r.from_attributes}
            if {c.casefold() for c in entity.primary_key} <= fk_columns:
                left, right = sorted(outgoing, key=lambda r: r.from_attributes)
                out.append(ManyToMany(entity.key, left, right))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "polyschema.ir/1",
            "dialect": self.dialect,
            "sources": list(self.sources),
            "partial": self.partial,
            "entities": [e.to_dict() for e in self.entities],
            "relationships": [r.to_dict() for r in self.relationships],
            "many_to_many": [m.to_dict() for m in self.many_to_many()],
            "policies": [p.to_dict() for p in self.policies],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        return cls(
            entities=tuple(Entity.from_dict(e) for e in data["entities"]),
            relationships=tuple(Relationship.from_dict(r) for r in data.get("relationships", ())),
            dialect=data.get("dialect"),
            sources=tuple(data.get("sources", ())),
            policies=tuple(Policy.from_dict(p) for p in data.get("policies", ())),
        )
