"""Read patterns checked against the schema, with every attribute placed on a relationship path.

A pattern's equality, range and order_by may name attributes of any entity reached from its entity along
foreign keys to the parent side (a "to-one" path: tickets -> flights -> airports). Such an attribute is
*copied* into the pattern's table (Chebotko et al. 2015, mapping rule MR1 with denormalization), so every
attribute is a `Ref`: the entity that owns it, its name, and the chain of foreign keys followed to reach it.
Entities read `with` the pattern's entity are ancestors (copied) or children (one-to-many, one hop).
"""

from __future__ import annotations

import weakref
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import NamedTuple

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError, UnservablePattern
from translator.ir import Entity, Relationship, Schema
from translator.targets.cassandra.model import Order
from translator.targets.cassandra.pivot import pivot_of
from translator.workload.model import AccessPattern, AttributeRef, Direction, Hop

__all__ = ["Ref", "Chain", "Path", "Child", "Shape", "shape_of", "entity_key", "chain_label", "nearest"]

#: The foreign keys followed from the pattern's entity, each from its child side to its parent side.
Chain = tuple[Relationship, ...]
#: A chain by its relationship names: what identifies one copied ancestor (a role) within a table.
Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ref:
    """`entity.attribute`, reached from the pattern's entity by `chain` (empty: its own attribute)."""

    entity: str
    attribute: str
    chain: Chain = ()
    #: How to show it when the pattern reaches `entity` along several paths (`airports(fk_..._origin_id).city`).
    label: str = field(default="", compare=False)

    @property
    def path(self) -> Path:
        """The relationship names followed to reach the attribute: two roles of one entity differ here."""
        return tuple(r.name for r in self.chain)

    @property
    def key(self) -> tuple[str, str, Path]:
        return (self.entity, self.attribute, self.path)

    def __str__(self) -> str:
        return self.label or f"{self.entity}.{self.attribute}"


class Child(NamedTuple):
    """Rows of `entity` nested under the pattern's entity through `relationship` (its foreign key to it).

    `reached` is the `with` entry it serves: the child itself, or the far entity of a many-to-many link
    (the child is then the junction) or of to-one hops after the child (`order_lines.products`), whose
    attributes are copied into each child (`copies`: entity and the chain from the child to it)."""

    entity: Entity
    relationship: Relationship
    reached: str
    copies: tuple[tuple[Entity, Chain], ...] = ()


def chain_label(schema: Schema, chain: Chain) -> str:
    """A chain written as a workload path names it: each step's entity, qualified by the relationship where
    two relationships join the same entities (`airports(fk_flights_origin_id)`)."""
    parts = []
    for rel in chain:
        ends = {rel.from_entity, rel.to_entity}
        twins = [r for r in schema.relationships if {r.from_entity, r.to_entity} == ends]
        parts.append(f"{rel.to_entity}({rel.name})" if len(twins) > 1 else rel.to_entity)
    return ".".join(parts)


def entity_key(entity: Entity) -> tuple[str, ...]:
    """Attributes identifying one row: the primary key, else the first unique key, else every attribute."""
    if entity.primary_key:
        return entity.primary_key
    if entity.unique_keys:
        return entity.unique_keys[0]
    return entity.attribute_names


@dataclass(frozen=True)
class Shape:
    """A read pattern resolved: its attributes as `Ref`s, its ancestors (copied) and children (nested)."""

    pattern: AccessPattern
    entity: Entity
    equality: tuple[Ref, ...]
    range: Ref | None
    order: tuple[tuple[Ref, Order], ...]
    #: Copied ancestors by path (an entity reached along two foreign keys is two ancestors, one per role):
    #: path -> (entity, chain, all attributes copied?).
    ancestors: dict[Path, tuple[Entity, Chain, bool]]
    children: tuple[Child, ...]
    #: Equality attributes that must be in the partition key whatever their size (the tenant).
    required: tuple[Ref, ...] = ()
    #: How the pattern named each equality attribute that was resolved to a nearer copy (a parent's key is
    #: the child's foreign key): Ref.key -> the name written in the pattern.
    aliases: tuple[tuple[tuple[str, str, Path], str], ...] = ()
    #: A filter across a path to child rows (`pivot.py`): `entity` is the child, and the pattern returns the
    #: distinct rows of this entity, reached from the child by this chain (its foreign key).
    returns: tuple[Entity, Chain] | None = None
    #: `with` entries the pair rows serve: (entry, path from the child to the entity it reads; () the child).
    pairs: tuple[tuple[str, Path], ...] = ()


