"""Rows <-> items and the key encodings: properties over generated schemas, rows and values."""

from __future__ import annotations

import datetime as dt
import decimal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.dynamodb.schema_builders import in_dynamodb_range
from translator.strategies import rows_for, schemas, workloads
from translator.targets.dynamodb import TARGET, items_to_rows, parse_key, rows_to_items
from translator.targets.dynamodb.codecs import from_attribute_value
from translator.targets.dynamodb.items import (
    ItemError,
    decode_key_value,
    encode_key_value,
    normalize_row,
)
from translator.targets.dynamodb.parts import part_type
from translator.types import CanonicalType

T = CanonicalType.of
_SER, _DE = TypeSerializer(), TypeDeserializer()


@given(st.integers(-(10**19), 10**19), st.integers(-(10**19), 10**19))
def test_integer_encoding_preserves_order_including_negatives(a, b):
    type_ = T("integer", bits=64)
    ea, eb = encode_key_value(type_, a), encode_key_value(type_, b)
    assert (ea < eb) == (a < b) and (ea == eb) == (a == b)
    assert decode_key_value(type_, ea) == a


@given(
    st.decimals(min_value=-99999999, max_value=99999999, places=2, allow_nan=False),
    st.decimals(min_value=-99999999, max_value=99999999, places=2, allow_nan=False),
)
def test_decimal_encoding_preserves_order(a, b):
    type_ = T("decimal", precision=10, scale=2)
    ea, eb = encode_key_value(type_, a), encode_key_value(type_, b)
    assert (ea < eb) == (a < b)
    assert decode_key_value(type_, ea) == a


@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_float_encoding_preserves_order(a, b):
    type_ = T("float", bits=64)
    ea, eb = encode_key_value(type_, a), encode_key_value(type_, b)
    if a < b:
        assert ea < eb
    assert decode_key_value(type_, ea) == a


@given(st.datetimes(timezones=st.just(dt.UTC)), st.datetimes(timezones=st.just(dt.UTC)))
def test_timestamp_encoding_is_iso_and_sorts(a, b):
    type_ = T("timestamp", with_timezone=True)
    ea, eb = encode_key_value(type_, a), encode_key_value(type_, b)
    assert (ea < eb) == (a < b)
    assert decode_key_value(type_, ea) == a and ea.endswith("Z") and "T" in ea


@given(st.text(min_size=1))
def test_text_with_separator_round_trips(text):
    type_ = T("string", length=500)
    encoded = encode_key_value(type_, text)
    assert "#" not in encoded and decode_key_value(type_, encoded) == text


def test_integer_too_wide_for_a_key_is_a_domain_error():
    try:
        encode_key_value(T("integer"), 10**25)
    except ItemError as exc:
        assert "digits" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ItemError")


_in_dynamodb_range = in_dynamodb_range


@st.composite
def _case(draw):
    schema = draw(schemas(max_entities=4))
    workload = draw(workloads(schema))
    rows = draw(rows_for(schema, max_rows=5))
    return schema, workload, rows


@given(_case())
def test_items_round_trip_to_rows_and_keys_match_templates(case):
    schema, workload, rows = case
    assume(_in_dynamodb_range(rows))
    design = TARGET.design(schema, workload)
    per_table = rows_to_items(schema, design, rows)
    # Through DynamoDB's wire format, as an endpoint would store them.
    stored = {
        t: [{k: _DE.deserialize(_SER.serialize(v)) for k, v in item.items()} for item in items]
        for t, items in per_table.items()
    }
    back: dict[str, list] = {}
    for table, items in stored.items():
        for key, entity_rows in items_to_rows(schema, design, items, table).items():
            back.setdefault(key, []).extend(entity_rows)
    for entity in schema.entities:
        want = [normalize_row(entity, r) for r in rows.get(entity.key, [])]
        assert back.get(entity.key, []) == want
    type_attr = design.tables[0].entity_type_attribute
    for items in stored.values():
        for item in items:
            mapping = next(m for m in design.entities if m.type_value == item[type_attr])
            entity = schema.entity(mapping.entity)
            row = items_to_rows(schema, design, [item])[entity.key][0]
            # A copied part (a parent's column) is stored under its own item attribute.
            for spec in mapping.copies:
                row[spec.part] = from_attribute_value(part_type(schema, mapping, spec.part), item.get(spec.part))
            for path in mapping.paths:
                for template in (path.partition, path.sort):
                    if template.attribute not in item:  # sparse: a NULL partition part
                        assert any(row[c] is None for c in path.partition.parts)
                        continue
                    parsed = parse_key(schema, mapping, template, item[template.attribute])
                    assert parsed is not None, (template, item[template.attribute])
                    for column, value in parsed.items():
                        expected = row[column]
                        if isinstance(expected, decimal.Decimal):
                            assert decimal.Decimal(value) == expected
                        else:
                            assert value == expected, (column, value, expected)


def test_every_encoding_the_mapping_may_name_has_a_codec():
    from translator.targets.dynamodb.items import KEY_CODECS
    from translator.targets.dynamodb.mapping import KEY_ENCODINGS, rules

    assert set(KEY_CODECS) == KEY_ENCODINGS
    assert set(rules().key_encodings.values()) <= set(KEY_CODECS)
