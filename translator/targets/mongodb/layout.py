"""The shape of every collection's documents: which entity lives where, under which field names.

A `Layout` is built from the decisions (`decide.Plan`) and is what rows <-> documents, the validators,
the indexes and the size estimates all walk, so they can never disagree about a field's path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.ir import Cardinality, Entity, Relationship, Schema
from translator.targets.common import unique_name
from translator.targets.mongodb.decide import Plan
from translator.targets.mongodb.mapping import MongoMapping, TypeRule
from translator.types import CanonicalType
from translator.workload.model import AttributeRef

__all__ = ["FieldMap", "Link", "IdArray", "Copy", "Node", "Layout", "FieldNotHeld", "build_layout"]


class FieldNotHeld(KeyError):
    """An attribute a pattern names is not in the documents it matches; `args[0]` says why in words."""


@dataclass(frozen=True, slots=True)
class FieldMap:
    attribute: str
    field: str
    type: CanonicalType
    nullable: bool
    rule: TypeRule


@dataclass(frozen=True, slots=True)
class Link:
    """An embedded child entity (`shape` array or object) at `field`."""

    field: str
    shape: str
    rel: Relationship
    node: Node


@dataclass(frozen=True, slots=True)
class IdArray:
    """A derived array of keys of `source` rows whose `match_source` equal this node's `match_own`.

    `restores` marks the one array per absorbed junction from which the junction's rows come back.
    """

    field: str
    style: str  # "child-ids" | "two-way" | "one-way"
    rel: Relationship
    source: str
    match_source: tuple[str, ...]
    match_own: tuple[str, ...]
    value_attributes: tuple[str, ...]
    value_fields: tuple[str, ...]
    value_types: tuple[FieldMap, ...]
    to_collection: str
    restores: bool = False
    target: tuple[str, tuple[str, ...]] = ("", ())  # (entity, attributes) the first values point at
    copies: tuple[FieldMap, ...] = ()  # fields of the target entity copied into each element (derived)

    @property
    def scalar(self) -> bool:
        """Elements are bare key values (one key field, nothing carried or copied), else objects."""
        return len(self.value_fields) == 1 and not self.copies


@dataclass(frozen=True, slots=True)
class Copy:
    """Derived copies: `subset` (newest `limit` children, array) or `extended` (parent fields, object)."""

    field: str
    style: str
    rel: Relationship
    source: str
    fields: tuple[FieldMap, ...]
    limit: int | None = None
    order: tuple[Any, ...] = ()
    for_reads: bool = True  # False: an extended copy made only to filter on; reads look the parent up


@dataclass(frozen=True, slots=True)
class Node:
    entity: str
    path: str  # dotted path of this entity's (sub)documents from the collection root ("" at the root)
    fields: tuple[FieldMap, ...]
    implied: tuple[tuple[str, str], ...] = ()  # (child attribute, parent attribute): restored from the parent
    links: tuple[Link, ...] = ()
    id_arrays: tuple[IdArray, ...] = ()
    copies: tuple[Copy, ...] = ()
    parent: str | None = None

    def field_of(self, attribute: str) -> str | None:
        for fm in self.fields:
            if fm.attribute == attribute:
                return fm.field
        return None


@dataclass(frozen=True)
class Layout:
    schema: Schema
    collections: tuple[tuple[str, Node], ...]
    nodes: Mapping[str, tuple[str, Node]]  # entity key -> (collection, node) of its canonical home
    uuid_representation: str
    mapping: MongoMapping = field(repr=False)
    #: (collection, root node) for the rows of an entity embedded through a nullable foreign key that
    #: have no parent: they cannot live inside one, so they keep a collection of their own.
    orphans: tuple[tuple[str, Node], ...] = ()
    #: Per foreign key, the parent's name seen from the child (decide.Plan.roles).
    roles: Mapping[Relationship, str] = field(default_factory=dict, repr=False)

    def collection_of(self, entity: str) -> str:
        return self.nodes[entity][0]

    def array_holding(self, entity: str, path: str) -> str | None:
        """The innermost embedded array that the field at `path` (in `entity`'s collection) lies inside,
        as a path, or None. Conditions on two fields of one array's elements, or a range on one, must
        match one element: `$elemMatch` (MongoDB Manual, "Query an Array of Embedded Documents")."""
        collection = self.collection_of(entity)
        node = next(root for name, root in self.collections if name == collection)
        parts, found = path.split("."), None
        for i, part in enumerate(parts[:-1]):
            link = next((k for k in node.links if k.field == part), None)
            if link is None:
                break
            node = link.node
            if link.shape == "array":
                found = ".".join(parts[: i + 1])
        return found

    def path_of(self, entity: str, attribute: str) -> str:
        """The dotted path, within its collection, where `entity.attribute` can be matched."""
        collection, node = self.nodes[entity]
        for child_attr, parent_attr in node.implied:
            if child_attr == attribute and node.parent is not None:
                return self.path_of(node.parent, parent_attr)
        name = node.field_of(attribute)
        if name is None:
            raise KeyError(f"{entity}.{attribute} has no field in the layout")
        return f"{node.path}.{name}" if node.path else name

    def ref_path(self, entity: str, ref: AttributeRef) -> str:
        """Where a pattern on `entity` matches `ref` in its documents: `entity`'s own field, a field of an
        entity in the same document reached along `ref.path` (an embedded child, the enclosing parent), or
        on the last step up to a parent the field of that parent's copy (`origin.city`: one copy per
        foreign key, so a flight's origin and destination cities are two paths). Raises `FieldNotHeld`."""
        if not ref.path:
            if ref.entity != entity and self.collection_of(ref.entity) != self.collection_of(entity):
                raise FieldNotHeld(f"{ref} is in another collection; filter there first")
            return self.path_of(ref.entity, ref.attribute)
        _, node = self.nodes[entity]
        for i, hop in enumerate(ref.path):
            last = i == len(ref.path) - 1
            link = next((k for k in node.links if k.rel.name in hop.relationships and hop.via is None), None)
            if link is not None and link.node.entity == hop.target:
                node = link.node
                continue
            up = next((r for r in self.schema.relationships_from(node.entity) if r.name in hop.relationships), None)
            if up is not None and hop.via is None and up.to_entity == hop.target:
                inside = node.parent == hop.target and self.embedding_of(node) == up
                if inside:
                    node = self.nodes[hop.target][1]
                    continue
                if last and ref.attribute in up.to_attributes:  # the parent's key: the child's foreign key
                    own = up.from_attributes[up.to_attributes.index(ref.attribute)]
                    return self.path_of(node.entity, own)
                copy = next((c for c in node.copies if c.style == "extended" and c.rel == up), None)
                held = next((fm for fm in copy.fields if fm.attribute == ref.attribute), None) if copy else None
                if last and copy is not None and held is not None:
                    return ".".join(part for part in (node.path, copy.field, held.field) if part)
            raise FieldNotHeld(f"{ref} is in another collection; filter there first")
        return self.path_of(node.entity, ref.attribute)

    def embedding_of(self, node: Node) -> Relationship | None:
        """The foreign key `node`'s entity is embedded in its parent through."""
        if node.parent is None:
            return None
        parent = self.nodes[node.parent][1]
        return next((k.rel for k in parent.links if k.node.entity == node.entity), None)


def _with_copies(arr, fields, copied: set[str], mapping):
    """`arr` whose elements also carry copies of the `fields` named in `copied` (clear of its value fields)."""
    if not copied:
        return arr
    taken = _Names(mapping, arr.value_fields)
    copies = tuple(
        replace(fm, field=taken.claim(fm.attribute), nullable=True) for fm in fields if fm.attribute in copied
    )
    return replace(arr, copies=copies)


def _sanitize(name: str, mapping: MongoMapping) -> str:
    """A legal field name: "." is a path separator, a leading "$" an operator, NUL ends a BSON key."""
    repl = mapping.naming.get("field_replacement", "_")
    out = name.replace(".", repl).replace("\x00", repl)
    return repl + out[1:] if out.startswith("$") else out


def _element_fields(names: Iterable[str], mapping: MongoMapping) -> tuple[str, ...]:
    """Field names of an id array's elements, unique: a junction's own column may share its name with the
    other side's key (`id` and `id`), and each needs its own field to keep its own type."""
    taken = _Names(mapping)
    return tuple(taken.claim(n) for n in names)


def _report_renamed_fields(schema: Schema, mapping: MongoMapping, sink: DiagnosticSink) -> None:
    """Names MongoDB cannot hold as they are are replaced; say which, never silently."""
    for entity in schema.entities:
        renamed = [a.name for a in entity.attributes if _sanitize(a.name, mapping) != a.name]
        if renamed:
            sink.info(
                "mongodb-field-renamed",
                f"{entity.key}: {len(renamed)} column name(s) hold '.', NUL or a leading "
                f"'$', which MongoDB field names cannot; they are stored as "
                f"{[_sanitize(n, mapping) for n in renamed]!r} "
                f"(from {renamed!r})",
                subject=entity.key,
            )


class _Names:
    """Field names within one (sub)document: unique, legal, and `_id` kept for the key."""

    def __init__(self, mapping: MongoMapping, reserved: Iterable[str] = ()) -> None:
        self.mapping, self.taken = mapping, set(reserved)

    def claim(self, *candidates: str) -> str:
        for candidate in candidates:
            name = _sanitize(candidate, self.mapping)
            if name not in self.taken:
                self.taken.add(name)
                return name
        # Every candidate was taken, the last one included, so this is its first free `_n` variant.
        name = unique_name(_sanitize(candidates[-1], self.mapping), self.taken)
        self.taken.add(name)
        return name


def _collection_names(
    schema: Schema, roots: list[Entity], mapping: MongoMapping, sink: DiagnosticSink
) -> dict[str, str]:
    counts: dict[str, int] = {}
    for e in roots:
        counts[e.name.casefold()] = counts.get(e.name.casefold(), 0) + 1
    out, used = {}, set()
    bad_chars = mapping.naming.get("forbidden_collection_chars", [])
    for e in roots:
        name = e.name if counts[e.name.casefold()] == 1 else e.key.replace(".", "_")
        clean = "".join("_" if ch in bad_chars else ch for ch in name)
        if any(clean.startswith(p) for p in mapping.naming.get("reserved_collection_prefixes", [])):
            clean = "_" + clean
        while clean in used:
            clean += "_"
        if clean != name:
            sink.info(
                "mongodb-collection-renamed",
                f"collection for {e.key} is named {clean!r} ({name!r} is not allowed or taken)",
                subject=e.key,
            )
        used.add(clean)
        out[e.key] = clean
    return out


def build_layout(
    schema: Schema, plan: Plan, mapping: MongoMapping, uuid_representation: str, sink: DiagnosticSink
) -> Layout:
    """Nodes for every collection: roots are entities neither embedded nor absorbed as a junction."""
    absorbed = {jp.link.junction for jp in plan.junctions}
    _report_renamed_fields(schema, mapping, sink)
    roots = [e for e in schema.entities if e.key not in plan.embeds and e.key not in absorbed]
    coll_names = _collection_names(schema, roots, mapping, sink)
    embedded_children: dict[str, list[Relationship]] = {}
    for _child, rel in plan.embeds.items():
        embedded_children.setdefault(rel.to_entity, []).append(rel)

    def home_collection(entity: str) -> str:
        seen = set()
        while entity in plan.embeds and entity not in seen:
            seen.add(entity)
            entity = plan.embeds[entity].to_entity
        return coll_names.get(entity, entity)

    def fieldmaps(entity: Entity, names: _Names, skip: set[str], id_field: bool) -> list[FieldMap]:
        out = []
        for attr in entity.attributes:
            if attr.name in skip:
                continue
            rule = mapping.rule_for(attr.type, uuid_representation)
            if id_field and entity.primary_key == (attr.name,):
                out.append(FieldMap(attr.name, "_id", attr.type, attr.nullable, rule))
            else:
                out.append(
                    FieldMap(
                        attr.name,
                        names.claim(attr.name if attr.name != "_id" else "_id_source"),
                        attr.type,
                        attr.nullable,
                        rule,
                    )
                )
        return out

    nodes: dict[str, tuple[str, Node]] = {}

    def build(entity: Entity, path: str, via: Relationship | None, collection: str) -> Node:
        root = via is None
        names = _Names(mapping, ["_id"])
        implied = tuple(zip(via.from_attributes, via.to_attributes, strict=False)) if via else ()
        fields = fieldmaps(entity, names, {c for c, _ in implied}, id_field=root)
        # Parent copies are claimed next, under their role names, so the decision's reason names their field.
        parent_copies = []
        for rel, attrs in plan.extended:
            if rel.from_entity == entity.key:
                parent = schema.entity(rel.to_entity)
                role = plan.roles.get(rel, parent.name)
                name = names.claim(role, f"{role}_{parent.name}")
                keep = set(attrs)
                parent_copies.append(
                    Copy(
                        name,
                        "extended",
                        rel,
                        parent.key,
                        tuple(
                            fm
                            for fm in fieldmaps(parent, _Names(mapping), set(), id_field=False)
                            if fm.attribute in keep
                        ),
                        for_reads=rel not in plan.filter_copies,
                    )
                )
        links = []
        for rel in sorted(embedded_children.get(entity.key, []), key=lambda r: r.name):
            child = schema.entity(rel.from_entity)
            name = names.claim(child.name, f"{child.name}_{'_'.join(rel.from_attributes)}")
            shape = "object" if rel.cardinality is Cardinality.ONE_TO_ONE else "array"
            links.append(Link(name, shape, rel, build(child, f"{path}.{name}" if path else name, rel, collection)))
        id_arrays = []
        for rel in plan.child_ids:
            if rel.to_entity == entity.key:
                child = schema.entity(rel.from_entity)
                name = names.claim(f"{child.name}_ids", f"{child.name}_{'_'.join(rel.from_attributes)}_ids")
                arr = _ids(
                    name,
                    "child-ids",
                    rel,
                    child.key,
                    rel.from_attributes,
                    rel.to_attributes,
                    child.primary_key,
                    child,
                    home_collection(child.key),
                    False,
                    target=(child.key, child.primary_key),
                )
                id_arrays.append(
                    _with_copies(
                        arr,
                        fieldmaps(child, _Names(mapping), set(), id_field=False),
                        set(plan.child_id_copies.get(rel, ())),
                        mapping,
                    )
                )
        for jp in plan.junctions:
            for side in ("left", "right"):
                via_rel = getattr(jp.link, side)
                other = jp.link.right if side == "left" else jp.link.left
                if via_rel.to_entity != entity.key or side not in jp.holders:
                    continue
                other_entity = schema.entity(other.to_entity)
                junction = schema.entity(jp.link.junction)
                name = names.claim(f"{other_entity.name}_ids", f"{junction.name}_{'_'.join(other.from_attributes)}")
                style = "two-way" if len(jp.holders) == 2 else "one-way"
                restores = side == jp.holders[0]
                carried = jp.extras if restores else ()
                copied = set(dict(jp.copies).get(side, ()))
                arr = _ids(
                    name,
                    style,
                    via_rel,
                    junction.key,
                    via_rel.from_attributes,
                    via_rel.to_attributes,
                    (*other.from_attributes, *carried),
                    junction,
                    home_collection(other_entity.key),
                    restores,
                    value_names=(*other.to_attributes, *carried),
                    target=(other_entity.key, other.to_attributes),
                )
                id_arrays.append(
                    _with_copies(arr, fieldmaps(other_entity, _Names(mapping), set(), id_field=False), copied, mapping)
                )
        copies = list(parent_copies)
        for rel, limit, order, _pattern in plan.subsets:
            if rel.to_entity == entity.key:
                child = schema.entity(rel.from_entity)
                name = names.claim(f"{child.name}_latest", f"{child.name}_{'_'.join(rel.from_attributes)}_latest")
                copies.append(
                    Copy(
                        name,
                        "subset",
                        rel,
                        child.key,
                        tuple(fieldmaps(child, _Names(mapping, ["_id"]), set(), id_field=False)),
                        limit,
                        order,
                    )
                )
        node = Node(
            entity.key,
            path,
            tuple(fields),
            implied,
            tuple(links),
            tuple(id_arrays),
            tuple(copies),
            parent=via.to_entity if via else None,
        )
        nodes[entity.key] = (collection, node)
        return node

    def _ids(
        name,
        style,
        rel,
        source,
        match_source,
        match_own,
        value_attrs,
        source_entity,
        to_coll,
        restores,
        value_names=None,
        target=("", ()),
    ) -> IdArray:
        types = tuple(
            FieldMap(
                a,
                a,
                source_entity.attribute(a).type,
                source_entity.attribute(a).nullable,
                mapping.rule_for(source_entity.attribute(a).type, uuid_representation),
            )
            for a in value_attrs
        )
        return IdArray(
            name,
            style,
            rel,
            source,
            tuple(match_source),
            tuple(match_own),
            tuple(value_attrs),
            _element_fields(value_names or value_attrs, mapping),
            types,
            to_coll,
            restores,
            (target[0], tuple(target[1])),
        )

    collections = []
    for entity in roots:
        collections.append((coll_names[entity.key], build(entity, "", None, coll_names[entity.key])))
    orphans = []
    taken = {name for name, _ in collections}
    for rel in plan.orphans:
        entity = schema.entity(rel.from_entity)
        name = "".join("_" if ch in "$\x00" else ch for ch in entity.name) + "_orphans"
        while name in taken:
            name += "_"
        taken.add(name)
        homes = dict(nodes)  # the orphans' nodes must not replace the entities' canonical homes
        orphans.append((name, build(entity, "", None, name)))
        nodes.clear()
        nodes.update(homes)
        sink.info(
            "mongodb-orphans-collection",
            f"{entity.key} rows whose {', '.join(rel.from_attributes)} is NULL have "
            f"no {rel.to_entity} to live in: they are kept in the collection {name!r}",
            subject=entity.key,
        )
    missing = [e.key for e in schema.entities if e.key not in nodes and e.key not in absorbed]
    for key in missing:  # only reachable through an embedding cycle, which decide() breaks
        sink.error("mongodb-unplaced-entity", f"{key} ended up in no collection (embedding cycle?)", subject=key)
    return Layout(schema, tuple(collections), nodes, uuid_representation, mapping, tuple(orphans), plan.roles)