def _by_name(schema: Schema) -> Mapping[str, Relationship]:
    """Relationships by name (the first of each name), built once per schema: every path of every pattern
    asks, and rebuilding it each time cost more than the rest of `shape_of` on a large schema."""
    cached = _BY_NAME.get(id(schema))
    if cached is not None and cached[0]() is schema:
        return cached[1]
    out: dict[str, Relationship] = {}
    for rel in schema.relationships:
        out.setdefault(rel.name, rel)
    key = id(schema)  # by identity, as translator.workload.paths does: hashing a frozen schema walks all of it
    _BY_NAME[key] = (weakref.ref(schema, lambda _ref: _BY_NAME.pop(key, None)), MappingProxyType(out))
    return _BY_NAME[key][1]


_BY_NAME: dict[int, tuple[weakref.ref[Schema], Mapping[str, Relationship]]] = {}


def _hops_to_chain(schema: Schema, pattern: AccessPattern, hops: tuple[Hop, ...], what: str) -> Chain | None:
    """The chain of a to-one hop path; None when a hop goes to many rows."""
    rels = _by_name(schema)
    chain = []
    for hop in hops:
        if hop.to_many or hop.via is not None:
            return None
        rel = rels.get(hop.relationships[0]) if hop.relationships else None
        if rel is None:
            raise DesignError(f"pattern {pattern.id}: {what} follows an unknown relationship {hop.relationships!r}")
        if rel.from_entity != hop.source:  # a one-to-one link read from its parent side: a (single) child
            return None
        chain.append(rel)
    return tuple(chain)


def _to_one_chain(schema: Schema, pattern: AccessPattern, root: Entity, target: str, what: str) -> Chain:
    """The unique shortest chain of foreign keys from `root` to `target`'s parent side (breadth first)."""
    found: list[Chain] = []
    queue: deque[tuple[str, Chain]] = deque([(root.key, ())])
    seen_depth: dict[str, int] = {root.key: 0}
    while queue:
        at, chain = queue.popleft()
        if found and len(chain) >= len(found[0]):
            break
        for rel in sorted(schema.relationships_from(at), key=lambda r: r.name):
            if rel.is_self_reference:
                continue
            nxt = (*chain, rel)
            if rel.to_entity == target:
                found.append(nxt)
            elif seen_depth.get(rel.to_entity, len(nxt)) >= len(nxt) and len(nxt) < 6:
                seen_depth[rel.to_entity] = len(nxt)
                queue.append((rel.to_entity, nxt))
    if not found:
        raise DesignError(
            f"pattern {pattern.id}: {what} is on {target}, which {root.key} does not reach by foreign "
            "keys to a parent; make the entity holding it the pattern's entity, or name it in with"
        )
    if len(found) > 1:
        paths = "; ".join(
            " -> ".join([root.key, *(r.to_entity for r in c)]) + f" ({', '.join(r.name for r in c)})" for c in found
        )
        raise DesignError(
            f"pattern {pattern.id}: {what} is reached from {root.key} in {len(found)} ways: {paths}; "
            "name the path in with"
        )
    return found[0]


