"""Item collections: which entities live in another entity's partition, to any depth, and each entity's
identity (the columns that make its item unique).

Rules, strongest first (each choice becomes a `Decision`; ties go to the busier pattern, then to the
pattern's position in the workload file, never to the spelling of its id):
- `item-collection-with`: every foreign key along a read pattern's `with` path joins the child to its
  parent's collection, at any depth: an order, its shipments and their lines share the order's partition.
  A child read with its parent (`with` towards the parent) joins the same way.
- `item-collection-one-to-one`: a one-to-one child lives in its parent's collection.
- `item-collection-children`: a child read by its foreign key (equality covers it) joins its parent.
- `adjacency-list`: a junction of a many-to-many joins its left parent; an inverted GSI serves the other side.
- `own-partition`: everything else keys by its own identity.
A child joins only through a required foreign key that references its parent's identity, and never into
its own descendants. Identity: the primary key, else the first unique key (a constraint, or a unique index
without a predicate) whose columns are NOT NULL, else a generated item id (with a diagnostic).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.diagnostics import DiagnosticSink
from translator.ir import Cardinality, Entity, Relationship, Schema
from translator.targets.dynamodb.needs import with_chains
from translator.targets.dynamodb.quoting import inert
from translator.targets.dynamodb.roles import parent_label
from translator.targets.record import Decision
from translator.workload.model import Workload

__all__ = ["Layout", "identity_of", "place_entities"]


@dataclass
class Layout:
    """Mutable working state of one design run (the result is copied into frozen records)."""

    members: dict[str, Relationship] = field(default_factory=dict)  # child key -> relationship to its parent
    sort_source: dict[str, str] = field(default_factory=dict)  # child key -> pattern id that shaped its SK
    junctions: dict[str, Relationship] = field(default_factory=dict)  # junction key -> right-side relationship
    identities: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity key -> identity parts
    generated: dict[str, str] = field(default_factory=dict)  # entity key -> generated id attribute

    def owners(self) -> set[str]:
        return {r.to_entity for r in self.members.values()}

    def chain(self, key: str) -> list[Relationship]:
        """The relationships from `key` up to its collection's root (empty for a root)."""
        out, seen = [], {key}
        while key in self.members:
            rel = self.members[key]
            out.append(rel)
            key = rel.to_entity
            if key in seen:  # never: placement refuses cycles; kept as a guard
                break
            seen.add(key)
        return out

    def root(self, key: str) -> str:
        chain = self.chain(key)
        return chain[-1].to_entity if chain else key

    def depth(self, key: str) -> int:
        return len(self.chain(key))


def identity_of(entity: Entity) -> tuple[str, ...] | None:
    """The columns that identify a row: primary key, else the first NOT NULL unique key; None if neither."""
    if entity.primary_key:
        return tuple(entity.attribute(c).name for c in entity.primary_key)
    for key in entity.candidate_keys():
        found = [entity.find_attribute(c) for c in key]
        if key and all(a is not None and not a.nullable for a in found):
            return tuple(a.name for a in found if a is not None)
    return None


def _identities(
    schema: Schema, layout: Layout, generated_name: str, sink: DiagnosticSink, decisions: list[Decision]
) -> None:
    for entity in schema.entities:
        ident = identity_of(entity)
        if ident is None:
            layout.generated[entity.key] = generated_name
            layout.identities[entity.key] = (generated_name,)
            sink.warning(
                "dynamodb-generated-id",
                f"{inert(entity.key)} has no primary key and no NOT NULL unique key: "
                f"each item gets a generated id in {generated_name} (rows never overwrite each other; "
                "a lookup by the row's values needs a GSI)",
                subject=entity.key,
            )
            continue
        layout.identities[entity.key] = ident
        if not entity.primary_key:
            decisions.append(
                Decision(
                    entity.key,
                    f"identity {', '.join(ident)}",
                    "unique-key-identity",
                    f"{entity.key} has no primary key; its first NOT NULL unique key identifies its items",
                )
            )


