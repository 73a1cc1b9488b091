"""Invariants of the workload layer over any schema the strategies generate."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.introspect.sampling import relationship_key
from translator.ir import Schema
from translator.strategies import schemas
from translator.workload import (
    AttributeStats,
    EntityStats,
    RelationshipStats,
    Statistics,
    default_workload,
    parse_workload,
    statistics_to_dict,
)

counts = st.floats(min_value=0, max_value=1e12, allow_nan=False)


@settings(max_examples=30)  # schemas() is costly to draw; 30 keeps the suite inside its time share
@given(schemas())
def test_default_workload_round_trips_through_yaml(schema: Schema):
    workload = default_workload(schema)
    assert all(p.assumed and p.rate == 1.0 for p in workload.access_patterns)
    by_pk = [p for p in workload.access_patterns if p.id.endswith(".by_pk")]
    assert len(by_pk) == sum(1 for e in schema.entities if e.primary_key)
    assert len(workload.access_patterns) == len(schema.entities) + len(schema.relationships)
    text = yaml.safe_dump({"version": 1, "access_patterns": [p.to_dict() for p in workload.access_patterns]})
    parsed = parse_workload(yaml.safe_load(text), schema, source="default.yaml")
    assert parsed.access_patterns == workload.access_patterns


@st.composite
def schema_with_statistics(draw):
    schema = draw(schemas())
    entities = {
        e.key: EntityStats(draw(counts), draw(st.none() | st.floats(1, 1e6)), draw(st.booleans()))
        for e in schema.entities
        if draw(st.booleans())
    }
    relationships = {}
    for rel in schema.relationships:
        top = draw(st.floats(0, 1e6))
        relationships[relationship_key(schema, rel)] = RelationshipStats(
            draw(st.floats(0, top)), draw(st.none() | st.floats(0, top)), top
        )
    attributes = {}
    for entity in schema.entities:
        name = draw(st.sampled_from(entity.attribute_names))
        freqs = draw(st.lists(st.floats(0, 0.2), max_size=4))
        values = draw(
            st.lists(
                st.integers(-(10**9), 10**9) | st.text(max_size=8) | st.booleans(),
                min_size=len(freqs),
                max_size=len(freqs),
            )
        )
        attributes[f"{entity.key}.{name}"] = AttributeStats(
            draw(st.none() | counts), tuple(zip(values, freqs, strict=False))
        )
    return schema, Statistics(entities, relationships, attributes)


@settings(max_examples=30)
@given(schema_with_statistics())
def test_statistics_round_trip_through_the_file_form(case):
    schema, stats = case
    text = yaml.safe_dump({"version": 1, "statistics": statistics_to_dict(stats)}, sort_keys=False)
    assert parse_workload(yaml.safe_load(text), schema).statistics == stats
