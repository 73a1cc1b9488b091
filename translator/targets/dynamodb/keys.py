"""Key design: names, entity tags, item collections (which children live in their parent's partition),
base key templates, adjacency lists for many-to-many, and GSI key shapes.

Rules, in the order they are applied (each choice becomes a `Decision`):
- `item-collection-with`: a child read together with its parent (`with:`) shares the parent's partition
  key and gets a sort-key prefix, so parent-with-children is one Query. Highest rate first.
- `item-collection-children`: a child read by its foreign key (equality covers it) joins the parent's
  partition too, when it is not already placed and the parent is not itself a child.
- `adjacency-list`: a junction of a many-to-many joins its left parent's partition; the other direction
  is served by an inverted GSI (partition = right parent, sort = left parent).
- `own-partition`: everything else keys by its own primary key.
A child only joins a partition through a required foreign key that references the parent's primary key
(a NULL or a unique-key reference would leave the item without a partition).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Relationship, Schema
from translator.targets.common import unique_name
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import AttributeMapping, KeyPath, KeyTemplate
from translator.targets.record import Decision
from translator.workload.model import AccessPattern, Workload

__all__ = [
    "Layout",
    "base_path",
    "entity_tags",
    "gsi_shape",
    "place_entities",
    "plan_attributes",
    "sanitize_table_name",
    "sort_shape",
]


@dataclass
class Layout:
    """Mutable working state of one design run (the result is copied into frozen records)."""

    members: dict[str, Relationship] = field(default_factory=dict)  # child key -> relationship to parent
    sort_source: dict[str, str] = field(default_factory=dict)  # child key -> pattern id that shaped its SK
    junctions: dict[str, Relationship] = field(default_factory=dict)  # junction key -> right-side relationship

    def owners(self) -> set[str]:
        return {r.to_entity for r in self.members.values()}


def entity_tags(schema: Schema) -> dict[str, str]:
    """Entity key -> unique upper-case tag used as key prefix (`CUSTOMER`)."""
    tags: dict[str, str] = {}
    for entity in schema.entities:
        base = re.sub(r"[^A-Z0-9_]", "_", entity.name.upper()) or "ENTITY"
        tags[entity.key] = unique_name(base, tags.values())
    return tags


def sanitize_table_name(name: str, rules: DynamoRules, sink: DiagnosticSink, what: str) -> str:
    """A table name DynamoDB accepts; a renamed one is reported with the rule it broke."""
    if re.fullmatch(rules.naming["table_name_pattern"], name):
        return name
    fixed = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[: rules.naming["table_name_max"]]
    fixed = fixed.ljust(rules.naming["table_name_min"], "_")
    sink.warning("dynamodb-renamed", f"{what} {name!r} breaks DynamoDB's table naming rule "
                 f"({rules.naming['table_name_pattern']}); renamed to {fixed!r}", subject=name)
    return fixed


def plan_attributes(entity: Entity, rules: DynamoRules, taken: set[str], sink: DiagnosticSink) -> tuple[AttributeMapping, ...]:
    """Item attribute per column; a name that collides with a design attribute or breaks a rule is renamed."""
    gsi_pattern = re.compile("^(" + "|".join(re.escape(rules.naming[k]).replace(r"\{n\}", r"\d+")
                                             for k in ("gsi_partition", "gsi_sort")) + ")$")
    max_bytes = rules.naming["attribute_name_max_bytes"]
    out: list[AttributeMapping] = []
    used: set[str] = set()
    for attribute in entity.attributes:
        name, why = attribute.name, None
        if name in taken or gsi_pattern.match(name):
            why = "collides with a key or type attribute of the design"
            name = f"{name}_"
        if any(name.startswith(p) for p in rules.naming["reserved_attribute_prefixes"]):
            why = "starts with a prefix DynamoDB reserves"
            name = "x_" + name.replace(":", "_")
        if len(name.encode("utf-8")) > max_bytes:
            why = f"is longer than {max_bytes} bytes"
            digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
            name = name.encode("utf-8")[: max_bytes - 9].decode("utf-8", "ignore") + "_" + digest
        while name in used or name in taken:
            name += "_"
        if why:
            sink.warning("dynamodb-renamed", f"{entity.key}.{attribute.name} {why}; stored as attribute {name!r}",
                         subject=f"{entity.key}.{attribute.name}")
        used.add(name)
        out.append(AttributeMapping(attribute.name, name, rules.attribute_types[attribute.type.kind],
                                    why))
    return tuple(out)


def _placeable(schema: Schema, rel: Relationship, layout: Layout) -> str | None:
    """None when the child may join the parent's partition, else the reason it may not."""
    child, parent = schema.entity(rel.from_entity), schema.entity(rel.to_entity)
    if rel.is_self_reference:
        return "a self reference cannot form an item collection"
    if child.key in layout.members:
        return f"{child.key} already lives in {layout.members[child.key].to_entity}'s partition"
    if child.key in layout.owners():
        return f"{child.key} already holds its own children's item collection"
    if parent.key in layout.members:
        return f"{parent.key} itself lives in another entity's partition"
    if not parent.primary_key or {c.casefold() for c in rel.to_attributes} != {c.casefold() for c in parent.primary_key}:
        return f"the foreign key does not reference {parent.key}'s primary key"
    if any(child.attribute(c).nullable for c in rel.from_attributes):
        return "the foreign key is nullable, so some items would have no partition"
    return None


