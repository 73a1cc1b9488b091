"""How each access pattern runs against the design: the collection, the query shape and its index."""

from __future__ import annotations

from typing import Any

from translator.targets.mongodb.decide import Plan
from translator.targets.mongodb.indexes import esr_keys
from translator.targets.mongodb.layout import FieldNotHeld, Layout
from translator.targets.mongodb.model import IndexSpec, PatternPlan
from translator.targets.mongodb.reads import gather
from translator.workload.model import AccessPattern, Direction, PatternKind

__all__ = ["plan_patterns"]

_OPERATION = {
    PatternKind.READ: "find",
    PatternKind.WRITE: "insertOne",
    PatternKind.UPDATE: "updateOne",
    PatternKind.DELETE: "deleteOne",
}


def plan_patterns(
    layout: Layout, plan: Plan, patterns: tuple[AccessPattern, ...], indexes: dict[str, list[IndexSpec]]
) -> tuple[PatternPlan, ...]:
    out = []
    for pattern in patterns:
        if pattern.entity not in layout.nodes:  # an absorbed junction: its rows are arrays in the sides
            holders = [a for _, n in layout.collections for a in n.id_arrays if a.source == pattern.entity]
            where = ", ".join(f"{h.rel.to_entity}.{h.field}" for h in holders)
            out.append(
                PatternPlan(
                    pattern.id,
                    None,
                    {"operation": _OPERATION[pattern.kind]},
                    None,
                    f"{pattern.entity} rows live in the arrays {where}",
                    pattern.assumed,
                )
            )
            continue
        subset = next((s for s in plan.subsets if s[3] == pattern.id), None)
        if subset is not None:
            out.append(_subset_plan(layout, pattern, subset[0]))
            continue
        collection, node = layout.nodes[pattern.entity]
        keys, note = esr_keys(layout, pattern)
        query: dict[str, Any] = {"operation": _OPERATION[pattern.kind]}
        if node.path and pattern.kind is PatternKind.WRITE and node.parent is not None:
            query["operation"] = "updateOne"
            query["filter"] = {layout.path_of(pattern.entity, c): f"<{c}>" for c, _ in node.implied}
            query["update"] = {
                "$push" if "." not in node.path and _is_array(node, layout) else "$set": {
                    node.path: f"<{pattern.entity} document>"
                }
            }
            out.append(
                PatternPlan(
                    pattern.id,
                    collection,
                    query,
                    {"keys": {"_id": 1}, "name": "_id_"} if list(query["filter"]) == ["_id"] else None,
                    f"{pattern.entity} is embedded at {node.path}: the write updates the parent document",
                    pattern.assumed,
                )
            )
            continue
        flt, sort, missing = _filter_and_sort(layout, pattern)
        if missing and not note:
            note = missing
        if pattern.kind is not PatternKind.WRITE:
            query["filter"] = flt
        if sort:
            query["sort"] = sort
        if pattern.limit is not None:
            query["limit"] = pattern.limit
        if node.path:
            note = (note + "; " if note else "") + (
                f"{pattern.entity} is embedded at {node.path}: "
                + (
                    "$push into the parent document"
                    if pattern.kind is PatternKind.WRITE
                    else "match the parent document, then project or $unwind the array"
                )
            )
        if pattern.kind is PatternKind.UPDATE:
            also = copies_to_update(layout, pattern.entity)
            if also:
                query["also_update"] = also
                where = ", ".join(dict.fromkeys(f"{a['collection']}.{a['copy']}" for a in also))
                note = (note + "; " if note else "") + f"the copies of {pattern.entity} in {where} are updated too"
        embedded, lookups, steps = gather(layout, pattern)
        if embedded:
            query["embedded"] = embedded
        if lookups:
            query["lookup"] = lookups
        index = None
        if keys and keys[0][0] == "_id":
            index = {"keys": {"_id": 1}, "name": "_id_"}
        elif keys:
            for spec in indexes.get(collection, []):
                if pattern.id in spec.patterns:
                    index = {"keys": dict(spec.keys), "name": spec.name}
                    break
        out.append(PatternPlan(pattern.id, collection, query, index, note, pattern.assumed, tuple(steps)))
    return tuple(out)


