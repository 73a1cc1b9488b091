"""Answer a read pattern from documents, the way its plan says MongoDB would: match the filter, then
follow each `with` path through embedded sub-documents, copies and `$lookup` stages.

This is the check that the design's reads along relationship paths return what SQL's joins return
(tests/mongodb/test_sql_agreement.py): `answer` gives, for every matched row of the pattern's entity,
the keys of the rows each path reaches. It interprets the documents in memory (array fields match any
element, as MongoDB's do); no server is involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translator.errors import PolyschemaError
from translator.targets.mongodb.codecs import decode_value, encode_value
from translator.targets.mongodb.layout import FieldNotHeld, Layout, Node
from translator.targets.mongodb.model import MongoDesign
from translator.workload.model import AttributeRef

__all__ = ["answer", "UnsupportedRead"]

Key = tuple[Any, ...]
Item = tuple[Node, Mapping[str, Any], tuple[tuple[Node, Mapping[str, Any]], ...]]  # node, sub-document, ancestors


class _CopiedKey(tuple):
    """The key of a row read from a copy (an extended reference): taken from the holder's foreign key."""


class UnsupportedRead(PolyschemaError):
    """The pattern's plan has a shape this interpreter does not execute (it says which)."""


def _values_at(doc: Any, path: str) -> list[Any]:
    """Every value at the dotted `path`, arrays flattened at each level (MongoDB's matching semantics)."""
    values = [doc]
    for part in path.split("."):
        nxt = []
        for value in values:
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, Mapping) and part in v:
                    nxt.append(v[part])
        values = nxt
    return [x for v in values for x in (v if isinstance(v, list) else [v])]


def _attribute(layout: Layout, node: Node, doc: Mapping[str, Any], chain: tuple, attribute: str) -> Any:
    """The decoded value of `attribute` for the entity at `node`, restoring implied keys from its parents."""
    ctx = (layout.mapping, layout.uuid_representation)
    for fm in node.fields:
        if fm.attribute == attribute:
            return decode_value(doc.get(fm.field), fm.type, ctx)
    for child_attr, parent_attr in node.implied:
        if child_attr == attribute and chain:
            parent_node, parent_doc = chain[-1]
            return _attribute(layout, parent_node, parent_doc, chain[:-1], parent_attr)
    raise UnsupportedRead(f"{node.entity}.{attribute} is not held by its document")


def identity(layout: Layout, entity: str) -> tuple[str, ...]:
    """The attributes that identify a row of `entity`: its primary key, else all its attributes."""
    ent = layout.schema.entity(entity)
    return ent.primary_key or ent.attribute_names


def _key(layout: Layout, item: Item) -> Key:
    node, doc, chain = item
    return tuple(_attribute(layout, node, doc, chain, a) for a in identity(layout, node.entity))


def _children(item: Item, field: str, node: Node) -> list[Item]:
    parent_node, doc, chain = item
    value = doc.get(field)
    subs = value if isinstance(value, list) else ([value] if isinstance(value, Mapping) else [])
    return [(node, sub, (*chain, (parent_node, doc))) for sub in subs]


def _in_collection(layout: Layout, docs: Iterable[Mapping[str, Any]], target: str) -> list[Item]:
    """Every sub-document of `target` in its collection's `docs`, with its ancestors."""
    _, node = layout.nodes[target]
    trail: list[Node] = []
    here = node
    while here.parent is not None:
        trail.append(here)
        here = layout.nodes[here.parent][1]
    items: list[Item] = [(here, d, ()) for d in docs]
    for step in reversed(trail):
        link = next(link for link in items[0][0].links if link.node is step) if items else None
        items = [c for it in items for c in _children(it, link.field, step)] if link else []
    return items