def _ref(
    schema: Schema, pattern: AccessPattern, root: Entity, ref: object, role: str, with_chains: dict[str, list[Chain]]
) -> Ref:
    if not isinstance(ref, AttributeRef):
        raise DesignError(
            f"pattern {pattern.id}: {role} {ref!r} is not an attribute reference; "
            "build the workload with translator.workload.load_workload"
        )
    owner = schema.find_entity(ref.entity)
    if owner is None:
        raise DesignError(f"pattern {pattern.id}: unknown entity {ref.entity!r} in {role} {ref}")
    found = owner.find_attribute(ref.attribute)
    if found is None:
        raise DesignError(
            f"pattern {pattern.id}: unknown attribute {ref} in {role}; {owner.key} has "
            f"{', '.join(owner.attribute_names)}"
        )
    if owner.key == root.key and not ref.path:
        return Ref(owner.key, found.name)
    chain: Chain | None
    if ref.path:
        chain = _hops_to_chain(schema, pattern, ref.path, f"{role} {ref}")
        if chain is None:
            raise UnservablePattern(
                f"pattern {pattern.id}: {role} {ref} is reached through a path to child rows; Cassandra "
                f"filters on one row's copy of a value: make {owner.key} (or the child on the path) the "
                f"pattern's entity and read {root.key} with it"
            )
    elif len(with_chains.get(owner.key, ())) > 1:
        ways = "; ".join(", ".join(r.name for r in c) for c in with_chains[owner.key])
        raise DesignError(
            f"pattern {pattern.id}: {role} {ref} is ambiguous: with reaches {owner.key} along "
            f"{len(with_chains[owner.key])} paths ({ways}); qualify it as the with entry is, e.g. "
            f"{owner.name}(<foreign key>).{found.name}"
        )
    elif owner.key in with_chains:
        chain = with_chains[owner.key][0]
    else:
        chain = _to_one_chain(schema, pattern, root, owner.key, f"{role} {ref}")
    return nearest(schema, Ref(owner.key, found.name, chain))


def nearest(schema: Schema, ref: Ref) -> Ref:
    """A parent's key attribute is the child's foreign key: `orders -> customers` customers.customer_id is
    orders.customer_id (nothing to copy)."""
    while ref.chain and ref.attribute in ref.chain[-1].to_attributes:
        last = ref.chain[-1]
        ref = Ref(last.from_entity, last.from_attributes[last.to_attributes.index(ref.attribute)], ref.chain[:-1])
    return ref


def _child_path(schema: Schema, pattern: AccessPattern, name: str, hops: tuple[Hop, ...]) -> Child:
    """A `with` path that starts with one hop to many rows (a child, or a many-to-many link through its
    junction), then goes to parents only."""
    rels = _by_name(schema)
    first, rest = hops[0], hops[1:]
    tail = _hops_to_chain(schema, pattern, rest, f"with {name}") if rest else ()
    known = all(n in rels for n in first.relationships)
    if tail is None or not known or (first.via is None and len(first.relationships) != 1):
        raise UnservablePattern(
            f"pattern {pattern.id}: with {name} follows {' -> '.join(map(str, hops))}, more than one "
            "hop to many rows; Cassandra nests one level of children: read the nearer child with its "
            "own parents instead"
        )
    if first.via is not None:  # many-to-many: the junction rows are the children, the far side is copied
        down, up = (rels[n] for n in first.relationships[:2])
        junction = schema.entity(first.via)
        far = schema.entity(hops[-1].target)
        return Child(junction, down, far.key, ((far, (up, *tail)),))
    child = schema.entity(first.target)
    copies = ((schema.entity(hops[-1].target), tail),) if tail else ()
    return Child(child, rels[first.relationships[0]], schema.entity(hops[-1].target).key, copies)


def _with_entry(
    schema: Schema, pattern: AccessPattern, root: Entity, index: int, name: str, sink: DiagnosticSink
) -> tuple[Entity, Chain | None, Child | None]:
    """(entity, to-one chain, None) for an ancestor; (entity, None, child) for children."""
    other = schema.find_entity(name)
    if other is None:
        raise DesignError(f"pattern {pattern.id}: unknown entity {name!r} in with")
    hops = pattern.paths[index] if index < len(pattern.paths) else ()
    if hops:
        chain = _hops_to_chain(schema, pattern, hops, f"with {name}")
        if chain is not None:
            return other, chain, None
        return other, None, _child_path(schema, pattern, name, hops)
    up = sorted(
        (r for r in schema.relationships_from(root.key) if r.to_entity == other.key and not r.is_self_reference),
        key=lambda r: r.name,
    )
    down = sorted(
        (r for r in schema.relationships_to(root.key) if r.from_entity == other.key and not r.is_self_reference),
        key=lambda r: r.name,
    )
    if not up and not down:
        try:
            return other, _to_one_chain(schema, pattern, root, other.key, f"with {other.key}"), None
        except DesignError:
            raise DesignError(
                f"pattern {pattern.id}: {other.key} in with is not related to {root.key} by a foreign key"
            ) from None
    if len(up) + len(down) > 1:
        sink.info(
            "cassandra-with-relationship",
            f"pattern {pattern.id}: {other.key} is related to {root.key} in "
            f"{len(up) + len(down)} ways; joined through {(up or down)[0].name}",
            subject=pattern.id,
        )
    return (other, (up[0],), None) if up else (other, None, Child(other, down[0], other.key))


