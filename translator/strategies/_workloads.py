"""`workloads()`: access patterns the workload loader accepts."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from translator.ir import Schema
from translator.strategies._types import _check_count
from translator.types import TypeKind
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    AttributeStats,
    Direction,
    EntityStats,
    OrderTerm,
    PatternKind,
    RelationshipStats,
    Statistics,
    Workload,
)
from translator.workload.paths import hops_from

_ORDERABLE = frozenset(
    {
        TypeKind.INTEGER,
        TypeKind.DECIMAL,
        TypeKind.FLOAT,
        TypeKind.STRING,
        TypeKind.DATE,
        TypeKind.TIME,
        TypeKind.TIMESTAMP,
    }
)


def workloads(
    schema: Schema, min_patterns: int = 1, max_patterns: int = 6, *, statistics: bool = False
) -> st.SearchStrategy[Workload]:
    """Workloads over `schema`: mostly reads (equality on attributes, at most one range attribute of an
    orderable type, order_by, `with_` related entities, limit), some writes keyed by the primary key;
    positive rates. Statistics are empty (so `StatsView` applies its documented defaults) unless
    `statistics=True`: then some entities get row counts (and sizes), some foreign keys fan-outs
    (avg <= p99 <= max) and some attributes distinct counts (at most the entity's rows)."""
    if not isinstance(schema, Schema) or not schema.entities:
        raise ValueError(f"schema={schema!r:.60} is invalid; pass a translator.ir.Schema with at least one entity")
    _check_count("min_patterns", min_patterns, 1, 100)
    _check_count("max_patterns", max_patterns, 1, 100)
    if min_patterns > max_patterns:
        raise ValueError(
            f"min_patterns={min_patterns} > max_patterns={max_patterns}; pass min_patterns <= max_patterns"
        )
    if not isinstance(statistics, bool):
        raise ValueError(f"statistics={statistics!r} is invalid; pass True or False")
    stats = _statistics(schema) if statistics else st.just(Statistics())
    return st.tuples(st.lists(_pattern(schema), min_size=min_patterns, max_size=max_patterns), stats).map(
        lambda case: Workload(
            tuple(AccessPattern(**{**_fields(p), "id": f"q{i + 1}"}) for i, p in enumerate(case[0])), statistics=case[1]
        )
    )


@st.composite
def _statistics(draw: Any, schema: Schema) -> Statistics:
    entities: dict[str, EntityStats] = {}
    for entity in schema.entities:
        if draw(st.booleans()):
            size = draw(st.none() | st.integers(1, 65_536).map(float))
            entities[entity.key] = EntityStats(rows=float(draw(st.integers(1, 10**9))), avg_row_bytes=size)
    relationships: dict[str, RelationshipStats] = {}
    for rel in schema.relationships:
        # Keyed "child.fk_attribute"; an attribute shared by two foreign keys can name only one of them.
        key = next(
            (f"{rel.from_entity}.{a}" for a in rel.from_attributes if f"{rel.from_entity}.{a}" not in relationships),
            None,
        )
        if key is not None and draw(st.booleans()):
            avg = draw(st.integers(0, 10_000))
            p99 = avg + draw(st.integers(0, 10_000))
            relationships[key] = RelationshipStats(
                avg=float(avg), p99=float(p99), max=float(p99 + draw(st.integers(0, 10_000)))
            )
    attributes: dict[str, AttributeStats] = {}
    for entity in schema.entities:
        rows = int(entities[entity.key].rows) if entity.key in entities else 10**9
        for attribute in entity.attributes:
            if draw(st.integers(0, 3)) == 0:
                attributes[f"{entity.key}.{attribute.name}"] = AttributeStats(
                    distinct=float(draw(st.integers(1, rows)))
                )
    return Statistics(entities=entities, relationships=relationships, attributes=attributes)


def _fields(pattern: AccessPattern) -> dict[str, Any]:
    return {name: getattr(pattern, name) for name in AccessPattern.__slots__}


@st.composite
def _pattern(draw: Any, schema: Schema) -> AccessPattern:
    entity = draw(st.sampled_from(schema.entities))
    ref = lambda name: AttributeRef(entity.key, name)  # noqa: E731
    kind = draw(st.sampled_from((PatternKind.READ, PatternKind.READ, PatternKind.READ, *PatternKind)))
    rate = draw(st.floats(0.01, 10_000.0, allow_nan=False))
    if kind is not PatternKind.READ:
        equality = () if kind is PatternKind.WRITE else tuple(ref(c) for c in entity.primary_key)
        return AccessPattern(id="q", entity=entity.key, kind=kind, equality=equality, rate=rate)
    names = list(entity.attribute_names)
    equality = draw(st.lists(st.sampled_from(names), max_size=min(3, len(names)), unique=True))
    rest = [n for n in names if n not in equality and entity.attribute(n).type.kind in _ORDERABLE]
    range_ = draw(st.none() | st.sampled_from(rest)) if rest else None
    order = draw(st.lists(st.sampled_from(rest), max_size=2, unique=True)) if rest else []
    if range_ is not None and order and order[0] != range_:
        order = [range_]  # a range scan can only come back ordered by the range attribute first
    # Adjacent entities reached by exactly one step (two foreign keys to the same parent need a qualifier).
    steps = hops_from(schema, entity.key)
    related = sorted(h.target for h in steps if sum(o.target == h.target for o in steps) == 1)
    with_ = draw(st.lists(st.sampled_from(related), max_size=2, unique=True)) if related else []
    paths = tuple((next(h for h in steps if h.target == name),) for name in with_)
    return AccessPattern(
        id="q",
        entity=entity.key,
        kind=kind,
        with_=tuple(with_),
        paths=paths,
        equality=tuple(ref(n) for n in equality),
        range=ref(range_) if range_ else None,
        order_by=tuple(OrderTerm(ref(n), draw(st.sampled_from(Direction))) for n in order),
        limit=draw(st.none() | st.integers(1, 1000)),
        rate=rate,
    )
