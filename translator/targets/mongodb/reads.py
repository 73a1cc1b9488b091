"""How a read gathers the entities of its `with` paths: paths already inside the matched document
(embedded children, the enclosing parent, extended-reference copies) and `$lookup` stages for the rest.

Each path is walked hop by hop from the pattern's entity. A hop stays inside the document when the
target is embedded under the current node (or encloses it), or is copied into it on the last hop;
otherwise one `$lookup` stage reads the target's own collection, by an id array of the current node or
by the foreign key, and later hops continue from that stage's `as` field. So a two-level read of
orders -> order_lines -> products whose lines are embedded looks products up from `products` with
`localField: "order_lines.product_id"`, never from `order_lines`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.ir import Relationship
from translator.targets.mongodb.layout import Layout, Node
from translator.targets.mongodb.workload_facts import pattern_paths
from translator.workload.model import AccessPattern, Hop

__all__ = ["gather", "Step"]


@dataclass(frozen=True, slots=True)
class Step:
    """How one hop is read: `child` (an embedded link), `parent` (the enclosing document), `copy` (a
    copy in the current node), `array` (an absorbed junction's rows, the elements of an id array of the
    current node), or `lookup` (the indices of its `$lookup` stages: the target's collection, and the
    collection of its orphans when it has one)."""

    kind: str
    target: str
    detail: Any = None  # the Link, the Copy, or the stage index


def _rel(layout: Layout, hop: Hop) -> Relationship | None:
    for rel in layout.schema.relationships:
        if rel.name in hop.relationships and {rel.from_entity, rel.to_entity} == {hop.source, hop.target}:
            return rel
    return None


def _lookup(
    layout: Layout, target: str, local: list[str], foreign: list[str], alias: str, source: str | None = None
) -> dict[str, Any]:
    """One `$lookup` of `target`'s collection (or `source`) matching `local` fields (paths in the current document)."""
    source = source or layout.collection_of(target)
    if len(local) == 1:
        return {"from": source, "localField": local[0], "foreignField": foreign[0], "as": alias}
    # A composite key: localField/foreignField take one field each, so match all of them in a pipeline.
    names = [f"k{i}" for i in range(len(local))]
    return {
        "from": source,
        "let": {n: "$" + path for n, path in zip(names, local, strict=False)},
        "pipeline": [
            {
                "$match": {
                    "$expr": {"$and": [{"$eq": ["$" + f, "$$" + n]} for n, f in zip(names, foreign, strict=False)]}
                }
            }
        ],
        "as": alias,
    }


def _child_link(node: Node, hop: Hop) -> Any:
    """The embedded children `hop` reaches: the same entity along the same foreign key (a parent may reach
    one child entity along two, e.g. the flights leaving and the flights arriving at an airport)."""
    return next(
        (
            link
            for link in node.links
            if link.node.entity == hop.target and hop.via is None and link.rel.name in hop.relationships
        ),
        None,
    )


def _follows(array: Any, hop: Hop) -> bool:
    """The id array holds the rows `hop` reaches: the junction it crosses, or the foreign key it follows
    (an airport's departures and arrivals are two arrays of flight ids)."""
    return array.source == hop.via if hop.via is not None else array.rel.name in hop.relationships


def _alias(layout: Layout, hop: Hop) -> str:
    """The `as` field of a `$lookup` for `hop`: the parent's role (`origin`, `dest`) on a step up, the
    child's name qualified by its foreign key's role when two foreign keys lead to it from here."""
    name = layout.schema.entity(hop.target).name
    rel = _rel(layout, hop)
    if rel is None or hop.via is not None:
        return name
    if rel.from_entity == hop.source:
        return layout.roles.get(rel, name)
    parallel = [r for r in layout.schema.relationships_from(hop.target) if r.to_entity == hop.source]
    return f"{name}_{layout.roles.get(rel, rel.name)}" if len(parallel) > 1 else name