def copies_to_update(layout: Layout, entity: str) -> list[dict[str, Any]]:
    """An `updateMany` per copy of `entity`'s fields in other documents: extended references, matched by
    the holder's foreign key, and elements of id arrays that copy its fields, matched by its key."""
    out = []
    for collection, root in layout.collections:
        for trail in _trails(root, ()):
            node = trail[-1]
            for cp in node.copies:
                if cp.style != "extended" or cp.source != entity:
                    continue
                rel = cp.rel
                keys = {
                    layout.path_of(node.entity, a): f"<{t}>"
                    for a, t in zip(rel.from_attributes, rel.to_attributes, strict=True)
                }
                prefix, filters = _array_prefix(layout, trail, rel)
                out.append(
                    {
                        "operation": "updateMany",
                        "collection": collection,
                        "copy": ".".join(p for p in (node.path, cp.field) if p),
                        "filter": keys,
                        "update": {"$set": {f"{prefix}{cp.field}.{fm.field}": f"<{fm.attribute}>" for fm in cp.fields}},
                        **({"arrayFilters": filters} if filters else {}),
                    }
                )
            for arr in node.id_arrays:
                if arr.target[0] != entity or not arr.copies:
                    continue
                # The elements of an array of ids that copy the entity's fields: matched by its key.
                here = ".".join(p for p in (node.path, arr.field) if p)
                matched = tuple(zip(arr.value_fields, arr.target[1], strict=False))
                out.append(
                    {
                        "operation": "updateMany",
                        "collection": collection,
                        "copy": here,
                        "filter": {f"{here}.{f}": f"<{a}>" for f, a in matched},
                        "update": {
                            "$set": {
                                f"{_arrays_above(trail)}{arr.field}.$[element].{c.field}": f"<{c.attribute}>"
                                for c in arr.copies
                            }
                        },
                        "arrayFilters": [{f"element.{f}": f"<{a}>" for f, a in matched}],
                    }
                )
    return out


def _arrays_above(trail: tuple[Any, ...]) -> str:
    """The update path down to the last node of `trail`, through every array above it with `$[]`."""
    parts: list[str] = []
    for upper, lower in zip(trail, trail[1:], strict=False):
        link = next(k for k in upper.links if k.node is lower)
        parts.append(link.field)
        if link.shape == "array":
            parts.append("$[]")
    return "".join(f"{p}." for p in parts)


