"""mappings/cassandra.toml is data checked at import: types the driver knows, reserved words, identifiers."""

from __future__ import annotations

import cassandra.cqltypes as cqltypes
import pytest
from cassandra.metadata import cql_keywords_reserved, maybe_escape_name
from hypothesis import given
from hypothesis import strategies as st

from translator.diagnostics import DiagnosticSink
from translator.errors import MappingError
from translator.targets.cassandra import mapping
from translator.targets.cassandra.cqltext import identifier as quote
from translator.targets.cassandra.mapping import cql_type, rules
from translator.targets.cassandra.names import table_name
from translator.types import CanonicalType, TypeKind


def test_every_cql_type_is_known_to_the_driver():
    for kind in TypeKind:
        element = CanonicalType.of("integer", bits=32) if kind is TypeKind.ARRAY else None
        text = cql_type(CanonicalType(kind, element=element))
        for word in text.replace("<", " ").replace(">", " ").split():
            assert word in cqltypes._cqltypes, (kind, text)


def test_types_by_width_and_timeuuid():
    assert cql_type(CanonicalType.of("integer", bits=16)) == "smallint"
    assert cql_type(CanonicalType.of("integer")) == "varint"
    assert cql_type(CanonicalType.of("float", bits=32)) == "float"
    assert cql_type(CanonicalType.of("uuid"), default="uuid_generate_v1()") == "timeuuid"
    assert cql_type(CanonicalType.of("uuid"), default="gen_random_uuid()") == "uuid"
    array = CanonicalType.of("array", element=CanonicalType.of("string"))
    assert cql_type(array) == "list<text>" and cql_type(array, in_key=True) == "frozen<list<text>>"


def test_reserved_words_cover_the_drivers():
    assert cql_keywords_reserved <= rules().reserved


@given(st.text(alphabet="abcXYZ_09 \"-", min_size=1, max_size=12) | st.sampled_from(sorted(cql_keywords_reserved)))
def test_quoting_agrees_with_the_driver(name):
    assert quote(name) == maybe_escape_name(name)


@given(st.text(min_size=1, max_size=120))
def test_table_names_are_short_plain_identifiers(raw):
    name = table_name(raw, DiagnosticSink(), "t")
    assert len(name) <= 48 and quote(name) == name or name in rules().reserved


@pytest.mark.parametrize("change, message", [
    (lambda d: d["types"].update(blob="blob"), "unknown canonical kinds ['blob']"),
    (lambda d: d["types"].pop("uuid"), "lacks a CQL type for canonical kinds ['uuid']"),
    (lambda d: d["thresholds"].update(max_partition_rows=-1), "max_partition_rows = -1 must be a positive number"),
    (lambda d: d["time_buckets"].update(year=365.0), "[time_buckets] year unknown; bucket names are month"),
])
def test_bad_mapping_file_is_a_one_line_error(monkeypatch, change, message):
    import copy

    data = copy.deepcopy(mapping.load_mapping("cassandra.toml"))
    change(data)
    monkeypatch.setattr(mapping, "load_mapping", lambda _name: data)
    mapping.rules.cache_clear()
    try:
        with pytest.raises(MappingError, match="cassandra.toml: .*" + message.replace("[", r"\[").replace("]", r"\]")):
            mapping.rules()
    finally:
        monkeypatch.undo()
        mapping.rules.cache_clear()