def shape_of(schema: Schema, pattern: AccessPattern, sink: DiagnosticSink) -> Shape:
    """Resolve and check a read pattern; bad input raises `DesignError` naming the pattern."""
    entity = schema.find_entity(pattern.entity)
    if entity is None:
        raise DesignError(f"pattern {pattern.id}: unknown entity {pattern.entity!r}")
    pivot = pivot_of(schema, pattern)
    if pivot is not None:
        rows = shape_of(schema, pivot.pattern, sink)
        # The parent is what the pattern returns: all its attributes are copied into each child row.
        copied = {**rows.ancestors, (pivot.up.name,): (entity, (pivot.up,), True)}
        return replace(rows, pattern=pattern, ancestors=copied, returns=(entity, (pivot.up,)), pairs=pivot.pairs)
    ancestors: dict[Path, tuple[Entity, Chain, bool]] = {}
    children: list[Child] = []
    for i, name in enumerate(pattern.with_):
        other, chain, child = _with_entry(schema, pattern, entity, i, name, sink)
        if child is not None:
            children.append(child)
        elif chain is not None:
            ancestors[tuple(r.name for r in chain)] = (other, chain, True)
    with_chains: dict[str, list[Chain]] = {}
    for other, chain, _ in ancestors.values():
        with_chains.setdefault(other.key, []).append(chain)
    ranges = pattern.range if isinstance(pattern.range, (tuple, list)) else ((pattern.range,) if pattern.range else ())
    if len(ranges) > 1:
        raise UnservablePattern(
            f"pattern {pattern.id}: {len(ranges)} range attributes ({', '.join(map(str, ranges))}); "
            "Cassandra serves one range, on a clustering column; keep one and filter the rest in the client"
        )
    resolved = [(r, _ref(schema, pattern, entity, r, "equality", with_chains)) for r in pattern.equality]
    equality = tuple(dict.fromkeys(ref for _, ref in resolved))
    aliases = tuple((ref.key, str(r)) for r, ref in resolved if str(r) != str(ref))
    range_ = _ref(schema, pattern, entity, ranges[0], "range", with_chains) if ranges else None
    if range_ is not None and range_ in equality:
        raise DesignError(f"pattern {pattern.id}: {range_} is both an equality and the range attribute; keep one")
    order: tuple[tuple[Ref, Order], ...] = tuple(
        (
            _ref(schema, pattern, entity, t.attribute, "order_by", with_chains),
            "DESC" if t.direction is Direction.DESC else "ASC",
        )
        for t in pattern.order_by
    )
    order = tuple(o for o in order if o[0] not in equality)  # constant within the partition: nothing to order
    if range_ and order and order[0][0] != range_:
        raise UnservablePattern(
            f"pattern {pattern.id}: order_by {order[0][0].attribute} cannot be served after a range on "
            f"{range_.attribute}; clustering sorts by the range column first; order by "
            f"{range_.attribute} first or drop the range"
        )
    for ref in (*equality, *((range_,) if range_ else ()), *(r for r, _ in order)):
        if ref.chain and ref.path not in ancestors:  # one copy per path: two roles of an entity are two copies
            ancestors[ref.path] = (schema.entity(ref.entity), ref.chain, False)
    roles = Counter(e.key for e, _, _ in ancestors.values())

    def shown(ref: Ref) -> Ref:
        if not ref.chain or roles[ref.entity] < 2:
            return ref
        return replace(ref, label=f"{chain_label(schema, ref.chain)}.{ref.attribute}")

    equality = tuple(shown(r) for r in equality)
    range_ = shown(range_) if range_ is not None else None
    order = tuple((shown(r), o) for r, o in order)
    return Shape(pattern, entity, equality, range_, order, ancestors, tuple(children), aliases=aliases)
