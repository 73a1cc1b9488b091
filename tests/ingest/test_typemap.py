"""Type rules are data (mappings/types.toml), checked at load; TypeMapper works on sqlglot types and on type text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlglot import exp

from translator.errors import MappingError
from translator.typemap import DEFAULT_MAPPING_FILE, TypeMapper
from translator.types import CanonicalType, TypeKind


@pytest.fixture(scope="module")
def mapper():
    return TypeMapper.load()


@pytest.mark.parametrize(
    "text,dialect,expected",
    [
        ("character varying(20)", "postgres", CanonicalType(TypeKind.STRING, length=20)),
        ("int(11) unsigned", "mysql", CanonicalType(TypeKind.INTEGER, bits=64)),
        ("tinyint", "mysql", CanonicalType(TypeKind.INTEGER, bits=8)),
        ("smallint", "postgres", CanonicalType(TypeKind.INTEGER, bits=16)),
        ("bigint", "tsql", CanonicalType(TypeKind.INTEGER, bits=64)),
        ("numeric(10,2)", "postgres", CanonicalType(TypeKind.DECIMAL, precision=10, scale=2)),
        ("NUMBER(6)", "oracle", CanonicalType(TypeKind.DECIMAL, precision=6, scale=0)),
        ("char(3)", "postgres", CanonicalType(TypeKind.STRING, length=3, fixed=True)),
        ("varbinary(16)", "mysql", CanonicalType(TypeKind.BINARY, length=16)),
        ("bytea", "postgres", CanonicalType(TypeKind.BINARY)),
        ("boolean", "postgres", CanonicalType(TypeKind.BOOLEAN)),
        ("bit", "tsql", CanonicalType(TypeKind.BOOLEAN)),
        ("bit(1)", "mysql", CanonicalType(TypeKind.BOOLEAN)),
        ("date", "postgres", CanonicalType(TypeKind.DATE)),
        ("DATE", "oracle", CanonicalType(TypeKind.TIMESTAMP, with_timezone=False)),
        ("time", "postgres", CanonicalType(TypeKind.TIME, with_timezone=False)),
        ("timestamp with time zone", "postgres", CanonicalType(TypeKind.TIMESTAMP, with_timezone=True)),
        ("datetime2(7)", "tsql", CanonicalType(TypeKind.TIMESTAMP, with_timezone=False)),
        ("interval", "postgres", CanonicalType(TypeKind.INTERVAL)),
        ("uniqueidentifier", "tsql", CanonicalType(TypeKind.UUID)),
        ("jsonb", "postgres", CanonicalType(TypeKind.JSON)),
        ("integer[]", "postgres", CanonicalType(TypeKind.ARRAY, element=CanonicalType(TypeKind.INTEGER, bits=32))),
        ("enum('a','b')", "mysql", CanonicalType(TypeKind.ENUM, values=("a", "b"))),
        ("geometry", "postgres", CanonicalType(TypeKind.SPATIAL, name="geometry")),
        ("double precision", "postgres", CanonicalType(TypeKind.FLOAT, bits=64)),
    ],
)
def test_type_text(mapper, text, dialect, expected):
    canonical, warning = mapper.map(text, dialect)
    assert warning is None
    assert canonical == expected
    assert canonical.source == text


def test_unknown_type_is_other_with_text_and_warning(mapper):
    canonical, warning = mapper.map("cube", "postgres")
    assert (canonical.kind, canonical.name, canonical.source) == (TypeKind.OTHER, "cube", "cube")
    assert "cube" in warning


def test_serial_is_identity(mapper):
    assert mapper.map_full("serial", "postgres").identity
    assert not mapper.map_full("integer", "postgres").identity


def test_every_default_key_is_a_sqlglot_type_and_loads():
    rules = TypeMapper.load(base=DEFAULT_MAPPING_FILE)
    assert rules.map("INT")[0].bits == 32


def test_shipped_rules_through_shared_reader_equal_a_fresh_read(tmp_path):
    # The default mapper parses types.toml through translator.mapdata; a copy elsewhere goes through the
    # file reader used for --types overrides. Both must check into the same rules.
    copy = tmp_path / "types.toml"
    copy.write_bytes(DEFAULT_MAPPING_FILE.read_bytes())
    shipped, fresh = TypeMapper.load(), TypeMapper.load(base=copy)
    assert shipped is not fresh

    def strip(m):
        return {
            s: {k: (r.kind, dict(r.params), r.identity) for k, r in rules.items()} for s, rules in m._sections.items()
        }

    assert strip(shipped) == strip(fresh) and len(strip(shipped)["default"]) > 10


@pytest.mark.parametrize(
    "body,message",
    [
        ('[default]\nINT = { kind = "integr" }\n', "unknown canonical kind 'integr'"),
        ('[default]\nNOT_A_TYPE = { kind = "integer" }\n', "'NOT_A_TYPE' is not a sqlglot DataType.Type name"),
        ('[postgres]\nfoo = { kind = "string", lenght = 3 }\n', "unknown field(s) ['lenght']"),
        ('[postgres]\nfoo = { kind = "integer", bits = "64" }\n', "'bits' must be a non-negative integer"),
        ('[postgres]\nfoo = "string"\n', "must be a table"),
        ("[postgres\n", "not valid TOML"),
    ],
)
def test_bad_rules_name_file_and_key(tmp_path, body, message):
    path = tmp_path / "types.toml"
    path.write_text(body)
    with pytest.raises(MappingError) as info:
        TypeMapper.load(path)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_override_file(tmp_path):
    with pytest.raises(MappingError, match="does not exist"):
        TypeMapper.load(tmp_path / "nope.toml")


def test_override_is_merged_over_the_defaults(tmp_path):
    path = tmp_path / "types.toml"
    path.write_text(
        '[default]\nTEXT = { kind = "string", length = 65535 }\n'
        '[postgres]\ncube = { kind = "spatial", name = "cube" }\n'
    )
    mapper = TypeMapper.load(path)
    assert mapper.map("text", "postgres")[0].length == 65535
    assert mapper.map("cube", "postgres")[0] == CanonicalType(TypeKind.SPATIAL, name="cube")
    assert mapper.map("int", "postgres")[0].bits == 32  # untouched rules stay


@given(st.integers(1, 10_000), st.sampled_from(["postgres", "mysql", "tsql", "oracle", "sqlite"]))
def test_varchar_length_survives_any_dialect(length, dialect):
    """Invariant: a VARCHAR(n) rendered by sqlglot in any dialect maps back to string(n)."""
    text = exp.DataType.build(f"VARCHAR({length})").sql(dialect=dialect)
    canonical, warning = TypeMapper.load().map(text, dialect)
    assert warning is None and canonical.kind is TypeKind.STRING and canonical.length == length


# sqlglot writes DECIMAL as REAL for SQLite (its numeric affinity), so SQLite is not in this invariant.
@given(
    st.integers(1, 38).flatmap(lambda p: st.tuples(st.just(p), st.integers(0, p))),
    st.sampled_from(["postgres", "mysql", "tsql", "oracle"]),
)
def test_decimal_precision_and_scale_survive_any_dialect(precision_scale, dialect):
    precision, scale = precision_scale
    text = exp.DataType.build(f"DECIMAL({precision}, {scale})").sql(dialect=dialect)
    canonical, _ = TypeMapper.load().map(text, dialect)
    assert (canonical.kind, canonical.precision, canonical.scale) == (TypeKind.DECIMAL, precision, scale)
