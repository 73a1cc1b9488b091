"""Design records of the DynamoDB target (frozen), and their stable JSON form (`to_dict`, fixed key order)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.diagnostics import Diagnostic
from translator.targets.record import Decision, envelope

__all__ = [
    "AttributeMapping",
    "Carried",
    "CopySpec",
    "DynamoDesign",
    "EntityMapping",
    "GsiSpec",
    "KeyPath",
    "KeyTemplate",
    "LimitFinding",
    "PatternPlan",
    "TableSpec",
    "ValueBinding",
]


@dataclass(frozen=True, slots=True)
class KeyTemplate:
    """A key attribute's value as `prefix#<part>#<part>`; parts are column names (or copied attributes, see
    `CopySpec`), encoded to sort.

    `literals` are fixed tags placed before `parts[i]` (`(1, "LINES")`: `SHIPMENTS#<shipment_id>#LINES#<n>`),
    which keep the levels of a nested item collection apart. `shards` > 1 adds a calculated suffix
    `0..shards-1` after the prefix (write sharding of a hot partition).
    """

    attribute: str
    prefix: str
    parts: tuple[str, ...] = ()
    literals: tuple[tuple[int, str], ...] = ()
    shards: int = 1

    def pieces(self) -> list[tuple[str, str]]:
        """("lit", text), ("shard", "") and ("part", column) in the order they are joined."""
        out: list[tuple[str, str]] = [("lit", self.prefix)]
        if self.shards > 1:
            out.append(("shard", ""))
        for i in range(len(self.parts) + 1):
            out += [("lit", tag) for at, tag in self.literals if at == i]
            if i < len(self.parts):
                out.append(("part", self.parts[i]))
        return out

    def text(self, separator: str = "#") -> str:
        shown = {"lit": lambda v: v, "part": lambda v: f"<{v}>", "shard": lambda v: f"<0..{self.shards - 1}>"}
        return separator.join(shown[kind](value) for kind, value in self.pieces())


@dataclass(frozen=True, slots=True)
class CopySpec:
    """An attribute of a related entity copied into this entity's items, so a key can hold it.

    `part`: the name key templates use for it (and the item attribute that stores it). `hops`: the
    foreign keys followed from this entity to `source` (each towards a parent, so there is one value).
    `role`: which of several ways to the same parent it follows (`origin`, roles.py); "" when only one.
    """

    part: str
    source: str
    column: str
    hops: tuple[str, ...]
    role: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribute": self.part,
            "from": f"{self.source}.{self.column}",
            "via": list(self.hops),
            "role": self.role or None,
        }


@dataclass(frozen=True, slots=True)
class Carried:
    """A parent a read returns from the copies its entity's items carry (a child read with its parents).

    `columns`: (parent column, part of the child holding it: its own column or a copy). `witness`: the
    child's parts holding every foreign-key column along `via`; the parent exists only when none is NULL.
    `role`: which way to `entity` it is when the child has several (`origin`, roles.py), else ""."""

    entity: str
    via: tuple[str, ...]
    witness: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    role: str = ""

    @property
    def label(self) -> str:
        """The entity, with its role when it has one: `airports (origin)`."""
        return f"{self.entity} ({self.role})" if self.role else self.entity

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "role": self.role or None,
            "via": list(self.via),
            "present_when_set": list(self.witness),
            "columns": dict(self.columns),
        }


@dataclass(frozen=True, slots=True)
class KeyPath:
    """One way to reach an entity's items: the table's key (index None) or a GSI's key."""

    entity: str
    index: str | None
    partition: KeyTemplate
    sort: KeyTemplate
    rule: str


@dataclass(frozen=True, slots=True)
class AttributeMapping:
    column: str
    attribute: str
    type: str  # DynamoDB attribute type
    renamed_because: str | None = None


@dataclass(frozen=True, slots=True)
class EntityMapping:
    entity: str
    table: str
    type_value: str
    tag: str
    paths: tuple[KeyPath, ...]
    attributes: tuple[AttributeMapping, ...]
    placement: str
    ttl_column: str | None = None
    copies: tuple[CopySpec, ...] = ()
    #: the item attribute holding a generated id, for an entity with neither a primary nor a unique key
    generated_id: str | None = None

    @property
    def base(self) -> KeyPath:
        return self.paths[0]

    def path_on(self, index: str | None) -> KeyPath | None:
        return next((p for p in self.paths if p.index == index), None)

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(a.column for a in self.attributes)

    def attribute_of(self, column: str) -> str:
        return next(a.attribute for a in self.attributes if a.column == column)

    def to_dict(self) -> dict[str, Any]:
        keys: dict[str, str] = {}
        for path in self.paths:
            keys[path.partition.attribute] = path.partition.text()
            keys[path.sort.attribute] = path.sort.text()
        return {
            "name": self.entity,
            "table": self.table,
            "type_value": self.type_value,
            "placement": self.placement,
            "keys": keys,
            "attributes": {a.column: {"attribute": a.attribute, "type": a.type} for a in self.attributes},
            "ttl_from": self.ttl_column,
            "copies": [c.to_dict() for c in self.copies],
            "generated_id": self.generated_id,
        }


@dataclass(frozen=True, slots=True)
class GsiSpec:
    name: str
    partition_key: str
    sort_key: str
    projection: str = "ALL"
    entities: tuple[str, ...] = ()
    sparse: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "partition_key": {"name": self.partition_key, "type": "S"},
            "sort_key": {"name": self.sort_key, "type": "S"},
            "projection": self.projection,
            "entities": list(self.entities),
            "sparse": self.sparse,
        }


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    partition_key: str
    sort_key: str
    gsis: tuple[GsiSpec, ...]
    entity_type_attribute: str
    ttl: str | None = None
    #: the CloudFormation logical ID of the table resource (alphanumeric, derived from the name)
    logical_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "partition_key": {"name": self.partition_key, "type": "S"},
            "sort_key": {"name": self.sort_key, "type": "S"},
            "gsis": [g.to_dict() for g in self.gsis],
            "ttl": self.ttl,
            "entity_type_attribute": self.entity_type_attribute,
            "billing_mode": "PAY_PER_REQUEST",
            "logical_id": self.logical_id,
        }


