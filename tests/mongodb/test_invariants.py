"""Invariants of the sizing arithmetic and of every design, over generated inputs."""

from __future__ import annotations

from typing import Any

import bson
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.strategies import schemas, workloads
from translator.targets.mongodb import TARGET
from translator.targets.mongodb.sizing import array_bytes, field_bytes, value_bytes
from translator.workload.model import PatternKind


@settings(max_examples=40)
@given(count=st.integers(0, 1500), element=st.text(max_size=30))
def test_array_bytes_equals_bson_encoding(count: int, element: str) -> None:
    doc = {"xs": [{"v": element}] * count}
    assert len(bson.encode(doc)) == 4 + field_bytes("xs", array_bytes(count, value_bytes({"v": element}))) + 1


@given(
    value=st.one_of(
        st.integers(-(2**63), 2**63 - 1),
        st.text(max_size=20),
        st.binary(max_size=20),
        st.booleans(),
        st.floats(allow_nan=False),
        st.none(),
    )
)
def test_value_bytes_matches_a_field_in_a_document(value: Any) -> None:
    assert len(bson.encode({"field": value})) == 4 + field_bytes("field", value_bytes(value)) + 1


@st.composite
def designs(draw: Any) -> tuple[Any, Any, Any]:
    schema = draw(schemas(max_entities=5))
    workload = draw(workloads(schema))
    return schema, workload, TARGET.design(schema, workload)


@settings(max_examples=40)
@given(designs())
def test_every_relationship_gets_exactly_one_explained_decision(case: tuple[Any, Any, Any]) -> None:
    schema, _, design = case
    junctions = {m.junction: m for m in schema.many_to_many()}
    absorbed = {d.subject for d in design.decisions if d.subject in junctions and d.choice != "junction-collection"}
    covered: list[Any] = []
    for d in design.decisions:
        assert d.rule and d.reason
        numbers = dict(d.numbers)
        if d.subject in junctions and numbers["child"] == d.subject and numbers["parent"] is None:
            if d.choice != "junction-collection":  # a kept junction's two foreign keys get their own decisions
                covered += [junctions[d.subject].left, junctions[d.subject].right]
        else:
            covered += [r for r in schema.relationships if r.name == d.subject and r.from_entity == numbers["child"]]
    assert sorted(map(repr, covered)) == sorted(map(repr, schema.relationships))
    # an absorbed junction has no collection; every other entity has exactly one home
    # (a collection of parentless rows is no second home: those rows live nowhere else)
    homes = [c.source_entity for c in design.collections if c.orphans_of is None]
    homes += [e.entity for c in design.collections if c.orphans_of is None for e in c.embedded if not e.copy]
    assert sorted(homes) == sorted(e.key for e in schema.entities if e.key not in absorbed)


@settings(max_examples=40)
@given(designs())
def test_reads_get_an_index_in_equality_sort_range_order(case: tuple[Any, Any, Any]) -> None:
    _, workload, design = case
    layout = design.layout
    for plan in design.access_patterns:
        pattern = workload.pattern(plan.id)
        if pattern.kind is not PatternKind.READ or plan.index is None or "projection" in plan.query:
            continue
        keys = list(plan.index["keys"])
        eq = {layout.path_of(r.entity, r.attribute) for r in pattern.equality}
        sort = [layout.path_of(t.attribute.entity, t.attribute.attribute) for t in pattern.order_by]
        range_path = [layout.path_of(pattern.range.entity, pattern.range.attribute)] if pattern.range else []
        if keys == ["_id"]:  # served by the _id index: _id must lead the ESR keys
            assert "_id" in eq or (not eq and (sort + range_path)[:1] == ["_id"])
            continue
        assert set(keys[: len(eq)]) == eq  # equality first
        rest = [k for k in keys[len(eq) :]]
        expected_sort = [p for p in dict.fromkeys(sort) if p not in eq]
        assert rest[: len(expected_sort)] == expected_sort  # then the sort keys, in order
        if range_path:
            assert range_path[0] in keys  # range last (or already present as an equality or sort key)
