"""Chebotko's mapping rules: one query-first table shape per read pattern, shared when primary keys match.

Rules (each table records the ones it used):
- MR-eq: the pattern's equality attributes form the partition key (none: one constant `bucket`).
- MR-range: the range attribute is the first clustering column.
- MR-order: order_by attributes follow as clustering columns with their ASC/DESC.
- MR-key: the returned entity's key attributes complete the clustering key, so rows stay unique.
- MR-with-parent: attributes of a parent read `with` the entity are copied in; STATIC when the partition key
  holds the foreign key (the parent is then constant within the partition).
- MR-with-child: a child read `with` the entity becomes clustering rows when the partition holds one
  entity row (its attributes then STATIC) and children can be many; otherwise a frozen list of a UDT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Entity, Relationship, Schema
from translator.workload.model import AccessPattern, AttributeRef, Direction
from translator.workload.stats import StatsView
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Decision

__all__ = ["Shape", "Spec", "entity_key", "shape_of", "spec_for", "merge_specs"]


def entity_key(entity: Entity) -> tuple[str, ...]:
    """Attributes identifying one row: the primary key, else the first unique key, else every attribute."""
    if entity.primary_key:
        return entity.primary_key
    if entity.unique_keys:
        return entity.unique_keys[0]
    return entity.attribute_names


@dataclass(frozen=True)
class Shape:
    """A read pattern checked against the schema: attribute names resolved on its entity."""

    pattern: AccessPattern
    entity: Entity
    equality: tuple[str, ...]
    range: str | None
    order: tuple[tuple[str, str], ...]
    parents: tuple[tuple[Entity, Relationship], ...]
    children: tuple[tuple[Entity, Relationship], ...]


def _attr(schema: Schema, pattern: AccessPattern, entity: Entity, ref: object, role: str) -> str:
    if not isinstance(ref, AttributeRef):
        raise DesignError(f"pattern {pattern.id}: {role} {ref!r} is not an attribute reference; "
                          "build the workload with translator.workload.load_workload")
    other = schema.find_entity(ref.entity)
    if other is None or other.key != entity.key:
        raise DesignError(f"pattern {pattern.id}: {role} {ref} is not an attribute of the pattern's entity {entity.key}; "
                          "the Cassandra target filters and orders on the returned entity's attributes only")
    found = entity.find_attribute(ref.attribute)
    if found is None:
        raise DesignError(f"pattern {pattern.id}: unknown attribute {ref} in {role}; {entity.key} has "
                          f"{', '.join(entity.attribute_names)}")
    return found.name


def shape_of(schema: Schema, pattern: AccessPattern, sink: DiagnosticSink) -> Shape:
    """Resolve and check a read pattern; bad input raises `DesignError` naming the pattern."""
    entity = schema.find_entity(pattern.entity)
    if entity is None:
        raise DesignError(f"pattern {pattern.id}: unknown entity {pattern.entity!r}")
    ranges = pattern.range if isinstance(pattern.range, (tuple, list)) else ((pattern.range,) if pattern.range else ())
    if len(ranges) > 1:
        raise DesignError(f"pattern {pattern.id}: {len(ranges)} range attributes ({', '.join(map(str, ranges))}); "
                          "Cassandra serves one range, on the first clustering column; keep one and filter the rest in the client")
    equality = tuple(dict.fromkeys(_attr(schema, pattern, entity, r, "equality") for r in pattern.equality))
    range_ = _attr(schema, pattern, entity, ranges[0], "range") if ranges else None
    if range_ in equality:
        raise DesignError(f"pattern {pattern.id}: {range_} is both an equality and the range attribute; keep one")
    order = tuple((_attr(schema, pattern, entity, t.attribute, "order_by"),
                   "DESC" if t.direction is Direction.DESC else "ASC") for t in pattern.order_by)
    order = tuple(o for o in order if o[0] not in equality)  # constant within the partition: nothing to order
    if range_ and order and order[0][0] != range_:
        raise DesignError(f"pattern {pattern.id}: order_by {order[0][0]} cannot be served after a range on {range_}; "
                          f"clustering sorts by the range column first; order by {range_} first or drop the range")
    parents, children = [], []
    for name in pattern.with_:
        other = schema.find_entity(name)
        if other is None:
            raise DesignError(f"pattern {pattern.id}: unknown entity {name!r} in with")
        up = sorted((r for r in schema.relationships_from(entity.key) if r.to_entity == other.key), key=lambda r: r.name)
        down = sorted((r for r in schema.relationships_to(entity.key) if r.from_entity == other.key and not r.is_self_reference),
                      key=lambda r: r.name)
        chosen = (up or down)[:1]
        if not chosen:
            raise DesignError(f"pattern {pattern.id}: {other.key} in with is not related to {entity.key} by a foreign key")
        if len(up) + len(down) > 1:
            sink.info("cassandra-with-relationship", f"pattern {pattern.id}: {other.key} is related to {entity.key} in "
                      f"{len(up) + len(down)} ways; joined through {chosen[0].name}", subject=pattern.id)
        (parents if up else children).append((other, chosen[0]))
    return Shape(pattern, entity, equality, range_, order, tuple(parents), tuple(children))


@dataclass
class Spec:
    """A table before naming and sizing; attributes are (entity key, attribute) pairs."""

    entity: Entity
    partition: tuple[str, ...]
    clustering: tuple[tuple[tuple[str, str], str], ...]
    parents: dict[str, tuple[Entity, Relationship]]
    row_child: tuple[Entity, Relationship] | None
    udt_children: dict[str, tuple[Entity, Relationship]]
    static_entities: frozenset[str]
    serves: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    assumed: bool = False

    @property
    def identity(self) -> tuple:
        row_child = (self.row_child[0].key, self.row_child[1].name) if self.row_child else None
        return (self.entity.key, self.partition, self.clustering, row_child)


def spec_for(shape: Shape, stats: StatsView, sink: DiagnosticSink) -> Spec:
    entity, pattern = shape.entity, shape.pattern
    key = entity_key(entity)
    decisions: list[Decision] = []
    if shape.equality:
        decisions.append(Decision("MR-eq", f"equality on {', '.join(shape.equality)} -> partition key"))
    else:
        decisions.append(Decision("MR-bucket", "no equality attribute: rows share one constant bucket partition "
                                  "(re-bucketed by hash if it grows too large)"))
    single_row = entity.is_unique(shape.equality) if shape.equality else False
    row_child = None
    udt_children: dict[str, tuple[Entity, Relationship]] = {}
    limit = rules().thresholds["udt_max_children"]
    for child, rel in shape.children:
        fan = stats.fanout(rel)
        worst = fan.max or fan.p99 or fan.avg
        numbers = (("children_max", float(worst)), ("udt_max_children", limit))
        own_key = [a for a in entity_key(child) if a not in rel.from_attributes]
        if single_row and row_child is None and worst > limit and own_key:
            row_child = (child, rel)
            decisions.append(Decision("MR-with-child", f"{child.key} as clustering rows: one {entity.key} per partition, "
                                      f"up to {worst:g} children", numbers, ("fanout",) if fan.assumed else ()))
        else:
            udt_children[child.key] = (child, rel)
            why = "few children" if worst <= limit else "the partition holds several entity rows"
            decisions.append(Decision("MR-with-child-udt", f"{child.key} as a frozen list of a UDT ({why})", numbers,
                                      ("fanout",) if fan.assumed else ()))
    clustering: list[tuple[tuple[str, str], str]] = []
    placed = set(shape.equality)

    def add(attr_entity: Entity, name: str, order: str) -> None:
        if (attr_entity.key, name) not in {c[0] for c in clustering} and not (attr_entity is entity and name in placed):
            clustering.append(((attr_entity.key, name), order))

    if row_child is None:
        if shape.range:
            first = shape.order[0][1] if shape.order else "ASC"
            add(entity, shape.range, first)
            decisions.append(Decision("MR-range", f"range on {shape.range} -> first clustering column {first}"))
        for name, order in shape.order:
            add(entity, name, order)
        if shape.order:
            decisions.append(Decision("MR-order", "order_by -> clustering " + ", ".join(f"{n} {o}" for n, o in shape.order)))
        for name in key:
            add(entity, name, "ASC")
    else:
        if shape.range or shape.order:
            sink.info("cassandra-order-ignored", f"pattern {pattern.id}: one {entity.key} per partition, so its order_by "
                      "orders at most one row and its range filters that row's STATIC value within the "
                      "partition (ALLOW FILTERING on one partition); children are clustered by their key", subject=pattern.id)
        child, rel = row_child
        for name in entity_key(child):
            if name not in rel.from_attributes:  # those equal the entity's key, fixed by the partition
                add(child, name, "ASC")
    decisions.append(Decision("MR-key", "key attributes complete the clustering key so rows stay unique"))
    static: set[str] = set()
    if clustering:
        if row_child is not None:
            static.add(entity.key)
        for parent, rel in shape.parents:
            if set(rel.from_attributes) <= set(shape.equality):
                static.add(parent.key)
                decisions.append(Decision("MR-static", f"{parent.key} is fixed by the partition key ({', '.join(rel.from_attributes)}): STATIC"))
    return Spec(entity, shape.equality, tuple(clustering), {p.key: (p, r) for p, r in shape.parents}, row_child,
                udt_children, frozenset(static), [pattern.id], decisions, pattern.assumed)


def merge_specs(specs: list[Spec]) -> list[Spec]:
    """Patterns whose tables have the same primary key share one table (the union of their columns)."""
    merged: dict[tuple, Spec] = {}
    for spec in specs:
        existing = merged.get(spec.identity)
        if existing is None:
            merged[spec.identity] = spec
            continue
        existing.serves.extend(spec.serves)
        existing.parents.update(spec.parents)
        existing.udt_children.update(spec.udt_children)
        # Same partition key, so a parent fixed by it in one pattern is fixed by it in every pattern.
        existing.static_entities = existing.static_entities | spec.static_entities
        existing.assumed = existing.assumed and spec.assumed
        existing.decisions.append(Decision("MR-share", f"pattern {spec.serves[0]} has the same primary key: served by this table"))
    return list(merged.values())