def gather(layout: Layout, pattern: AccessPattern) -> tuple[list[str], list[dict[str, Any]], list[tuple[Step, ...]]]:
    """(paths already in the matched document, `$lookup` stages, the steps of each path of `pattern`)."""
    embedded: list[str] = []
    lookups: list[dict[str, Any]] = []
    all_steps: list[tuple[Step, ...]] = []
    stages_of: dict[str, tuple[int, ...]] = {}  # a lookup's `as` field -> its stages (with the orphans' one)
    for path in pattern_paths(layout.schema, pattern):
        alias: str | None = None  # None: the current entity is in the matched document
        steps: list[Step] = []
        all_steps.append(())
        for i, hop in enumerate(path):
            last = i == len(path) - 1
            source, target = hop.source, hop.target
            if source not in layout.nodes:
                lookups.append({"from": target, "note": f"{source} lives in arrays of other collections", "as": target})
                steps.append(Step("unsupported", target))
                break
            _, node = layout.nodes[source]
            prefix = f"{alias}." if alias else ""
            # Inside the current document: under a looked-up alias the whole document came with the stage.
            link = _child_link(node, hop)
            if link is not None:
                _add(embedded, link.node.path, alias)
                steps.append(Step("child", target, link))
                continue
            inside = _rel(layout, hop) is not None and _rel(layout, hop) == layout.embedding_of(node)
            if inside and layout.collection_of(source) == layout.collection_of(target):
                _add(embedded, layout.nodes[target][1].path or "$$ROOT", alias)
                steps.append(Step("parent", target))
                continue
            copy = next((c for c in node.copies if c.source == target and c.rel.name in hop.relationships), None)
            if copy is not None and last and copy.for_reads:
                _add(embedded, f"{node.path}.{copy.field}" if node.path else copy.field, alias)
                steps.append(Step("copy", target, copy))
                continue
            held = next(
                (a for a in node.id_arrays if a.source == target and a.restores and hop.relationships == (a.rel.name,)),
                None,
            )
            if held is not None and last:  # an absorbed junction: its rows are this node's array elements
                _add(embedded, f"{node.path}.{held.field}" if node.path else held.field, alias)
                steps.append(Step("array", target, held))
                continue
            name = _alias(layout, hop)
            new_alias = f"{alias}_{name}" if alias else name
            if new_alias in stages_of:  # a prefix shared with an earlier path
                alias = new_alias
                steps.append(Step("lookup", target, stages_of[new_alias]))
                continue
            # An array of composite child keys cannot be matched by one localField: its first field alone
            # would match every row sharing it, so such a hop is looked up by its foreign key instead.
            array = next(
                (
                    a
                    for a in node.id_arrays
                    if a.target[0] == target and _follows(a, hop) and (hop.via is not None or len(a.target[1]) == 1)
                ),
                None,
            )
            if array is not None:
                base = f"{node.path}." if node.path else ""
                local = prefix + base + (array.field if array.scalar else f"{array.field}.{array.value_fields[0]}")
                foreign = layout.path_of(target, array.target[1][0]) if target in layout.nodes else array.target[1][0]
                lookups.append(
                    {
                        "from": layout.collection_of(target) if target in layout.nodes else target,
                        "localField": local,
                        "foreignField": foreign,
                        "as": new_alias,
                    }
                )
                matching = ([local], [array.target[1][0]])
            else:
                rel = _rel(layout, hop)
                if rel is None or target not in layout.nodes:
                    # (an absorbed junction read from the side that does not hold its array, or no key)
                    lookups.append(
                        {
                            "from": layout.collection_of(target) if target in layout.nodes else target,
                            "note": f"no foreign key between {source} and {target} to match on",
                            "as": new_alias,
                        }
                    )
                    steps.append(Step("unsupported", target))
                    break
                own, other = (
                    (rel.from_attributes, rel.to_attributes)
                    if rel.from_entity == source
                    else (rel.to_attributes, rel.from_attributes)
                )
                local_paths = [prefix + layout.path_of(source, a) for a in own]
                lookups.append(
                    _lookup(layout, target, local_paths, [layout.path_of(target, a) for a in other], new_alias)
                )
                matching = (local_paths, list(other))
            indices = [len(lookups) - 1]
            for collection, orphans in layout.orphans:
                if orphans.entity == target:  # rows without the parent they are embedded in live there
                    fields = [orphans.field_of(a) or a for a in matching[1]]
                    lookups.append(_lookup(layout, target, matching[0], fields, f"{new_alias}_orphans", collection))
                    indices.append(len(lookups) - 1)
            stages_of[new_alias] = tuple(indices)
            steps.append(Step("lookup", target, tuple(indices)))
            alias = new_alias
        all_steps[-1] = tuple(steps)
    return embedded, lookups, all_steps


def _add(items: list[str], item: str, alias: str | None) -> None:
    if alias is None and item not in items:
        items.append(item)
