"""How each access pattern runs against the design: the collection, the query shape and its index."""

from __future__ import annotations

from typing import Any

from translator.targets.mongodb.decide import Plan
from translator.targets.mongodb.indexes import esr_keys
from translator.targets.mongodb.layout import Layout
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
        flt: dict[str, Any] = {}
        try:
            for ref in pattern.equality:
                flt[layout.path_of(ref.entity, ref.attribute)] = f"<{ref.attribute}>"
            if pattern.range is not None:
                flt[layout.path_of(pattern.range.entity, pattern.range.attribute)] = {
                    "$gte": f"<{pattern.range.attribute} from>",
                    "$lt": f"<{pattern.range.attribute} to>",
                }
            sort = {
                layout.path_of(t.attribute.entity, t.attribute.attribute): -1 if t.direction is Direction.DESC else 1
                for t in pattern.order_by
            }
        except KeyError as exc:
            note = f"no field for {exc.args[0]}"
            sort = {}
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
