"""What a pattern needs from a key, with every attribute resolved to a *part* of the pattern's entity: its
own column, or a copy of a related entity's column reached through foreign keys towards parents.

A copy is what makes "orders found by the customer's e-mail" one Query: the e-mail is copied into every
order item and a GSI is keyed on it. Only attributes reached through parents (one value per item) can be
copied; an attribute reached through children is many values, and the pattern keeps it `unresolved`.
Hop chains come from the workload (`AttributeRef.path`, `AccessPattern.paths`); a workload built without
them (older callers, tests) gets the one direct foreign key between the two entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.ir import Entity, Relationship, Schema
from translator.targets.common import unique_name
from translator.targets.dynamodb.model import CopySpec
from translator.targets.dynamodb.roles import copy_name
from translator.workload.model import AccessPattern, AttributeRef, Direction, Hop

__all__ = ["Need", "Copies", "need_of", "with_chains", "chain_of", "through", "resolve", "Chain"]

#: One step towards a parent or a child: (relationship, True when it goes from the child to its parent).
Chain = tuple[tuple[Relationship, bool], ...]


@dataclass
class Copies:
    """Working state: the copies each entity's items carry (entity key -> part name -> spec).

    With `schema`, a copy along a foreign key that has a sibling to the same parent is named by its role
    (`origin.city`, roles.py); `tenant` (entity -> tenant column) keeps the tenant out of roles."""

    by_entity: dict[str, dict[str, CopySpec]] = field(default_factory=dict)
    kept: set[tuple[str, str]] = field(default_factory=set)  # (entity, part) a read returns, though no key holds
    schema: Schema | None = None
    tenant: dict[str, str] = field(default_factory=dict)

    def keep(self, entity: str, part: str) -> None:
        if part in self.by_entity.get(entity, {}):
            self.kept.add((entity, part))

    def add(self, entity: Entity, rels: list[Relationship], column: str) -> str:
        source, hops = rels[-1].to_entity, tuple(r.name for r in rels)
        held = self.by_entity.setdefault(entity.key, {})
        for part, spec in held.items():
            if (spec.source, spec.column, spec.hops) == (source, column, hops):
                return part
        wanted, role = copy_name(self.schema, rels, column, self.tenant)
        part = unique_name(wanted, {*entity.attribute_names, *held})
        held[part] = CopySpec(part, source, column, hops, role)
        return part

    def of(self, entity: str) -> tuple[CopySpec, ...]:
        return tuple(self.by_entity.get(entity, {}).values())


@dataclass(frozen=True)
class Need:
    """A pattern in parts of its entity: equality parts, the range part, the order terms."""

    pattern: AccessPattern
    eq: tuple[str, ...]
    range: str | None
    order: tuple[tuple[str, Direction], ...]
    unresolved: tuple[str, ...] = ()  # attribute refs reached through children (cannot be copied)
    # order terms on a `with` entity reached through children: (that entity, its column, direction). They
    # order the children the read returns with the entity (DeBrie's "repo and its most recent issues"), so
    # the children's sort key serves them; they filter nothing.
    child_order: tuple[tuple[str, str, Direction], ...] = ()

    @property
    def descending(self) -> bool:
        first = self.order[0][1] if self.order else self.child_order[0][2] if self.child_order else None
        return first is Direction.DESC


def _relationship(schema: Schema, hop: Hop) -> tuple[Relationship, bool] | None:
    name = hop.relationships[0] if hop.relationships else None
    for rel in schema.relationships:
        if rel.name != name:
            continue
        if rel.from_entity == hop.source and rel.to_entity == hop.target:
            return rel, True
        if rel.to_entity == hop.source and rel.from_entity == hop.target:
            return rel, False
    return None


def _direct(schema: Schema, source: str, target: str) -> Chain | None:
    """The one foreign key between `source` and `target` (either direction), else None."""
    up = [(r, True) for r in schema.relationships_from(source) if r.to_entity == target and not r.is_self_reference]
    down = [(r, False) for r in schema.relationships_to(source) if r.from_entity == target and not r.is_self_reference]
    found = up + down
    return ((found[0],) if len(found) == 1 else None) if found else None


def chain_of(schema: Schema, source: str, target: str, hops: tuple[Hop, ...]) -> Chain | None:
    """The relationships from `source` to `target` along `hops` (or the direct one when `hops` is empty);
    None when a hop crosses a many-to-many link or cannot be followed."""
    if not hops:
        return _direct(schema, source, target)
    out = []
    for hop in hops:
        if hop.via is not None:
            return None
        step = _relationship(schema, hop)
        if step is None:
            return None
        out.append(step)
    return tuple(out)


def with_chains(schema: Schema, pattern: AccessPattern) -> list[tuple[str, Chain | None]]:
    """Each `with` entity and the chain of relationships that reaches it from the pattern's entity."""
    entity = schema.find_entity(pattern.entity)
    out: list[tuple[str, Chain | None]] = []
    for i, name in enumerate(pattern.with_):
        target = schema.find_entity(name)
        if entity is None or target is None:
            out.append((name, None))
            continue
        hops = pattern.paths[i] if len(pattern.paths) == len(pattern.with_) else ()
        out.append((target.key, chain_of(schema, entity.key, target.key, hops)))
    return out


def resolve(schema: Schema, entity: Entity, ref: AttributeRef, copies: Copies) -> str | None:
    """The part of `entity` that holds `ref`: a column, or a copy along parents; None through children."""
    if ref.entity == entity.key and not ref.path:
        return entity.attribute(ref.attribute).name
    chain = chain_of(schema, entity.key, ref.entity, ref.path)
    if chain is None or not all(up for _, up in chain):
        return None
    return through(entity, [r for r, _ in chain], ref.attribute, copies)


def through(entity: Entity, rels: list[Relationship], column: str, copies: Copies) -> str:
    """The part of `entity` holding `column` of the parent reached by `rels` (each child -> parent)."""
    rels = list(rels)
    # A column the foreign key itself carries needs no copy: walk back while the key holds it.
    while rels and column in rels[-1].to_attributes:
        rel = rels.pop()
        column = rel.from_attributes[rel.to_attributes.index(column)]
    if not rels:
        return column
    return copies.add(entity, rels, column)


def need_of(schema: Schema, entity: Entity, pattern: AccessPattern, copies: Copies) -> Need:
    unresolved: list[str] = []

    def part(ref: AttributeRef) -> str | None:
        found = resolve(schema, entity, ref, copies)
        if found is None:
            unresolved.append(str(ref))
        return found

    eq = tuple(p for p in (part(r) for r in pattern.equality) if p is not None)
    range_ = part(pattern.range) if pattern.range is not None else None
    returned_below = {
        target for target, chain in with_chains(schema, pattern) if chain and not any(up for _, up in chain)
    }
    order: list[tuple[str, Direction]] = []
    child_order: list[tuple[str, str, Direction]] = []
    for term in pattern.order_by:
        ref = term.attribute
        if ref.entity in returned_below and resolve(schema, entity, ref, copies) is None:
            child_order.append((ref.entity, ref.attribute, term.direction))
        elif (p := part(ref)) is not None:
            order.append((p, term.direction))
    return Need(pattern, tuple(dict.fromkeys(eq)), range_, tuple(order), tuple(unresolved), tuple(child_order))
