"""Relationship paths: how a pattern's `with` entries and attributes reach other entities.

A step (`Hop`) follows one foreign key in either direction, or a many-to-many link through its junction
(`Schema.many_to_many()`). A `with` entry is a path *spec*: entity names joined by dots
(`order_lines.products`), each optionally qualified by the relationship to follow
(`users(assignee_id)`: a relationship name, a foreign-key attribute, or a junction entity). The first
name may be reached through the pattern's other `with` entries when it is not adjacent (the unique
shortest such path); every further name must be adjacent to the one before it.

Targets use `hops_from` (the adjacency), `path_entities` and `path_spec`; the loader uses `resolve_spec`.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from translator.ir import Cardinality, Entity, Schema
from translator.workload.model import Hop

__all__ = [
    "PathProblem",
    "hops_from",
    "hops_between",
    "path_entities",
    "path_spec",
    "split_spec",
    "resolve_spec",
    "reach",
]

_SEGMENT = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<qualifier>[^()]*)\))?$")
_LISTED = 4  # how many existing paths an error lists


class PathProblem(ValueError):
    """A spec that cannot be resolved; `str()` is one line (the loader prefixes the pattern)."""


def hops_from(schema: Schema, entity: str) -> tuple[Hop, ...]:
    """Every step from `entity` (an `Entity.key`) to another entity; self-references are left out."""
    return _adjacency(schema).get(entity, ())


def hops_between(schema: Schema, source: str, target: str) -> tuple[Hop, ...]:
    return tuple(h for h in hops_from(schema, source) if h.target == target)


def _adjacency(schema: Schema) -> dict[str, tuple[Hop, ...]]:
    # Keyed by identity (a WeakKeyDictionary would hash the whole frozen schema on every lookup).
    cached = _BY_ID.get(id(schema))
    if cached is not None and cached[0]() is schema:
        return cached[1]
    adjacency = _build_adjacency(schema)
    key = id(schema)
    _BY_ID[key] = (weakref.ref(schema, lambda _ref: _BY_ID.pop(key, None)), adjacency)
    return adjacency


_BY_ID: dict[int, tuple[weakref.ref[Schema], dict[str, tuple[Hop, ...]]]] = {}


def _build_adjacency(schema: Schema) -> dict[str, tuple[Hop, ...]]:
    out: dict[str, list[Hop]] = {e.key: [] for e in schema.entities}
    for rel in schema.relationships:
        if rel.is_self_reference or rel.from_entity not in out or rel.to_entity not in out:
            continue
        out[rel.from_entity].append(Hop(rel.from_entity, rel.to_entity, (rel.name,), to_many=False))
        out[rel.to_entity].append(
            Hop(rel.to_entity, rel.from_entity, (rel.name,), to_many=rel.cardinality is not Cardinality.ONE_TO_ONE)
        )
    for link in schema.many_to_many():
        left, right = link.left.to_entity, link.right.to_entity
        if left == right or left not in out or right not in out:
            continue
        out[left].append(Hop(left, right, (link.left.name, link.right.name), to_many=True, via=link.junction))
        out[right].append(Hop(right, left, (link.right.name, link.left.name), to_many=True, via=link.junction))
    return {k: tuple(v) for k, v in out.items()}


def path_entities(path: Sequence[Hop]) -> tuple[str, ...]:
    """The entities a path visits after its start (junctions of many-to-many hops are not visited)."""
    return tuple(h.target for h in path)


def _qualifier(schema: Schema, hop: Hop) -> str:
    """The shortest qualifier that tells `hop` apart from the other steps between the same entities."""
    if len(hops_between(schema, hop.source, hop.target)) == 1:
        return ""
    return hop.via if hop.via else hop.relationships[0]


def path_spec(schema: Schema, path: Sequence[Hop]) -> str:
    """`path` written the way a workload file names it (`order_lines.products`, `users(issues_assignee_fk)`)."""
    parts = []
    for hop in path:
        qualifier = _qualifier(schema, hop)
        parts.append(f"{hop.target}({qualifier})" if qualifier else hop.target)
    return ".".join(parts)


def split_spec(text: str) -> list[str]:
    """Split on dots outside parentheses: `a.b(x.y).c` -> [`a`, `b(x.y)`, `c`]."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch == "." and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


@dataclass(frozen=True, slots=True)
class _Segment:
    entity: Entity
    qualifier: str | None


def _segmentations(schema: Schema, tokens: Sequence[str]) -> list[list[_Segment]]:
    """Every way to read `tokens` as entity names (an entity key may itself hold a dot: `ns.name`)."""
    if not tokens:
        return [[]]
    out = []
    for cut in range(1, len(tokens) + 1):
        head = ".".join(tokens[:cut])
        match = _SEGMENT.match(head)
        if match is None or any("(" in t for t in tokens[: cut - 1]):
            continue
        entity = schema.find_entity(match["name"].strip())
        if entity is None:
            continue
        qualifier = match["qualifier"].strip() if match["qualifier"] is not None else None
        out += [[_Segment(entity, qualifier), *rest] for rest in _segmentations(schema, tokens[cut:])]
    return out


def _matches(schema: Schema, hop: Hop, qualifier: str) -> bool:
    folded = qualifier.casefold()
    if any(name.casefold() == folded for name in hop.relationships):
        return True
    if hop.via and (folded == hop.via.casefold() or folded == hop.via.rsplit(".", 1)[-1].casefold()):
        return True
    rels = [r for r in schema.relationships if r.name in hop.relationships]
    return any(folded == a.casefold() for r in rels for a in r.from_attributes)


