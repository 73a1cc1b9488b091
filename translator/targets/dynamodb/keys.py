"""Key templates: the table key of every entity (its own partition, or its place in an item collection at
any depth), and the key shapes of GSIs that serve a pattern.

A root keys by its identity: `PK = SK = TAG#<identity>`. A direct child of the root shares the root's
`PK` (its foreign key, or a copy along its parents) and gets `SK = CHILD#<parts>`, shaped by its busiest
reader when that is possible. A deeper member continues its parent's sort key with a literal tag:
`SK = SHIPMENTS#<shipment_id>#SHIPMENT_LINES#<line_no>`, so `begins_with(SK, "SHIPMENTS#")` selects the
shipments with their lines and `begins_with(SK, "SHIPMENTS#<id>#")` the lines of one shipment.
"""

from __future__ import annotations

import re

from translator.ir import Entity, Relationship, Schema
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import KeyPath, KeyTemplate
from translator.targets.dynamodb.needs import Copies, Need, through
from translator.targets.dynamodb.placement import Layout
from translator.targets.dynamodb.tenant import lead

__all__ = ["sort_shape", "base_paths", "gsi_shape", "part_label", "carry_chain"]


def sort_shape(identity: tuple[str, ...], need: Need, fixed: list[str]) -> list[str] | None:
    """Sort-key parts serving `need` after the partition parts `fixed`: the remaining equality parts, then
    the range/order part, then the identity columns still missing; None when no sort key can serve it."""
    if not set(fixed) <= set(need.eq):
        return None
    if len({d for _, d in need.order}) > 1:
        return None  # a sort key reads forwards or backwards as a whole
    parts = [c for c in need.eq if c not in fixed]
    ordered = need.range or (need.order[0][0] if need.order else None)
    if need.range and need.order and need.order[0][0] != need.range:
        return None
    if ordered and ordered not in parts:
        parts.append(ordered)
    for extra, _ in need.order[1:]:
        if extra not in parts:
            parts.append(extra)
    parts += [c for c in identity if c not in parts and c not in fixed]
    return parts


def _not_null(entity: Entity, part: str) -> bool:
    found = entity.find_attribute(part)
    return found is None or part in entity.primary_key or not found.nullable  # copies: their parents' keys


def _hops(schema: Schema, entity: str, names: tuple[str, ...]) -> list[Relationship]:
    out, current = [], entity
    for name in names:
        rel = next(r for r in schema.relationships_from(current) if r.name == name)
        out.append(rel)
        current = rel.to_entity
    return out


def carry_chain(schema: Schema, entity: Entity, rels: list[Relationship], part: str, copies: Copies) -> str:
    """The part of `entity` holding part `part` of the ancestor reached by `rels` (child -> parent each)."""
    ancestor = rels[-1].to_entity
    spec = next((c for c in copies.of(ancestor) if c.part == part), None)
    if spec is None:
        return through(entity, rels, part, copies)
    return through(entity, [*rels, *_hops(schema, ancestor, spec.hops)], spec.column, copies)


def _carry(schema: Schema, entity: Entity, rel: Relationship, part: str, copies: Copies) -> str:
    """The part of `entity` holding the parent's (`rel.to_entity`) part `part`, which may itself be a copy."""
    spec = next((c for c in copies.of(rel.to_entity) if c.part == part), None)
    if spec is None:
        return through(entity, [rel], part, copies)
    return through(entity, [rel, *_hops(schema, rel.to_entity, spec.hops)], spec.column, copies)


def _grouped_by_parent(
    schema: Schema, entity: Entity, ident: tuple[str, ...], readers: dict[str, list[Need]]
) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
    """(partition parts, sort parts, pattern id) when a root's busiest one-to-many read fixes a foreign key
    that is a proper part of its identity: the items of one parent share a partition (`PK = TAG#<foreign
    key>`, `SK = TAG#<rest of the identity>`), so that read is a table Query and a lookup by identity stays a
    GetItem, with no GSI. The parent's own item lives elsewhere (it is a member of another collection, or
    the read does not need it): The DynamoDB Book, ch. 21, keys an issue's comments `ISSUECOMMENT#<owner>#
    <repo>#<issue number>` while the issue sits in its repo's partition. None otherwise."""
    for need in sorted(readers.get(entity.key, []), key=lambda n: -n.pattern.rate):  # stable: file order
        if set(ident) <= set(need.eq) or need.pattern.with_:
            continue
        for rel in schema.relationships_from(entity.key):
            fk = tuple(rel.from_attributes)
            if not set(fk) < set(ident) or not set(fk) <= set(need.eq):
                continue
            shape = sort_shape(ident, need, list(fk))
            if shape is not None and shape and all(_not_null(entity, c) for c in shape):
                return fk, tuple(shape), need.pattern.id
    return None