def _trails(node: Any, before: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    here = (*before, node)
    return [here, *(t for link in node.links for t in _trails(link.node, here))]


def _array_prefix(layout: Layout, trail: tuple[Any, ...], rel: Any) -> tuple[str, list[dict[str, Any]]]:
    """The update path down to the holder's sub-document: `$[]` through the arrays above it, `$[holder]`
    with an array filter on its foreign key for its own array."""
    parts: list[str] = []
    filters: list[dict[str, Any]] = []
    for i, (upper, lower) in enumerate(zip(trail, trail[1:], strict=False)):
        link = next(k for k in upper.links if k.node is lower)
        parts.append(link.field)
        if link.shape == "array":
            last = i == len(trail) - 2
            parts.append("$[holder]" if last else "$[]")
            if last:
                filters.append(
                    {
                        f"holder.{lower.field_of(a)}": f"<{t}>"
                        for a, t in zip(rel.from_attributes, rel.to_attributes, strict=True)
                        if lower.field_of(a) is not None
                    }
                )
    return "".join(f"{p}." for p in parts), filters


def _filter_and_sort(layout: Layout, pattern: AccessPattern) -> tuple[dict[str, Any], dict[str, int], str]:
    """(filter, sort, why a part is missing): every attribute held by the matched documents is rendered;
    one that is not (in another collection) is left out and named, never matched on a wrong field."""
    flt: dict[str, Any] = {}
    sort: dict[str, int] = {}
    missing: list[str] = []

    def path_of(ref: Any) -> str | None:
        try:
            return layout.ref_path(pattern.entity, ref)
        except FieldNotHeld as exc:
            missing.append(str(exc.args[0]))
        except KeyError as exc:
            missing.append(f"no field for {exc.args[0]}")
        return None

    for ref in pattern.equality:
        path = path_of(ref)
        if path is not None:
            flt[path] = f"<{_placeholder(pattern, ref, path)}>"
    if pattern.range is not None:
        path = path_of(pattern.range)
        if path is not None:
            name = _placeholder(pattern, pattern.range, path)
            flt[path] = {"$gte": f"<{name} from>", "$lt": f"<{name} to>"}
    for term in pattern.order_by:
        path = path_of(term.attribute)
        if path is not None:
            sort.setdefault(path, -1 if term.direction is Direction.DESC else 1)
    return _elem_match(layout, pattern.entity, flt), sort, "; ".join(dict.fromkeys(missing))


def _elem_match(layout: Layout, entity: str, flt: dict[str, Any]) -> dict[str, Any]:
    """Conditions on fields inside one embedded array, when there are two or more of them or a range
    (two bounds), become one `$elemMatch` on the array: without it each condition may be met by a
    different element (`{"releases.location": "USA", "releases.date": {...}}` matches a film released in
    the USA once and anywhere in that period). One equality alone needs none."""
    inside: dict[str, list[str]] = {}
    for path in flt:
        array = layout.array_holding(entity, path)
        if array is not None:
            inside.setdefault(array, []).append(path)
    grouped = {
        array: paths
        for array, paths in inside.items()
        if len(paths) > 1 or any(isinstance(flt[p], dict) for p in paths)
    }
    if not grouped:
        return flt
    out: dict[str, Any] = {}
    done: set[str] = set()
    for path, condition in flt.items():
        array = next((a for a, paths in grouped.items() if path in paths), None)
        if array is None:
            out[path] = condition
        elif array not in done:
            done.add(array)
            out[array] = {"$elemMatch": {p[len(array) + 1 :]: flt[p] for p in grouped[array]}}
    return out


def _placeholder(pattern: AccessPattern, ref: Any, path: str) -> str:
    """The value's name in a rendered query: the attribute's name, or the field path that holds it when
    the pattern names that attribute more than once (a flight's `origin.city` and `dest.city`)."""
    refs = [*pattern.equality, *([pattern.range] if pattern.range is not None else [])]
    return ref.attribute if sum(r.attribute == ref.attribute for r in refs) == 1 else path


def _is_array(node: Any, layout: Layout) -> bool:
    parent = layout.nodes[node.parent][1]
    return any(link.node.entity == node.entity and link.shape == "array" for link in parent.links)


def _subset_plan(layout: Layout, pattern: AccessPattern, rel: Any) -> PatternPlan:
    """A "latest N" read served by the parent's subset copy: one lookup by the parent's key."""
    collection, parent = layout.nodes[rel.to_entity]
    field = next(c.field for c in parent.copies if c.rel == rel and c.style == "subset")
    path = f"{parent.path}.{field}" if parent.path else field
    pairs = zip(rel.from_attributes, rel.to_attributes, strict=False)
    flt = {layout.path_of(rel.to_entity, t): f"<{f}>" for f, t in pairs}
    query = {"operation": "find", "filter": flt, "projection": {path: 1}}
    index = {"keys": {"_id": 1}, "name": "_id_"} if list(flt) == ["_id"] else None
    return PatternPlan(
        pattern.id,
        collection,
        query,
        index,
        f"served by the subset copy {path} (newest {pattern.limit}); older ones from "
        f"{layout.collection_of(rel.from_entity)}",
        pattern.assumed,
    )
