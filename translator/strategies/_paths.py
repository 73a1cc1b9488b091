"""`path_workloads()`: read patterns across relationships (with paths; equality, range and order on
related entities)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from translator.ir import Schema
from translator.strategies._types import _check_count
from translator.strategies._workloads import _ORDERABLE, _statistics
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    Direction,
    Hop,
    OrderTerm,
    PatternKind,
    Statistics,
    Workload,
)
from translator.workload.paths import hops_between, hops_from


def path_workloads(
    schema: Schema, min_patterns: int = 1, max_patterns: int = 4, *, max_depth: int = 3, statistics: bool = False
) -> st.SearchStrategy[Workload]:
    """Workloads of read patterns that follow relationships: each pattern walks up to `max_depth` steps
    from its entity (foreign keys both ways, many-to-many links), returns some of the entities on the
    walk (`with`, written as dotted paths), and compares attributes of any entity on the walk (equality,
    at most one orderable range attribute, order_by led by the range). Every step is the only one
    between its two entities, and no entity is visited twice, so every name reads back to one path.
    Entities without a relationship get a pattern on their own attributes."""
    if not isinstance(schema, Schema) or not schema.entities:
        raise ValueError(f"schema={schema!r:.60} is invalid; pass a translator.ir.Schema with at least one entity")
    _check_count("min_patterns", min_patterns, 1, 100)
    _check_count("max_patterns", max_patterns, 1, 100)
    _check_count("max_depth", max_depth, 1, 10)
    if min_patterns > max_patterns:
        raise ValueError(
            f"min_patterns={min_patterns} > max_patterns={max_patterns}; pass min_patterns <= max_patterns"
        )
    stats = _statistics(schema) if statistics else st.just(Statistics())
    return st.tuples(
        st.lists(_path_pattern(schema, max_depth), min_size=min_patterns, max_size=max_patterns), stats
    ).map(lambda case: Workload(tuple(_renamed(p, f"p{i + 1}") for i, p in enumerate(case[0])), statistics=case[1]))


def _renamed(pattern: AccessPattern, pattern_id: str) -> AccessPattern:
    fields = {name: getattr(pattern, name) for name in AccessPattern.__slots__}
    return AccessPattern(**{**fields, "id": pattern_id})


@st.composite
def _walk(draw: Any, schema: Schema, start: str, max_depth: int) -> tuple[Hop, ...]:
    path: list[Hop] = []
    visited = {start}
    for _ in range(draw(st.integers(1, max_depth))):
        here = path[-1].target if path else start
        steps = [
            h
            for h in hops_from(schema, here)
            if h.target not in visited
            and len(hops_between(schema, here, h.target)) == 1
            and (h.via is None or h.via not in visited)
        ]
        if not steps:
            break
        hop = draw(st.sampled_from(steps))
        path.append(hop)
        visited |= {hop.target} | ({hop.via} if hop.via else set())
    return tuple(path)


@st.composite
def _path_pattern(draw: Any, schema: Schema, max_depth: int) -> AccessPattern:
    entity = draw(st.sampled_from(schema.entities))
    path = draw(_walk(schema, entity.key, max_depth))
    # `with`: some prefixes of the walk, always its end when the walk is not empty
    ends = sorted(set(draw(st.lists(st.integers(1, len(path)), max_size=len(path)))) | {len(path)}) if path else []
    with_paths = tuple(path[:k] for k in ends)
    # the entities an attribute may come from: the pattern's own, then each on the walk with its path
    places = [(entity.key, ())] + [(path[k - 1].target, path[:k]) for k in range(1, len(path) + 1)]
    refs = [AttributeRef(key, a.name, prefix) for key, prefix in places for a in schema.entity(key).attributes]
    # a bare or `entity.attribute` name must read back to this place: skip names that repeat elsewhere on the walk
    seen_keys = [key for key, _ in places]
    refs = [r for r in refs if seen_keys.count(r.entity) == 1]
    equality = draw(st.lists(st.sampled_from(refs), max_size=3, unique=True)) if refs else []
    orderable = [
        r for r in refs if r not in equality and schema.entity(r.entity).attribute(r.attribute).type.kind in _ORDERABLE
    ]
    range_ = draw(st.none() | st.sampled_from(orderable)) if orderable else None
    order = draw(st.lists(st.sampled_from(orderable), max_size=2, unique=True)) if orderable else []
    if range_ is not None and order and order[0] != range_:
        order = [range_]
    return AccessPattern(
        id="p",
        entity=entity.key,
        kind=PatternKind.READ,
        with_=tuple(p[-1].target for p in with_paths),
        paths=with_paths,
        equality=tuple(equality),
        range=range_,
        order_by=tuple(OrderTerm(r, draw(st.sampled_from(Direction))) for r in order),
        limit=draw(st.none() | st.integers(1, 1000)),
        rate=draw(st.floats(0.01, 10_000.0, allow_nan=False)),
    )
