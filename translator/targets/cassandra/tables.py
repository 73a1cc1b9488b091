"""Chebotko's mapping rules: one query-first table shape per read pattern, shared by a clustering prefix.

Chebotko, Kashlev, Lu, "A Big Data Modeling Methodology for Apache Cassandra", IEEE BigData Congress 2015
(mapping rules MR1-MR5). Each table records the rules it used as decisions:
- MR-eq (MR2, equality search attributes): the partition key is the *fewest* equality attributes, in the
  pattern's order, whose worst partition stays within the limits (`keys.choose_partition`); none: one
  constant `bucket` (re-bucketed by hash when it grows too large).
- MR-eq-clustering (MR2): the other equality attributes lead the clustering key, so that patterns with a
  prefix of them share the table.
- MR-range (MR3, inequality search attributes): the range attribute follows as a clustering column.
- MR-order (MR4, ordering attributes): order_by attributes follow with their ASC/DESC.
- MR-key (MR5, key attributes): a key of the entity completes the clustering key, so rows stay unique: of its
  candidate keys (primary, or unique and NOT NULL), the one needing the fewest columns the key does not hold yet,
  then the one sharing most with it (`row_key`).
- MR-copy (MR1, entities and relationships): an attribute of an ancestor reached by foreign keys is copied in;
  STATIC when the partition key fixes the ancestor (`MR-static`).
- MR-with-child: a child read `with` the entity becomes clustering rows when the partition holds one
  entity row (its attributes then STATIC) and children can be many; otherwise a frozen list of a UDT.
- MR-share: a pattern whose partition key is the table's and whose clustering restrictions are a prefix of
  the table's clustering key is served by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Schema
from translator.targets.cassandra.keys import choose_partition
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Decision, Order
from translator.targets.cassandra.shapes import Chain, Child, Path, Ref, Shape, entity_key, nearest
from translator.workload.stats import StatsView

__all__ = ["Use", "Spec", "spec_for", "merge_specs", "constant_in_partition", "row_key"]


@dataclass(frozen=True, slots=True)
class Use:
    """How one pattern reads its table: equality on the first clustering columns, then its range."""

    equality: tuple[Ref, ...]  # equality attributes that are clustering columns, in clustering order
    range: Ref | None
    order: tuple[tuple[Ref, str], ...]
    #: A filter across a path to child rows: the entity returned (distinct rows) and the chain to it.
    returns: tuple[Entity, Chain] | None = None
    pairs: tuple[tuple[str, Path], ...] = ()  # with entries served by the pair rows (see Shape.pairs)


@dataclass
class Spec:
    """A table before naming and sizing."""

    entity: Entity
    partition: tuple[Ref, ...]
    clustering: tuple[tuple[Ref, Order], ...]
    parents: dict[Path, tuple[Entity, Chain]]  # copied ancestors by path (one per role of an entity)
    copies: dict[Path, frozenset[str] | None]  # ancestor's path -> attributes copied (None: all of them)
    row_child: Child | None
    udt_children: dict[str, Child]
    #: (entity, path) of the rows fixed by the partition key, whose columns are STATIC: copied ancestors,
    #: and the entity itself (path ()) above clustered children.
    static_entities: frozenset[tuple[str, Path]]
    serves: list[str] = field(default_factory=list)
    uses: dict[str, Use] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)
    assumed: bool = False
    #: Rows are (child, parent) pairs (a filter across a path to child rows): the path to the parent, without
    #: which a child row forms no pair and is not stored.
    pairs: Path = ()

    @property
    def identity(self) -> tuple:
        row_child = (
            (self.row_child.entity.key, self.row_child.relationship.name, self.row_child.reached)
            if self.row_child
            else None
        )
        return (self.entity.key, tuple(r.key for r in self.partition), row_child, self.pairs)


def row_key(entity: Entity, held: set[str]) -> tuple[str, ...]:
    """The key attributes that make the table's rows unique (Chebotko's MR5 names key attributes, not the
    primary key): any candidate key identifies one row, so the one the primary key already holds most of is
    taken: fewest attributes to add, then most attributes shared with the key so far (a reservation by hotel
    and start date is identified by its room, UNIQUE (hotel_id, room_number, start_date), rather than by its
    confirmation number), then the primary key before unique keys. A unique key counts only when all its
    attributes are NOT NULL (SQL lets rows repeat NULL in a unique key, and no key column can hold NULL)
    and, when the entity has a primary key, the table's key already holds part of it."""
    folded = {h.casefold() for h in held}
    keys = [
        k
        for k in entity.candidate_keys()
        if k == entity.primary_key
        or (
            all((a := entity.find_attribute(n)) is not None and not a.nullable for n in k)
            # With a primary key, another key replaces it only when the table's key already holds part of it:
            # a key sharing nothing (a replication guid) is just another identifier for the same rows.
            and (not entity.primary_key or any(n.casefold() in folded for n in k))
        )
    ]
    if not keys:
        return entity_key(entity)

    def cost(key: tuple[str, ...]) -> tuple[int, int]:
        inside = sum(a.casefold() in folded for a in key)
        return len(key) - inside, -inside

    best = min(keys, key=cost)  # the first of equal cost: candidate_keys() lists the primary key first
    return tuple(entity.attribute(a).name for a in best)