def _describe(schema: Schema, paths: Iterable[Sequence[Hop]], start: str) -> str:
    listed = [path_spec(schema, p) or start for p in paths]
    more = len(listed) - _LISTED
    return ", ".join(listed[:_LISTED]) + (f" (and {more} more)" if more > 0 else "")


def _is_child_step(schema: Schema, hop: Hop) -> bool:
    """True when the hop's foreign key is on its target (the target rows belong to the source row)."""
    return any(
        r.name == hop.relationships[0] and r.from_entity == hop.target and r.to_entity == hop.source
        for r in schema.relationships
    )


def _step(schema: Schema, source: str, segment: _Segment) -> Hop:
    """The one hop from `source` into `segment`; PathProblem when there is none or more than one."""
    hops = hops_between(schema, source, segment.entity.key)
    if segment.qualifier is not None:
        chosen = [h for h in hops if _matches(schema, h, segment.qualifier)]
        if not chosen:
            raise PathProblem(
                f"no relationship {segment.qualifier!r} between {source!r} and {segment.entity.key!r}; "
                f"the relationships are: {', '.join(sorted({h.via or h.relationships[0] for h in hops})) or 'none'}"
            )
        hops = tuple(chosen)
    if len(hops) == 1:
        return hops[0]
    # Two entities that reference each other (a cycle): "a with b" means the b rows that belong to a,
    # as it did before paths existed, when exactly one step goes to children that way.
    children = [h for h in hops if not h.via and _is_child_step(schema, h)]
    if segment.qualifier is None and len(children) == 1 and len(hops) == 2 and not any(h.via for h in hops):
        return children[0]
    if not hops:
        neighbours = sorted({h.target for h in hops_from(schema, source)})
        raise PathProblem(
            f"{segment.entity.key!r} is not adjacent to {source!r}; entities adjacent to {source!r}: "
            + (", ".join(neighbours) if neighbours else "none")
        )
    options = ", ".join(f"{h.target}({h.via or h.relationships[0]})" for h in hops)
    raise PathProblem(f"the step from {source!r} to {segment.entity.key!r} is ambiguous: write one of {options}")


def _shortest(
    schema: Schema, start: str, target: str, allowed: frozenset[str] | None, limit: int = 16
) -> list[tuple[Hop, ...]]:
    """All shortest simple paths start -> target (up to `limit`), intermediates restricted to `allowed`."""
    frontier: list[tuple[Hop, ...]] = [()]
    seen = {start}
    while frontier:
        found, following = [], []
        for path in frontier:
            here = path[-1].target if path else start
            for hop in hops_from(schema, here):
                if hop.target == target:
                    found.append((*path, hop))
                elif hop.target not in seen and (allowed is None or hop.target in allowed):
                    following.append((*path, hop))
        if found:
            return found[:limit]
        seen |= {p[-1].target for p in following}
        frontier = following[: limit * 8]
    return []


def reach(schema: Schema, start: str, segment: _Segment, through: Iterable[str]) -> tuple[Hop, ...]:
    """The path from `start` into `segment`: one adjacent step, else the unique shortest path whose
    intermediate entities are all in `through` (the pattern's other `with` entities)."""
    target = segment.entity.key
    if segment.qualifier is not None or hops_between(schema, start, target):
        return (_step(schema, start, segment),)
    allowed = frozenset(through) - {start, target}
    paths = _shortest(schema, start, target, allowed)
    if len(paths) == 1:
        return paths[0]
    if paths:
        raise PathProblem(
            f"{target!r} is reached from {start!r} by {len(paths)} paths through the with entries: "
            f"{_describe(schema, paths, start)}; write the one you mean"
        )
    existing = _shortest(schema, start, target, None)
    via = f" through its with entries ({', '.join(sorted(allowed))})" if allowed else ""
    listed = (
        f"; paths that exist: {_describe(schema, existing, start)}"
        if existing
        else "; no path along foreign keys leads there"
    )
    raise PathProblem(f"{target!r} is not adjacent to {start!r} and not reachable{via}{listed}")


def resolve_spec(schema: Schema, start: str, spec: str, through: Iterable[str] = ()) -> tuple[Hop, ...]:
    """The hops a `with` spec (or the entity part of a qualified attribute) names, from entity `start`.

    A spec that names `start` itself first (`orders.order_lines` for a pattern on orders) starts there.
    Raises `PathProblem` when the spec names no entity, is ambiguous or leads nowhere.
    """
    through = tuple(through)
    readings = _segmentations(schema, split_spec(spec))
    if not readings:
        raise PathProblem(f"{spec!r} names no entity (or a path of entities joined by dots)")
    results: dict[tuple[Hop, ...], None] = {}
    problems: list[str] = []
    for segments in readings:
        if len(segments) > 1 and segments[0].entity.key == start and segments[0].qualifier is None:
            segments = segments[1:]
        try:
            path = reach(schema, start, segments[0], through) if segments[0].entity.key != start else ()
            for segment in segments[1:]:
                here = path[-1].target if path else start
                path = (*path, _step(schema, here, segment))
        except PathProblem as problem:
            problems.append(str(problem))
            continue
        results[path] = None
    if len(results) == 1:
        return next(iter(results))
    if results:
        raise PathProblem(f"{spec!r} can be read as {len(results)} paths: {_describe(schema, results, start)}")
    raise PathProblem(problems[0])