@dataclass(frozen=True, slots=True)
class ValueBinding:
    """An expression value built from the pattern's parameters: prefix, encoded parts, then suffix.

    `parts` are (value, role): role `eq` (the equality value of column `value`), `low`/`high` (the range
    bounds), `lit` (the fixed text `value`), `shard` (one write-shard suffix; the plan runs once per suffix).
    """

    placeholder: str
    prefix: str
    parts: tuple[tuple[str, str], ...] = ()
    suffix: str = ""
    trailing_separator: bool = False

    def text(self, separator: str = "#") -> str:
        shown = {"eq": "<{}>", "low": "<{}.low>", "high": "<{}.high>", "lit": "{}", "shard": "<shard>"}
        pieces = [self.prefix, *(shown[role].format(c) for c, role in self.parts)]
        return separator.join(pieces) + (separator if self.trailing_separator else "") + self.suffix


@dataclass(frozen=True, slots=True)
class PatternPlan:
    id: str
    entity: str
    kind: str
    table: str | None
    index: str | None
    operation: str
    key_condition: str | None
    filter: str | None
    values: tuple[ValueBinding, ...]
    names: tuple[tuple[str, str], ...] = ()
    scan_forward: bool = True
    limit: int | None = None
    returns: tuple[str, ...] = ()
    flagged: bool = False
    reason: str = ""
    rule: str = ""
    assumed: bool = False
    rate: float = 0.0
    #: Queries one execution sends: N for a write-sharded partition (one per suffix), else 1
    shards: int = 1
    #: for a write: the other entities whose items hold copies of what it changes (they must be updated too)
    also_writes: tuple[str, ...] = ()
    #: for a child read with its parents: the parents `returns` names that come from copies in its items
    carried: tuple[Carried, ...] = ()
    #: the entity whose items the request reads when they are not `entity`'s own: a filter across child rows
    #: reads the children's items, which carry copies of `entity` (child_filter.py); "" otherwise
    items_of: str = ""

    @property
    def served(self) -> bool:
        """True when the plan answers the pattern by itself: it runs (a key condition) and needs no second
        request. A plan flagged only for its type filter is served; `verify` FAILs the others."""
        return not (self.flagged and (self.key_condition is None or "+" in self.operation))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entity": self.entity,
            "kind": self.kind,
            "table": self.table,
            "index": self.index,
            "operation": self.operation,
            "key_condition": self.key_condition,
            "filter": self.filter,
            "values": {v.placeholder: v.text() for v in self.values},
            "names": dict(self.names),
            "scan_index_forward": self.scan_forward,
            "limit": self.limit,
            "returns": list(self.returns),
            "flagged": self.flagged,
            "reason": self.reason,
            "rule": self.rule,
            "rate": self.rate,
            "shards": self.shards,
            "also_writes": list(self.also_writes),
            "carried": [c.to_dict() for c in self.carried],
            "items_of": self.items_of or None,
            "assumed": self.assumed,
        }


@dataclass(frozen=True, slots=True)
class LimitFinding:
    """One limit check: what was measured against which limit, and a proposal when it does not fit."""

    check: str
    subject: str
    value: float
    limit: float
    ok: bool
    proposal: str | None = None
    numbers: tuple[tuple[str, float | int | str | None], ...] = ()
    #: the names of the inputs behind `value` that were defaulted (`statistics:orders`, `workload`)
    assumed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "subject": self.subject,
            "value": round(self.value, 3),
            "limit": self.limit,
            "ok": self.ok,
            "proposal": self.proposal,
            "numbers": dict(self.numbers),
            "assumed": list(self.assumed),
        }


@dataclass(frozen=True)
class DynamoDesign:
    mode: str
    tables: tuple[TableSpec, ...]
    entities: tuple[EntityMapping, ...]
    access_patterns: tuple[PatternPlan, ...]
    limits: tuple[LimitFinding, ...] = ()
    decisions: tuple[Decision, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    #: the inputs the design rests on that were defaulted (the envelope's `assumed`)
    assumed: tuple[str, ...] = ()
    #: the workload file the design was made for (None: derived patterns), for the simulate commands it prints
    workload_source: str | None = None
    #: (entity, tenant column) of each tenant-scoped entity when the tenancy is known: keys lead with the
    #: tenant and the cloudformation output carries the LeadingKeys policy
    isolation: tuple[tuple[str, str], ...] = ()

    def entity(self, key: str) -> EntityMapping:
        return next(e for e in self.entities if e.entity == key)

    def table(self, name: str) -> TableSpec:
        return next(t for t in self.tables if t.name == name)

    def to_dict(self) -> dict[str, Any]:
        body = {
            "mode": self.mode,
            "tables": [t.to_dict() for t in self.tables],
            "entities": [e.to_dict() for e in self.entities],
            "access_patterns": [p.to_dict() for p in self.access_patterns],
            "limits": [f.to_dict() for f in self.limits],
            "decisions": [d.to_dict() for d in self.decisions],
            "isolation": {"tenant_columns": dict(self.isolation), "policy": "TenantIsolationPolicy"}
            if self.isolation
            else None,
        }
        return envelope("dynamodb", body, assumed=self.assumed, diagnostics=self.diagnostics)