def constant_in_partition(schema: Schema, chain: Chain, partition: set[tuple[str, str, Path]]) -> bool:
    """Whether every row of a partition has the same ancestor at the end of `chain`: some foreign key on the
    chain, or some unique key of an entity on it, is in the partition key (each read along the chain's own
    path: the origin airport's city does not fix the destination airport)."""
    path = tuple(r.name for r in chain)

    def held(entity: str, depth: int) -> list[str]:
        return [a for e, a, p in partition if e == entity and p == path[:depth]]

    if chain:
        own = held(chain[0].from_entity, 0)
        if own and schema.entity(chain[0].from_entity).is_unique(own):
            return True
    for depth, rel in enumerate(chain):
        if all((rel.from_entity, a, path[:depth]) in partition for a in rel.from_attributes):
            return True
        above = held(rel.to_entity, depth + 1)
        if above and schema.entity(rel.to_entity).is_unique(above):
            return True
    return False


def spec_for(schema: Schema, shape: Shape, stats: StatsView, sink: DiagnosticSink) -> Spec:
    entity, pattern = shape.entity, shape.pattern
    subject = f"pattern {pattern.id}"
    key = entity_key(entity)  # with clustered children: the entity's own key (one row per partition)
    decisions: list[Decision] = []
    partition, eq_clustering, choice = choose_partition(schema, stats, shape)
    decisions.append(choice)
    own_partition = [r.attribute for r in partition if not r.chain]
    single_row = bool(own_partition) and entity.is_unique(own_partition)
    row_child = None
    udt_children: dict[str, Child] = {}
    limit = rules().thresholds["udt_max_children"]
    for nested in shape.children:
        child, rel = nested.entity, nested.relationship
        fan = stats.fanout(rel)
        worst = fan.max or fan.p99 or fan.avg
        numbers = (("children_max", float(worst)), ("udt_max_children", limit))
        own_key = [a for a in entity_key(child) if a not in rel.from_attributes]
        assumed = ("fanout",) if fan.assumed else ()
        if single_row and row_child is None and worst > limit and own_key and not eq_clustering:
            row_child = nested
            decisions.append(
                Decision(
                    f"{entity.key} with {child.key}",
                    "clustering rows",
                    "MR-with-child",
                    f"{child.key} as clustering rows: one {entity.key} per partition, up to {worst:g} children",
                    numbers,
                    assumed,
                )
            )
        else:
            udt_children[f"{child.key}/{rel.name}/{nested.reached}"] = nested
            why = "few children" if worst <= limit else "the partition holds several entity rows"
            decisions.append(
                Decision(
                    f"{entity.key} with {child.key}",
                    "frozen list of a UDT",
                    "MR-with-child-udt",
                    f"{child.key} as a frozen list of a UDT ({why})",
                    numbers,
                    assumed,
                )
            )
    clustering: list[tuple[Ref, Order]] = []
    placed = {r.key for r in partition}

    def add(ref: Ref, order: Order) -> None:
        if ref.key not in {c[0].key for c in clustering} and ref.key not in placed:
            clustering.append((ref, order))

    use = Use(tuple(eq_clustering), shape.range, shape.order, shape.returns, shape.pairs)
    if row_child is None:
        for ref in eq_clustering:
            add(ref, "ASC")
            decisions.append(
                Decision(
                    str(ref),
                    "clustering column (equality)",
                    "MR-eq-clustering",
                    f"{subject}: equality on {ref} beyond the fewest partition attributes leads the "
                    "clustering key, so a pattern with a prefix of it can share the table",
                )
            )
        if shape.range:
            first: Order = shape.order[0][1] if shape.order else "ASC"
            add(shape.range, first)
            decisions.append(
                Decision(
                    str(shape.range),
                    f"clustering column {first}",
                    "MR-range",
                    f"{subject}: the range on {shape.range} follows the equality columns",
                )
            )
        for ref, order in shape.order:
            add(ref, order)
            decisions.append(
                Decision(
                    str(ref), f"clustering column {order}", "MR-order", f"{subject}: order_by {ref} {order.lower()}"
                )
            )
        if shape.returns is not None:
            # One row per (child, parent) pair: the parent's key first, so that each parent's rows are adjacent
            # and the client keeps one per parent, then the child's key keeps the pairs unique.
            parent, chain = shape.returns
            for name in entity_key(parent):
                add(nearest(schema, Ref(parent.key, name, chain)), "ASC")
            decisions.append(
                Decision(
                    f"pattern {pattern.id}",
                    f"one row per ({entity.key}, {parent.key}) pair",
                    "MR-child-filter",
                    f"{subject}: the filter is on {entity.key}, child rows of {parent.key}: the table holds one row "
                    f"per {entity.key} with its {parent.key} copied, clustered by {parent.key}'s key then "
                    f"{entity.key}'s; the query returns the distinct {parent.key} rows it reads",
                )
            )
        held = {
            r.attribute for r in (*partition, *(c for c, _ in clustering)) if r.entity == entity.key and not r.chain
        }
        key = row_key(entity, held)
        for name in key:
            add(Ref(entity.key, name), "ASC")
    else:
        if shape.range or shape.order:
            sink.info(
                "cassandra-order-ignored",
                f"pattern {pattern.id}: one {entity.key} per partition, so its order_by "
                "orders at most one row and its range filters that row's STATIC value within the "
                "partition (ALLOW FILTERING on one partition); children are clustered by their key",
                subject=pattern.id,
            )
        child, rel = row_child.entity, row_child.relationship
        for name in entity_key(child):
            if name not in rel.from_attributes:  # those equal the entity's key, fixed by the partition
                add(Ref(child.key, name), "ASC")
    decisions.append(
        Decision(
            entity.key,
            "clustering key completed",
            "MR-key",
            f"the key of {entity.key} ({', '.join(key)}) completes the primary key so rows stay unique"
            + (
                f"; a candidate key, taken over the primary key ({', '.join(entity.primary_key)}) because it "
                "adds fewer columns to the table's key, or as few and shares more with it"
                if entity.primary_key and key != tuple(entity.primary_key) and row_child is None
                else ""
            ),
        )
    )
    parents = {k: (e, c) for k, (e, c, _) in shape.ancestors.items()}
    copies = {
        k: (
            None
            if whole
            else frozenset(
                r.attribute
                for r in (*shape.equality, *(r for r, _ in shape.order), *((shape.range,) if shape.range else ()))
                if r.path == k
            )
        )
        for k, (_, _, whole) in shape.ancestors.items()
    }
    for k, (ancestor, chain, whole) in shape.ancestors.items():
        path = " -> ".join([entity.key, *(r.to_entity for r in chain)]) + f" ({', '.join(k)})"
        what = "its attributes are" if whole else f"{', '.join(sorted(copies[k] or ()))} is"
        decisions.append(
            Decision(
                ancestor.key,
                "copied",
                "MR-copy",
                f"{subject}: {ancestor.key} is reached by {path}; {what} "
                "copied into each row, and every write that changes it must update this table",
            )
        )
    static: set[tuple[str, Path]] = set()
    if clustering:
        if row_child is not None:
            static.add((entity.key, ()))
        placed_keys = {r.key for r in partition}
        for k, (ancestor, chain) in parents.items():
            if constant_in_partition(schema, chain, placed_keys):
                static.add((ancestor.key, k))
                decisions.append(
                    Decision(
                        ancestor.key,
                        "static",
                        "MR-static",
                        f"{ancestor.key} ({', '.join(k)}) is fixed by the partition key "
                        f"({', '.join(str(r) for r in partition)}): its columns are STATIC",
                    )
                )
    return Spec(
        entity,
        partition,
        tuple(clustering),
        parents,
        copies,
        row_child,
        udt_children,
        frozenset(static),
        [pattern.id],
        {pattern.id: use},
        decisions,
        pattern.assumed,
        tuple(r.name for r in shape.returns[1]) if shape.returns else (),
    )