def answer(
    design: MongoDesign,
    documents: Mapping[str, list[Mapping[str, Any]]],
    pattern_id: str,
    values: Mapping[str | AttributeRef, Any] | None = None,
) -> dict[Key, tuple[frozenset[Key], ...]]:
    """For each row of the pattern's entity that its filter matches, the keys reached along each of its
    `with` paths. `values` maps an attribute of the pattern's entity (its name) or any attribute the
    pattern filters on (the `AttributeRef`, path included: a flight's origin city) to the value it must
    equal; None matches every row. A related entity's attribute is matched where the design keeps it in
    the document (a copy such as `origin.city`), so a copy that is missing or wrong gives a wrong answer."""
    layout: Layout = design.layout
    plan = next(p for p in design.access_patterns if p.id == pattern_id)
    pattern = next(p for p in design.patterns if p.id == pattern_id)
    if pattern.entity not in layout.nodes:
        raise UnsupportedRead(f"{pattern.entity} is a junction absorbed into arrays of id")
    collection, node = layout.nodes[pattern.entity]
    if node.path:
        raise UnsupportedRead(f"{pattern.entity} is embedded at {node.path}; only collection roots are answered")
    ctx = (layout.mapping, layout.uuid_representation)
    wanted = [_wanted(layout, pattern, key, value) for key, value in (values or {}).items()]
    # Two conditions inside one embedded array must hold for one element (the plan's `$elemMatch`).
    by_array: dict[str | None, list[tuple[str, Any, Any]]] = {}
    for w in wanted:
        by_array.setdefault(layout.array_holding(pattern.entity, w[0]), []).append(w)
    alone = [w for array, ws in by_array.items() for w in ws if array is None or len(ws) == 1]
    together = {array: ws for array, ws in by_array.items() if array is not None and len(ws) > 1}

    def holds(sub: Any, conditions: list[tuple[str, Any, Any]], prefix: str = "") -> bool:
        return all(
            encode_value(value, type_, ctx) in _values_at(sub, path[len(prefix) :]) for path, type_, value in conditions
        )

    out: dict[Key, tuple[frozenset[Key], ...]] = {}
    for doc in documents.get(collection, []):
        item: Item = (node, doc, ())
        if not holds(doc, alone) or not all(
            any(isinstance(e, Mapping) and holds(e, ws, f"{array}.") for e in _values_at(doc, array))
            for array, ws in together.items()
        ):
            continue
        result = dict(doc)  # $lookup stages add their `as` fields to it
        reached = []
        for steps in plan.steps:
            items = [item]
            for step in steps:
                items = _step(layout, documents, plan.query.get("lookup", []), result, items, step)
            reached.append(frozenset(tuple(it) if isinstance(it, _CopiedKey) else _key(layout, it) for it in items))
        out[_key(layout, item)] = tuple(reached)
    return out


def _wanted(layout: Layout, pattern: Any, key: str | AttributeRef, value: Any) -> tuple[str, Any, Any]:
    """(document path, canonical type, value) of one filter value of `answer`."""
    ref = key if isinstance(key, AttributeRef) else AttributeRef(pattern.entity, key)
    try:
        path = layout.ref_path(pattern.entity, ref)
    except FieldNotHeld as exc:
        raise UnsupportedRead(str(exc.args[0])) from None
    return path, layout.schema.entity(ref.entity).attribute(ref.attribute).type, value


def _step(
    layout: Layout,
    documents: Mapping[str, list[Mapping[str, Any]]],
    stages: list[dict[str, Any]],
    result: dict[str, Any],
    items: list[Any],
    step: Any,
) -> list[Any]:
    if step.kind == "child":
        return [c for it in items for c in _children(it, step.detail.field, step.detail.node)]
    if step.kind == "parent":
        return [(chain[-1][0], chain[-1][1], chain[:-1]) for _, _, chain in items if chain]
    if step.kind == "copy":  # the copy holds the parent's fields; its key is the child's foreign key
        rel = step.detail.rel
        if tuple(rel.to_attributes) != identity(layout, step.target):
            raise UnsupportedRead(f"{rel.name} does not reference {step.target}'s primary key")
        return [
            _CopiedKey(_attribute(layout, n, d, c, a) for a in rel.from_attributes)
            for n, d, c in items
            if isinstance(d.get(step.detail.field), Mapping)
        ]
    if step.kind == "array":  # junction rows: the holder's key plus each element's values
        arr = step.detail
        ctx = (layout.mapping, layout.uuid_representation)
        junction = layout.schema.entity(arr.source)
        out = []
        for n, d, c in items:
            own = {s: _attribute(layout, n, d, c, o) for s, o in zip(arr.match_source, arr.match_own, strict=True)}
            for element in d.get(arr.field) or []:
                got = [element] if arr.scalar else [element.get(f) for f in arr.value_fields]
                row = dict(own)
                for a, fm, v in zip(arr.value_attributes, arr.value_types, got, strict=True):
                    row[a] = decode_value(v, fm.type, ctx)
                out.append(_CopiedKey(row.get(a) for a in (junction.primary_key or junction.attribute_names)))
        return out
    if step.kind == "lookup":
        found: list[Any] = []
        orphans = dict(layout.orphans)
        for index in step.detail:
            stage = stages[index]
            if "localField" not in stage:
                raise UnsupportedRead(f"the $lookup of {stage.get('from')} uses a pipeline or has no match fields")
            local = _values_at(result, stage["localField"])
            docs = documents.get(stage["from"], [])
            matched = [d for d in docs if any(v in local for v in _values_at(d, stage["foreignField"]))]
            result[stage["as"]] = matched
            if stage["from"] in orphans:  # the orphans' documents are the target's rows themselves
                found += [(orphans[stage["from"]], d, ()) for d in matched]
                continue
            candidates = _in_collection(layout, matched, step.target)
            field = stage["foreignField"].rsplit(".", 1)[-1]
            found += [it for it in candidates if it[1].get(field) in local or layout.nodes[step.target][1].path == ""]
        return found
    raise UnsupportedRead(f"a hop to {step.target} cannot be read from the documents")
