"""The strategies keep their promises: valid schemas, rows that satisfy them, workloads the loader accepts."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.ir import Attribute, Entity, Relationship, Schema, derive_cardinality
from translator.strategies import (
    KEY_KINDS,
    SUPPORTED_KINDS,
    canonical_types,
    identifiers,
    key_of,
    reserved_words,
    rows_for,
    schemas,
    values_for,
    workloads,
)
from translator.types import CanonicalType, TypeKind
from translator.workload import StatsView, parse_workload, statistics_to_dict
from translator.workload.loader import parse_statistics

NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def schema_and_rows(**kwargs):
    return schemas(**kwargs).flatmap(lambda s: rows_for(s).map(lambda rows: (s, rows)))


def check_schema(schema: Schema) -> None:
    names = [e.name for e in schema.entities]
    assert len({n.casefold() for n in names}) == len(names)
    for entity in schema.entities:
        for name in (entity.name, *entity.attribute_names):
            assert NAME.fullmatch(name) and name not in reserved_words() and len(name) <= 10, name
        assert len(set(entity.attribute_names)) == len(entity.attributes)
        assert entity.primary_key, f"{entity.name} has no primary key"
        for key in (entity.primary_key, *entity.unique_keys):
            assert len(set(key)) == len(key) and set(key) <= set(entity.attribute_names)
            assert all(entity.attribute(c).type.kind in KEY_KINDS for c in key)
        assert not any(entity.attribute(c).nullable for c in entity.primary_key)
        assert all(a.type.kind in SUPPORTED_KINDS for a in entity.attributes)
    for rel in schema.relationships:
        child, parent = schema.entity(rel.from_entity), schema.entity(rel.to_entity)
        assert rel.to_attributes == parent.primary_key
        assert len(rel.from_attributes) == len(rel.to_attributes)
        for f, t in zip(rel.from_attributes, rel.to_attributes, strict=True):
            assert child.attribute(f).type == parent.attribute(t).type
        assert rel.cardinality == derive_cardinality(child, rel.from_attributes)
        assert rel.optional == any(child.attribute(c).nullable for c in rel.from_attributes)
        if rel.is_self_reference:
            assert rel.optional, "a required self reference leaves no first row"
    assert len({r.name for r in schema.relationships}) == len(schema.relationships)


@given(schemas())
def test_schemas_are_valid(schema: Schema) -> None:
    check_schema(schema)


@given(schemas())
def test_schema_dict_round_trips_and_is_deterministic(schema: Schema) -> None:
    data = schema.to_dict()
    assert Schema.from_dict(json.loads(json.dumps(data))) == schema
    assert schema.to_dict() == data


@given(schemas(2, 4, relationships=False))
def test_without_relationships(schema: Schema) -> None:
    assert schema.relationships == () and 2 <= len(schema.entities) <= 4


@given(schemas(self_references=False, composite_keys=False))
def test_switches_are_honoured(schema: Schema) -> None:
    assert not any(r.is_self_reference for r in schema.relationships)
    assert all(len(e.primary_key) == 1 for e in schema.entities)
    assert not schema.many_to_many()


@given(
    st.sets(st.sampled_from(sorted(SUPPORTED_KINDS)), min_size=1)
    .filter(lambda k: k & KEY_KINDS)
    .flatmap(lambda kinds: st.tuples(st.just(kinds), schemas(max_entities=3, kinds=kinds)))
)
def test_kinds_restrict_types(case) -> None:
    kinds, schema = case
    assert {a.type.kind for e in schema.entities for a in e.attributes} <= kinds


def test_every_feature_is_generated() -> None:
    """The generator reaches junctions, self references, one-to-one and composite keys (not just trivia)."""
    seen: set[str] = set()

    @settings(max_examples=80, database=None)
    @given(schemas(3, 6))
    def collect(schema: Schema) -> None:
        seen.update(
            name
            for name, present in (
                ("junction", bool(schema.many_to_many())),
                ("self", any(r.is_self_reference for r in schema.relationships)),
                ("one-to-one", any(str(r.cardinality) == "one-to-one" for r in schema.relationships)),
                ("composite", any(len(e.primary_key) > 1 for e in schema.entities)),
                ("unique", any(e.unique_keys for e in schema.entities)),
            )
            if present
        )

    collect()
    assert seen == {"junction", "self", "one-to-one", "composite", "unique"}


def check_value(type_: CanonicalType, value) -> None:
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        assert isinstance(value, int) and -(2 ** (type_.bits - 1)) <= value < 2 ** (type_.bits - 1)
    elif kind is TypeKind.DECIMAL:
        sign, digits, exponent = value.as_tuple()
        assert isinstance(value, decimal.Decimal) and exponent == -type_.scale
        assert len(digits) <= max(type_.precision, 1)
    elif kind is TypeKind.FLOAT:
        assert isinstance(value, float) and value == value
    elif kind in (TypeKind.STRING, TypeKind.BINARY):
        assert isinstance(value, str if kind is TypeKind.STRING else bytes) and len(value) >= 1
        assert type_.length is None or len(value) <= type_.length
        if type_.fixed:
            assert len(value) == type_.length
    elif kind is TypeKind.TIMESTAMP:
        assert isinstance(value, dt.datetime) and value.microsecond % 1000 == 0
        assert (value.tzinfo is not None) == bool(type_.with_timezone)
    elif kind is TypeKind.TIME:
        assert isinstance(value, dt.time) and value.microsecond % 1000 == 0
    else:
        expected = {TypeKind.BOOLEAN: bool, TypeKind.DATE: dt.date, TypeKind.UUID: uuid.UUID}[kind]
        assert isinstance(value, expected)


@given(schema_and_rows())
def test_rows_satisfy_the_schema(case) -> None:
    schema, rows = case
    assert set(rows) == {e.key for e in schema.entities}
    for entity in schema.entities:
        table = rows[entity.key]
        assert len(table) <= 8
        for row in table:
            assert list(row) == list(entity.attribute_names)
            for attribute in entity.attributes:
                value = row[attribute.name]
                if value is None:
                    assert attribute.nullable and attribute.name not in entity.primary_key
                else:
                    check_value(attribute.type, value)
        for key in (entity.primary_key, *entity.unique_keys):
            values = [key_of(row[c] for c in key) for row in table]
            assert len(set(values)) == len(values), f"{entity.key} key {key} repeats"
    for rel in schema.relationships:
        parents = {tuple(p[c] for c in rel.to_attributes) for p in rows[rel.to_entity]}
        for index, row in enumerate(rows[rel.from_entity]):
            ref = tuple(row[c] for c in rel.from_attributes)
            if all(v is None for v in ref):
                assert rel.optional
                continue
            assert ref in parents, f"{rel.name}: {ref} has no parent row"
            if rel.is_self_reference:
                earlier = {tuple(p[c] for c in rel.to_attributes) for p in rows[rel.to_entity][:index]}
                assert ref in earlier, "a self reference must point at an earlier row"


@given(schemas(relationships=False).flatmap(lambda s: st.tuples(st.just(s), rows_for(s, min_rows=3, max_rows=5))))
def test_row_counts_respect_bounds_without_foreign_keys(case) -> None:
    schema, rows = case
    # Without foreign keys only key collisions could cut a table short, and key domains are large.
    assert all(3 <= len(rows[e.key]) <= 5 for e in schema.entities)


@given(canonical_types().flatmap(lambda t: st.tuples(st.just(t), values_for(t))))
def test_values_fit_their_type(case) -> None:
    check_value(*case)


@given(identifiers())
def test_identifiers_are_safe(name: str) -> None:
    assert NAME.fullmatch(name) and name not in reserved_words() and "__" not in name


def test_reserved_words_cover_known_keywords() -> None:
    words = reserved_words()
    # one word per source: sqlglot's tokenizers, then each dialect's part of mappings/widening.toml
    assert {"select", "table", "number", "level", "rowid", "identity", "analyse", "dual", "pragma"} <= words


def _cyclic(optional: bool) -> Schema:
    int32 = CanonicalType(TypeKind.INTEGER, bits=32)
    a = Entity(
        "a", (Attribute("id", int32, nullable=False), Attribute("b_id", int32, nullable=optional)), primary_key=("id",)
    )
    b = Entity(
        "b", (Attribute("id", int32, nullable=False), Attribute("a_id", int32, nullable=False)), primary_key=("id",)
    )
    return Schema(
        (a, b),
        (
            Relationship("ab", "a", ("b_id",), "b", ("id",), optional=optional),
            Relationship("ba", "b", ("a_id",), "a", ("id",), optional=False),
        ),
    )


@given(rows_for(_cyclic(optional=True), min_rows=1, max_rows=4))
def test_rows_for_cuts_an_optional_cycle(rows) -> None:
    assert all(r["b_id"] is None for r in rows["a"])  # a comes first, so it cannot point at b yet
    assert {r["a_id"] for r in rows["b"]} <= {r["id"] for r in rows["a"]}


def test_rows_for_rejects_a_required_cycle() -> None:
    with pytest.raises(ValueError, match="cycle of required foreign keys"):
        rows_for(_cyclic(optional=False))


@given(schemas(max_entities=4).flatmap(lambda s: st.tuples(st.just(s), workloads(s))))
def test_workloads_are_accepted_by_the_loader(case) -> None:
    schema, workload = case
    mapping = {"version": 1, "access_patterns": [p.to_dict() for p in workload.access_patterns]}
    assert parse_workload(mapping, schema).access_patterns == workload.access_patterns
    for pattern in workload.access_patterns:
        assert pattern.rate > 0 and (pattern.range is None or pattern.range not in pattern.equality)
        if pattern.range is not None and pattern.order_by:
            assert pattern.order_by[0].attribute == pattern.range


@given(schemas(max_entities=4).flatmap(lambda s: st.tuples(st.just(s), workloads(s, statistics=True))))
def test_workload_statistics_are_accepted_by_the_loader(case) -> None:
    schema, workload = case
    stats = workload.statistics
    assert parse_statistics(statistics_to_dict(stats), schema) == stats
    view = StatsView(schema, stats)
    for rel in schema.relationships:
        fanout = view.fanout(rel)
        assert fanout.avg <= fanout.max
    for key, entity_stats in stats.entities.items():
        assert view.entity(key).rows == entity_stats.rows


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: schemas(min_entities=-1), "min_entities=-1"),
        (lambda: schemas(3, 2), "min_entities=3 > max_entities=2"),
        (lambda: schemas(max_entities="4"), "max_entities='4'"),
        (lambda: schemas(relationships=1), "relationships=1"),
        (lambda: schemas(kinds="integer"), "kinds='integer'"),
        (lambda: schemas(kinds=["integr"]), "'integr'"),
        (lambda: schemas(kinds=["json"]), "['json']"),
        (lambda: schemas(kinds=["boolean", "float"]), "no kind usable in a primary key"),
        (lambda: rows_for({"not": "a schema"}), "schema=dict"),
        (lambda: rows_for(Schema(()), min_rows=5, max_rows=1), "min_rows=5 > max_rows=1"),
        (lambda: values_for(CanonicalType(TypeKind.JSON)), "kind 'json'"),
        (lambda: workloads(Schema(())), "at least one entity"),
        (lambda: identifiers(max_size=0), "max_size=0"),
        (lambda: workloads(_cyclic(True), statistics="yes"), "statistics='yes'"),
    ],
)
def test_bad_arguments_are_named(call, argument) -> None:
    with pytest.raises(ValueError) as info:
        call()
    assert argument in str(info.value) and ";" in str(info.value)  # what is wrong; then how to fix it