def _prefix_fits(table: Spec, use: Use) -> bool:
    """Whether `use`'s restrictions are a prefix of `table`'s clustering: its equality columns first (in any
    order), then its range column, then its order_by columns with their orders."""
    keys = [ref.key for ref, _ in table.clustering]
    n = len(use.equality)
    if {r.key for r in use.equality} != set(keys[:n]):
        return False
    wanted: list[tuple[tuple[str, str, Path], str | None]] = []
    if use.range is not None:
        wanted.append((use.range.key, use.order[0][1] if use.order else None))
    wanted += [(ref.key, order) for ref, order in use.order if not (use.range and ref.key == use.range.key)]
    rest = table.clustering[n:]
    if len(wanted) > len(rest):
        return False
    return all(
        ref.key == k and (order is None or order == o) for (ref, o), (k, order) in zip(rest, wanted, strict=False)
    )


def merge_specs(specs: list[Spec]) -> list[Spec]:
    """Patterns served by a prefix of another table's clustering key share that table (the union of columns).

    Longer clustering keys are placed first so that shorter patterns can join them; the tables keep the
    order of their first pattern."""
    order = {spec.serves[0]: i for i, spec in enumerate(specs)}
    merged: list[Spec] = []
    # Only tables of the same identity can host a spec (merging never changes a host's identity): looking
    # among those alone keeps this linear in the patterns, not quadratic (issue 11's design-time benchmark).
    by_identity: dict[tuple, list[Spec]] = {}
    for spec in sorted(specs, key=lambda s: -len(s.clustering)):
        use = spec.uses[spec.serves[0]]
        same = by_identity.setdefault(spec.identity, [])
        host = next((m for m in same if m.row_child is not None or _prefix_fits(m, use)), None)
        if host is None:
            merged.append(spec)
            same.append(spec)
            continue
        host.serves.append(spec.serves[0])
        host.uses.update(spec.uses)
        host.parents.update(spec.parents)
        for k, attrs in spec.copies.items():
            old = host.copies.get(k, frozenset())
            host.copies[k] = None if attrs is None or old is None else old | attrs
        host.udt_children.update(spec.udt_children)
        # Same partition key, so an ancestor fixed by it in one pattern is fixed by it in every pattern.
        host.static_entities = host.static_entities | spec.static_entities
        host.assumed = host.assumed and spec.assumed
        host.decisions.append(
            Decision(
                f"pattern {spec.serves[0]}",
                "shares a table",
                "MR-share",
                f"pattern {spec.serves[0]} has the same partition key and its restrictions are "
                "a prefix of this table's clustering key: served by this table",
            )
        )
    for m in merged:
        m.serves.sort(key=order.__getitem__)
    return sorted(merged, key=lambda m: order[m.serves[0]])