def _placeable(
    schema: Schema,
    rel: Relationship,
    layout: Layout,
    rule: str,
    anchored: dict[str, str],
    tenant: dict[str, str] | None = None,
) -> str | None:
    """None when the child may join the parent's collection, else the reason it may not.

    Only a `with` path nests collections deeper than one level; an entity whose collection a placed `with`
    read starts from (an anchor) stays a root, or that read would lose its partition."""
    child = schema.entity(rel.from_entity)
    if rel.is_self_reference:
        return "a self reference cannot form an item collection"
    if child.key in layout.members:
        return f"{child.key} already lives in {parent_label(schema, layout.members[child.key], tenant)}'s partition"
    if child.key in anchored:
        return f"{child.key} anchors the item collection {anchored[child.key]} reads"
    if rule not in ("item-collection-with", "item-collection-one-to-one"):
        if child.key in layout.owners():
            return f"{child.key} already holds its own children's item collection"
        if rel.to_entity in layout.members:
            return f"{rel.to_entity} itself lives in another entity's partition"
    if child.key == layout.root(rel.to_entity) or child.key in {r.to_entity for r in layout.chain(rel.to_entity)}:
        return f"{rel.to_entity} already lives in {child.key}'s partition"
    parent_ident = layout.identities.get(rel.to_entity, ())
    if rel.to_entity in layout.generated or {c.casefold() for c in rel.to_attributes} != {
        c.casefold() for c in parent_ident
    }:
        return f"the foreign key does not reference {rel.to_entity}'s identity"
    if any(child.attribute(c).nullable for c in rel.from_attributes):
        return "the foreign key is nullable, so some items would have no partition"
    return None


def _split_run(
    layout: Layout, tags: dict[str, str], separator: str, root: str, reads: list[tuple[str, frozenset[str]]]
) -> str | None:
    """The first read (pattern id) of `root`'s partition whose types are no longer one contiguous run of
    sort-key prefixes (a member of a member shares its top-level ancestor's prefix), else None. Such a read
    would need a FilterExpression: the items in between are read and paid for."""
    together = {root} | {k for k in layout.members if layout.root(k) == root}

    def prefix(key: str) -> str:
        chain = layout.chain(key)
        return tags[chain[-1].from_entity if chain else key]

    order = sorted({prefix(k) for k in together}, key=lambda p: p + separator)
    for pattern_id, wanted in reads:
        want = wanted & together
        if together <= want:
            continue
        chosen = {prefix(k) for k in want}
        at = sorted(order.index(p) for p in chosen)
        if any(prefix(k) in chosen for k in together - want) or at[-1] - at[0] + 1 != len(at):
            return pattern_id
    return None