def _eq(pattern: AccessPattern) -> list[str]:
    return [ref.attribute for ref in pattern.equality]


def place_entities(schema: Schema, workload: Workload, decisions: list[Decision]) -> Layout:
    """Decide which children join their parent's partition (see the module docstring for the rules)."""
    layout = Layout()
    junctions = {m.junction: m for m in schema.many_to_many()}  # computed once: it scans every relationship
    candidates: list[tuple[int, float, int, str, Relationship, str, bool]] = []
    for position, pattern in enumerate(workload.access_patterns):
        if not pattern.is_read or schema.find_entity(pattern.entity) is None:
            continue
        entity = schema.entity(pattern.entity)
        for name in pattern.with_:
            child = schema.find_entity(name)
            for rel in schema.relationships_to(entity.key) if child else ():
                if rel.from_entity == child.key:
                    candidates.append((0, -pattern.rate, position, pattern.id, rel, "item-collection-with",
                                       pattern.assumed))
        eq = {c.casefold() for c in _eq(pattern)}
        for rel in schema.relationships_from(entity.key):
            if {c.casefold() for c in rel.from_attributes} <= eq and not entity.is_unique(_eq(pattern)):
                candidates.append((1, -pattern.rate, position, pattern.id, rel, "item-collection-children",
                                   pattern.assumed))
    for mm in junctions.values():
        candidates.append((2, 0.0, 0, "", mm.left, "adjacency-list", False))
    # Strongest rule first, then the busiest pattern, then the pattern's position in the workload file
    # (never the id's spelling: "AP13" must not win over "AP8").
    for _priority, neg_rate, _position, pattern_id, rel, rule, assumed in sorted(candidates, key=lambda c: c[:3]):
        inputs = ("workload",) if assumed else ()
        if layout.members.get(rel.from_entity) == rel:
            continue  # already there for a stronger reason
        why_not = _placeable(schema, rel, layout)
        if why_not is not None:
            if rule != "adjacency-list" or rel.from_entity not in layout.members:
                decisions.append(Decision(rel.from_entity, "own partition", "own-partition",
                                          f"not placed with {rel.to_entity} for {pattern_id or 'many-to-many'}: {why_not}",
                                          (("rate", -neg_rate),), inputs))
            continue
        layout.members[rel.from_entity] = rel
        # A junction in either parent's partition is an adjacency list: the other parent gets the inverted GSI.
        mm = junctions.get(rel.from_entity)
        if mm is not None:
            layout.junctions[rel.from_entity] = mm.right if rel == mm.left else mm.left
        reason = {"item-collection-with": f"{pattern_id} reads {rel.from_entity} with {rel.to_entity}: one Query on the shared partition",
                  "item-collection-children": f"{pattern_id} reads {rel.from_entity} by its foreign key to {rel.to_entity}: one Query on the parent's partition",
                  "adjacency-list": f"{rel.from_entity} joins {rel.to_entity} (many-to-many); the other direction uses an inverted GSI"}[rule]
        decisions.append(Decision(rel.from_entity, f"item collection of {rel.to_entity}", rule, reason,
                                  (("rate", -neg_rate),), inputs))
    return layout


def _not_null(entity: Entity, column: str) -> bool:
    return column in entity.primary_key or not entity.attribute(column).nullable


