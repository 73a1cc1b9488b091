"""Invariants of the seeded sample-row generator that verify relies on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SAMPLES
from translator.sample_rows import sample_rows
from translator.sources import load_schema
from translator.strategies import schemas


@given(schemas(max_entities=5), st.integers(0, 2**32), st.integers(1, 15))
def test_keys_unique_and_foreign_keys_resolve(schema, seed, n):
    rows = sample_rows(schema, n, seed=seed)
    assert rows == sample_rows(schema, n, seed=seed)  # reproducible
    for entity in schema.entities:
        keys = [k for k in (entity.primary_key, *entity.unique_keys) if k]
        for key in keys:
            values = [tuple(r[c] for c in key) for r in rows[entity.key] if all(r[c] is not None for c in key)]
            assert len(values) == len(set(values)), (entity.key, key)
        for row in rows[entity.key]:
            assert set(row) == set(entity.attribute_names)
            assert all(row[c] is not None for c in entity.primary_key)
            for attribute in entity.attributes:
                assert attribute.nullable or row[attribute.name] is not None or attribute.name in entity.primary_key
        for rel in schema.relationships_from(entity.key):
            parents = {tuple(p[c] for c in rel.to_attributes) for p in rows[rel.to_entity]}
            for row in rows[entity.key]:
                ref = tuple(row[c] for c in rel.from_attributes)
                assert None in ref or ref in parents, (rel.name, ref)


def test_samples_get_several_children_per_parent():
    schema = load_schema([str(SAMPLES / "saas.sql")])
    rows = sample_rows(schema, 12, seed=0)
    assert len(rows["tenants"]) < len(rows["users"]) < len(rows["comments"])