def place_entities(
    schema: Schema,
    workload: Workload,
    generated_name: str,
    sink: DiagnosticSink,
    decisions: list[Decision],
    tenant: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
    separator: str = "#",
) -> Layout:
    """Decide which entities join another's collection (see the module docstring for the rules). A parent
    the child reaches by two foreign keys is named with its role (`airports (origin)`, roles.py); `tenant`
    (entity -> tenant column) keeps the tenant out of roles; `tags` are the sort-key prefixes (entity_tags)."""
    if tags is None:
        from translator.targets.dynamodb.naming import entity_tags

        tags = entity_tags(schema)
    layout = Layout()
    runs: dict[str, list[tuple[str, frozenset[str]]]] = {}  # root -> the `with` reads placed in its partition
    reading: dict[str, frozenset[str]] = {}  # pattern id -> the entities it reads together
    reader: dict[str, str] = {}  # pattern id -> its entity
    _identities(schema, layout, generated_name, sink, decisions)
    junctions = {m.junction: m for m in schema.many_to_many()}  # computed once: it scans every relationship
    anchored: dict[str, str] = {}  # entity -> the `with` pattern reading its collection
    candidates: list[tuple[int, float, int, str, Relationship, str, bool]] = []
    for position, pattern in enumerate(workload.access_patterns):
        entity = schema.find_entity(pattern.entity)
        if not pattern.is_read or entity is None:
            continue
        chains = [chain for _target, chain in with_chains(schema, pattern)]
        # An item joins one parent's collection: a read of the entity with two of its parents (or one parent
        # by two foreign keys) cannot be one collection Query, so it does not place the entity (copies serve it).
        parents = list(dict.fromkeys(c[0][0] for c in chains if c and c[0][1]))
        if len(parents) > 1:
            decisions.append(
                Decision(
                    entity.key,
                    "own partition",
                    "own-partition",
                    f"not placed with {', '.join(parent_label(schema, r, tenant) for r in parents)} for "
                    f"{pattern.id}: an item joins one parent's collection, so its read with {len(parents)} parents "
                    "is served by copies of them",
                    (("rate", pattern.rate),),
                    ("workload",) if pattern.assumed else (),
                )
            )
        reading[pattern.id] = frozenset({entity.key, *(t for t, _ in with_chains(schema, pattern))})
        reader[pattern.id] = entity.key
        for chain in chains:
            for rel, _up in chain or ():
                if len(parents) > 1 and rel in parents:
                    continue
                candidates.append(
                    (0, -pattern.rate, position, pattern.id, rel, "item-collection-with", pattern.assumed)
                )
        eq = {r.attribute.casefold() for r in pattern.equality if r.entity == entity.key}
        for rel in schema.relationships_from(entity.key):
            if {c.casefold() for c in rel.from_attributes} <= eq and not entity.is_unique(
                r.attribute for r in pattern.equality if r.entity == entity.key
            ):
                candidates.append(
                    (2, -pattern.rate, position, pattern.id, rel, "item-collection-children", pattern.assumed)
                )
    for rel in schema.relationships:
        if rel.cardinality is Cardinality.ONE_TO_ONE:
            candidates.append((1, 0.0, 0, "", rel, "item-collection-one-to-one", False))
    for mm in junctions.values():
        candidates.append((3, 0.0, 0, "", mm.left, "adjacency-list", False))
    for _priority, neg_rate, _position, pattern_id, rel, rule, assumed in sorted(candidates, key=lambda c: c[:3]):
        inputs = ("workload",) if assumed else ()
        if layout.members.get(rel.from_entity) == rel:
            continue  # already there for a stronger reason
        why_not = _placeable(schema, rel, layout, rule, anchored, tenant)
        parent = parent_label(schema, rel, tenant)
        if why_not is not None:
            if rule not in ("adjacency-list", "item-collection-one-to-one") or rel.from_entity not in layout.members:
                decisions.append(
                    Decision(
                        rel.from_entity,
                        "own partition",
                        "own-partition",
                        f"not placed with {parent} for {pattern_id or rule}: {why_not}",
                        (("rate", -neg_rate),),
                        inputs,
                    )
                )
            continue
        layout.members[rel.from_entity] = rel
        # A new member of a partition must keep every `with` read placed there (busier ones first) one
        # contiguous run of sort keys: the parent's item sits between its children's runs, so at most one
        # child type on each side (The DynamoDB Book, ch. 21: issues before the repo, stars after it; pull
        # requests and forks take secondary-index collections instead). A member of a member shares its
        # ancestor's prefix: it is refused when a busier read would then need a filter and its own read is a
        # member with its direct children (a GSI collection serves that: ch. 19's order and its items, while
        # the customer's partition keeps the customer and orders); deeper `with` paths keep it (refusing it
        # would cost their read its collection, not just a filter). A member placed by a weaker rule is
        # refused whenever it would split a `with` read's run.
        root = layout.root(rel.to_entity)
        if rule == "item-collection-with":
            reads = [*runs.get(root, []), (pattern_id, reading[pattern_id])]
            if rel.to_entity == root:
                split = _split_run(layout, tags, separator, root, reads)
            elif rel.to_entity == reader[pattern_id]:
                split = _split_run(layout, tags, separator, root, runs.get(root, []))
            else:
                split = None
        else:
            split = _split_run(layout, tags, separator, root, runs.get(root, []))
        if split is not None:
            del layout.members[rel.from_entity]
            decisions.append(
                Decision(
                    rel.from_entity,
                    "own partition",
                    "own-partition",
                    f"not placed with {parent} for {pattern_id or rule}: its sort keys would split the run of "
                    f"{split}'s items in {root}'s partition (a filter would read the items in between)",
                    (("rate", -neg_rate),),
                    inputs,
                )
            )
            continue
        if rule == "item-collection-with":
            runs.setdefault(root, []).append((pattern_id, reading[pattern_id]))
            anchored.setdefault(layout.root(rel.to_entity), pattern_id)
        # A junction in either parent's partition is an adjacency list: the other parent gets the inverted GSI.
        link = junctions.get(rel.from_entity)
        if link is not None:
            layout.junctions[rel.from_entity] = link.right if rel == link.left else link.left
        reason = {
            "item-collection-with": f"{pattern_id} reads {rel.from_entity} and {parent} together: one Query "
            f"on {parent if layout.root(rel.to_entity) == rel.to_entity else layout.root(rel.to_entity)}'s partition",
            "item-collection-one-to-one": f"{rel.from_entity} is one-to-one with {rel.to_entity}: it lives in its "
            "parent's item collection",
            "item-collection-children": f"{pattern_id} reads {rel.from_entity} by its foreign key to {rel.to_entity}: "
            "one Query on the parent's partition",
            "adjacency-list": f"{rel.from_entity} joins {rel.to_entity} (many-to-many); the other direction uses an "
            "inverted GSI",
        }[rule]
        decisions.append(
            Decision(
                rel.from_entity,
                f"item collection of {parent}",
                rule,
                reason,
                (("rate", -neg_rate), ("depth", layout.depth(rel.from_entity))),
                inputs,
            )
        )
    return layout