def sort_shape(entity: Entity, pattern: AccessPattern, fixed: list[str]) -> list[str] | None:
    """Sort-key parts serving `pattern` after the partition parts `fixed`: the remaining equality
    attributes, then the range/order attribute, then the primary key columns still missing."""
    eq = _eq(pattern)
    if not {c.casefold() for c in fixed} <= {c.casefold() for c in eq}:
        return None
    if len({t.direction for t in pattern.order_by}) > 1:
        return None  # a sort key reads forwards or backwards as a whole
    parts = [c for c in eq if c not in fixed]
    ordered = pattern.range.attribute if pattern.range else (pattern.order_by[0].attribute.attribute if pattern.order_by else None)
    if pattern.range and pattern.order_by and pattern.order_by[0].attribute.attribute != pattern.range.attribute:
        return None
    if ordered and ordered not in parts:
        parts.append(ordered)
    for extra in pattern.order_by[1:]:
        if extra.attribute.attribute not in parts:
            parts.append(extra.attribute.attribute)
    parts += [c for c in entity.primary_key if c not in parts and c not in fixed]
    return parts


def _identity(entity: Entity) -> list[str]:
    if entity.primary_key:
        return list(entity.primary_key)
    return [a.name for a in entity.attributes if not a.nullable] or [a.name for a in entity.attributes]


def base_path(schema: Schema, workload: Workload, entity: Entity, layout: Layout, tags: dict[str, str],
              rules: DynamoRules) -> KeyPath:
    """The table key of `entity`: its own partition, or its parent's partition with a sort-key prefix."""
    pk_attr, sk_attr = rules.naming["partition_key"], rules.naming["sort_key"]
    tag = tags[entity.key]
    rel = layout.members.get(entity.key)
    if rel is None:
        ident = _identity(entity)
        return KeyPath(entity.key, None, KeyTemplate(pk_attr, tag, tuple(ident)), KeyTemplate(sk_attr, tag, tuple(ident)),
                       "own-partition")
    parent = schema.entity(rel.to_entity)
    order = {c.casefold(): i for i, c in enumerate(parent.primary_key)}
    fixed = sorted(rel.from_attributes, key=lambda c: order[rel.to_attributes[rel.from_attributes.index(c)].casefold()])
    parts: list[str] | None = None
    readers = [p for p in workload.access_patterns if p.is_read and schema.find_entity(p.entity) is entity]
    for pattern in sorted(readers, key=lambda p: -p.rate):  # stable: ties keep their order in the workload file
        shape = sort_shape(entity, pattern, fixed)
        if shape is not None and all(_not_null(entity, c) for c in shape):
            parts, layout.sort_source[entity.key] = shape, pattern.id
            break
    if parts is None:
        right = layout.junctions.get(entity.key)
        lead = [c for c in right.from_attributes if c not in fixed] if right else []
        parts = lead + [c for c in _identity(entity) if c not in fixed and c not in lead]
    rule = "adjacency-list" if entity.key in layout.junctions else "item-collection"
    return KeyPath(entity.key, None, KeyTemplate(pk_attr, tags[parent.key], tuple(fixed)),
                   KeyTemplate(sk_attr, tag, tuple(parts)), rule)


def gsi_shape(schema: Schema, entity: Entity, pattern: AccessPattern, tags: dict[str, str]) -> tuple[str, list[str], list[str]] | None:
    """(partition prefix, partition parts, sort parts) of a GSI that serves `pattern`; None without equality.

    The partition is the largest foreign key inside the equality (prefixed by the parent's tag, so
    keys read like the parent's), else all equality attributes (prefixed `<TAG>_<ATTRS>`)."""
    eq = _eq(pattern)
    if not eq:
        return None
    folded = {c.casefold() for c in eq}
    rels = [r for r in schema.relationships_from(entity.key) if {c.casefold() for c in r.from_attributes} <= folded]
    if rels and not entity.is_unique(eq):
        rel = max(rels, key=lambda r: (len(r.from_attributes), r.name))
        fixed = [c for c in eq if c in rel.from_attributes]
        prefix = tags[schema.entity(rel.to_entity).key]
    else:
        fixed = list(eq)
        prefix = tags[entity.key] + "_" + "_".join(re.sub(r"[^A-Z0-9_]", "_", c.upper()) for c in fixed)
    parts = sort_shape(entity, pattern, fixed)
    return (prefix, fixed, parts) if parts is not None else None