def base_paths(
    schema: Schema,
    readers: dict[str, list[Need]],
    layout: Layout,
    tags: dict[str, str],
    copies: Copies,
    rules: DynamoRules,
    tenant: dict[str, str] | None = None,
) -> dict[str, KeyPath]:
    """The table key of every entity; parents before their members, so a member can extend its parent's."""
    pk_attr, sk_attr = rules.naming["partition_key"], rules.naming["sort_key"]
    out: dict[str, KeyPath] = {}
    for entity in sorted(schema.entities, key=lambda e: layout.depth(e.key)):
        ident = layout.identities[entity.key]
        rel = layout.members.get(entity.key)
        if rel is None:
            grouped = None if entity.key in layout.owners() else _grouped_by_parent(schema, entity, ident, readers)
            pk_parts, sk_parts, rule = ident, ident, "own-partition"
            if grouped is not None:
                pk_parts, sk_parts, layout.sort_source[entity.key] = grouped
                rule = "own-partition-by-parent"
            partition = KeyTemplate(pk_attr, tags[entity.key], pk_parts)
            if tenant and entity.key in tenant:
                partition = lead(partition, tenant[entity.key])
            out[entity.key] = KeyPath(
                entity.key, None, partition, KeyTemplate(sk_attr, tags[entity.key], sk_parts), rule
            )
            continue
        parent = out[rel.to_entity]
        fixed = [_carry(schema, entity, rel, p, copies) for p in parent.partition.parts]
        partition = KeyTemplate(pk_attr, parent.partition.prefix, tuple(fixed), parent.partition.literals)
        rule = "adjacency-list" if entity.key in layout.junctions else "item-collection"
        if layout.depth(entity.key) > 1:
            carried = [_carry(schema, entity, rel, p, copies) for p in parent.sort.parts]
            own = [c for c in ident if c not in carried and c not in fixed]
            sort = KeyTemplate(
                sk_attr, parent.sort.prefix, (*carried, *own), (*parent.sort.literals, (len(carried), tags[entity.key]))
            )
            out[entity.key] = KeyPath(entity.key, None, partition, sort, rule)
            continue
        parts: list[str] | None = None
        if entity.key not in layout.owners():  # an owner's sort key must be its identity: members extend it
            for need in sorted(readers.get(entity.key, []), key=lambda n: -n.pattern.rate):  # stable: file order
                shape = sort_shape(ident, need, fixed)
                if shape is not None and all(_not_null(entity, c) for c in shape):
                    parts, layout.sort_source[entity.key] = shape, need.pattern.id
                    break
        if parts is None:
            right = layout.junctions.get(entity.key)
            leading = [c for c in right.from_attributes if c not in fixed] if right else []
            parts = leading + [c for c in ident if c not in fixed and c not in leading]
        out[entity.key] = KeyPath(
            entity.key, None, partition, KeyTemplate(sk_attr, tags[entity.key], tuple(parts)), rule
        )
    return out


def part_label(part: str, copies: Copies, entity: Entity, tags: dict[str, str]) -> str:
    """How a part names itself inside a GSI prefix: `EMAIL`, `CUSTOMERS_EMAIL` for a copy, `ORIGIN_CITY` for
    a copy named by its role (one of two airports of a flight)."""
    spec = next((c for c in copies.of(entity.key) if c.part == part), None)
    text = (spec.part if spec.role else f"{tags[spec.source]}_{spec.column}") if spec else part
    return re.sub(r"[^A-Z0-9_]", "_", text.upper())


def gsi_shape(
    schema: Schema, entity: Entity, need: Need, identity: tuple[str, ...], tags: dict[str, str], copies: Copies
) -> tuple[str, list[str], list[str]] | None:
    """(partition prefix, partition parts, sort parts) of a GSI that serves `need`; None when no key can.

    The partition is the largest foreign key inside the equality (prefixed by the parent's tag, so keys
    read like the parent's), else all equality parts (`<TAG>_<PART>...`); with no equality at all it is
    the constant `<TAG>` (a sparse index holding this entity's items only)."""
    eq = list(need.eq)
    if not eq:
        parts = sort_shape(identity, need, [])
        return (tags[entity.key], [], parts) if parts is not None else None
    rels = [r for r in schema.relationships_from(entity.key) if set(r.from_attributes) <= set(eq)]
    if rels and not entity.is_unique(c for c in eq if entity.find_attribute(c)):
        rel = max(rels, key=lambda r: (len(r.from_attributes), r.name))
        fixed = [c for c in eq if c in rel.from_attributes]
        prefix = tags[rel.to_entity]
    else:
        fixed = eq
        prefix = tags[entity.key] + "_" + "_".join(part_label(c, copies, entity, tags) for c in fixed)
    parts = sort_shape(identity, need, fixed)
    return (prefix, fixed, parts) if parts is not None else None
