"""Names, canonical types and Python values that every round-trip dialect and target holds exactly."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.types import CanonicalType, TypeKind

SUPPORTED_KINDS: frozenset[TypeKind] = frozenset(
    {
        TypeKind.INTEGER,
        TypeKind.DECIMAL,
        TypeKind.FLOAT,
        TypeKind.STRING,
        TypeKind.BINARY,
        TypeKind.BOOLEAN,
        TypeKind.DATE,
        TypeKind.TIME,
        TypeKind.TIMESTAMP,
        TypeKind.UUID,
    }
)
#: Kinds allowed in primary, unique and foreign keys: every engine can index them and equality is exact.
KEY_KINDS: frozenset[TypeKind] = frozenset(
    {
        TypeKind.INTEGER,
        TypeKind.DECIMAL,
        TypeKind.STRING,
        TypeKind.DATE,
        TypeKind.TIMESTAMP,
        TypeKind.UUID,
    }
)
#: Dialects whose reserved words generated names avoid.
ROUND_TRIP_DIALECTS: tuple[str, ...] = ("postgres", "mysql", "sqlite", "tsql", "oracle")

_MAX_NAME = 16
_DEFAULT_NAME = 10
_KEY_STRING_MAX = 64
_TS_MIN, _TS_MAX = dt.datetime(1970, 1, 2), dt.datetime(2038, 1, 18)
_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
# Printable BMP text without surrogates or control characters (PostgreSQL rejects NUL; XML-ish
# targets choke on controls); supplementary planes are left out because MySQL's utf8mb4_general_ci
# compares them all equal.
_TEXT = st.characters(min_codepoint=0x20, max_codepoint=0xFFFD, exclude_categories=("Cs", "Cc", "Co", "Cn"))


@cache
def reserved_words() -> frozenset[str]:
    """Lowercase words no generated identifier may be: sqlglot keywords of every round-trip dialect plus data."""
    from sqlglot.dialects.dialect import Dialect

    words: set[str] = set()
    for dialect in ROUND_TRIP_DIALECTS:
        words.update(k.lower() for k in Dialect.get_or_raise(dialect).tokenizer_class.KEYWORDS if " " not in k)
    try:
        extra = load_mapping("widening.toml")["identifiers"]["reserved"]
    except KeyError as exc:
        raise MappingError(f"mappings/widening.toml: missing {exc} (want [identifiers] reserved = [...])") from None
    if not isinstance(extra, list) or not all(isinstance(w, str) for w in extra):
        raise MappingError("mappings/widening.toml: [identifiers] reserved must be a list of strings")
    return frozenset(words | {w.lower() for w in extra})


def identifiers(max_size: int = _DEFAULT_NAME) -> st.SearchStrategy[str]:
    """Identifier-safe, non-reserved lowercase names of 1..`max_size` characters (see the module docstring)."""
    _check_count("max_size", max_size, 1, _MAX_NAME)
    return _identifiers(max_size)


@cache
def _identifiers(max_size: int) -> st.SearchStrategy[str]:
    head = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    tail = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", max_size=max_size - 1)
    return st.builds(lambda h, t: _safe_name(h + t, max_size), head, tail)


def _safe_name(raw: str, max_size: int) -> str:
    """Repair instead of filtering: short names are often keywords ("as", "in"), and rejected draws are slow."""
    name = re.sub("_+", "_", raw).rstrip("_")  # `__` stays free for constraint names
    reserved = reserved_words()
    if name not in reserved:
        return name
    stem = name[: max_size - 1]
    return next(stem + c for c in "xyzqjkvw" if stem + c not in reserved)


def _check_kinds(kinds: Iterable[str | TypeKind] | None) -> frozenset[TypeKind]:
    if kinds is None:
        return SUPPORTED_KINDS
    if isinstance(kinds, (str, TypeKind)):
        raise ValueError(f"kinds={kinds!r} must be a collection of kinds, not one; pass kinds=[{str(kinds)!r}]")
    chosen: set[TypeKind] = set()
    for kind in kinds:
        try:
            chosen.add(TypeKind(kind))
        except ValueError:
            raise ValueError(
                f"kinds contains {kind!r}, which is not a canonical kind; "
                f"choose from {sorted(map(str, SUPPORTED_KINDS))}"
            ) from None
    unsupported = chosen - SUPPORTED_KINDS
    if unsupported:
        raise ValueError(
            f"kinds contains {sorted(map(str, unsupported))}, which schemas() cannot generate; "
            f"choose from {sorted(map(str, SUPPORTED_KINDS))}"
        )
    if not chosen & KEY_KINDS:
        raise ValueError(
            f"kinds={sorted(map(str, chosen))} has no kind usable in a primary key; "
            f"add one of {sorted(map(str, KEY_KINDS))}"
        )
    return frozenset(chosen)


def canonical_types(
    kinds: Iterable[str | TypeKind] | None = None, *, key: bool = False
) -> st.SearchStrategy[CanonicalType]:
    """Canonical types of the given kinds; `key=True` keeps to types fit for primary/unique/foreign keys."""
    return _types(_check_kinds(kinds), key)


@cache
def _types(allowed: frozenset[TypeKind], key: bool) -> st.SearchStrategy[CanonicalType]:
    if key:
        allowed = allowed & KEY_KINDS
    max_length = _KEY_STRING_MAX if key else 255
    by_kind: dict[TypeKind, st.SearchStrategy[CanonicalType]] = {
        TypeKind.INTEGER: st.sampled_from((16, 32, 64)).map(lambda b: CanonicalType(TypeKind.INTEGER, bits=b)),
        TypeKind.DECIMAL: st.integers(1, 18 if key else 38).flatmap(
            lambda p: st.integers(0, min(p, 30)).map(lambda s: CanonicalType(TypeKind.DECIMAL, precision=p, scale=s))
        ),
        TypeKind.FLOAT: st.sampled_from((32, 64)).map(lambda b: CanonicalType(TypeKind.FLOAT, bits=b)),
        TypeKind.STRING: st.one_of(
            st.integers(1, max_length).map(lambda n: CanonicalType(TypeKind.STRING, length=n)),
            *(
                ()
                if key
                else (
                    st.integers(1, 10).map(lambda n: CanonicalType(TypeKind.STRING, length=n, fixed=True)),
                    st.just(CanonicalType(TypeKind.STRING)),
                )
            ),
        ),
        TypeKind.BINARY: st.one_of(
            st.integers(1, 255).map(lambda n: CanonicalType(TypeKind.BINARY, length=n)),
            st.just(CanonicalType(TypeKind.BINARY)),
        ),
        TypeKind.BOOLEAN: st.just(CanonicalType(TypeKind.BOOLEAN)),
        TypeKind.DATE: st.just(CanonicalType(TypeKind.DATE)),
        TypeKind.TIME: st.just(CanonicalType(TypeKind.TIME, with_timezone=False)),
        TypeKind.TIMESTAMP: st.booleans().map(lambda tz: CanonicalType(TypeKind.TIMESTAMP, with_timezone=tz)),
        TypeKind.UUID: st.just(CanonicalType(TypeKind.UUID)),
    }
    return st.one_of(*(by_kind[k] for k in sorted(allowed)))


def _key_capable(type_: CanonicalType) -> bool:
    if type_.kind is TypeKind.STRING:
        return type_.length is not None and type_.length <= _KEY_STRING_MAX and not type_.fixed
    return type_.kind in KEY_KINDS


def _millis(value: dt.datetime | dt.time) -> Any:
    return value.replace(microsecond=value.microsecond // 1000 * 1000, fold=0)


def values_for(type_: CanonicalType, *, key: bool = False) -> st.SearchStrategy[Any]:
    """Python values of `type_` that every round-trip dialect and target stores exactly (never None).

    `key=True` draws strings from a collation-proof ASCII alphabet, as key columns need.
    """
    if not isinstance(type_, CanonicalType):
        raise ValueError(f"values_for: type_={type_!r} is invalid; pass a translator.types.CanonicalType")
    return _values(type_.with_source(""), key)


@cache  # building and validating strategies dominates generation time otherwise
def _values(type_: CanonicalType, key: bool) -> st.SearchStrategy[Any]:
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        bits = type_.bits or 64
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if kind is TypeKind.DECIMAL:
        precision = type_.precision or 38
        scale = type_.scale or 0
        bound = 10**precision - 1
        # From text, because Decimal arithmetic (scaleb, quantize) rounds to the context's 28 digits.
        return st.integers(-bound, bound).map(lambda unscaled: decimal.Decimal(f"{unscaled}E-{scale}"))
    if kind is TypeKind.FLOAT:
        return st.floats(allow_nan=False, allow_infinity=False, width=32 if type_.bits == 32 else 64)
    if kind is TypeKind.STRING:
        length = min(type_.length or 24, 24)  # longer values add entropy, not coverage
        if key:
            return st.text(_KEY_ALPHABET, min_size=1, max_size=length)
        text = st.text(_TEXT, min_size=length if type_.fixed else 1, max_size=length)
        # CHAR pads with spaces and MySQL strips them on read: keep fixed values space-free at the end.
        return text.filter(lambda s: not s.endswith(" ")) if type_.fixed else text
    if kind is TypeKind.BINARY:
        return st.binary(min_size=1, max_size=min(type_.length or 24, 24))
    if kind is TypeKind.BOOLEAN:
        return st.booleans()
    if kind is TypeKind.DATE:
        return st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))
    if kind is TypeKind.TIME:
        return st.times().map(_millis)
    if kind is TypeKind.TIMESTAMP:
        naive = st.datetimes(_TS_MIN, _TS_MAX).map(_millis)
        return naive.map(lambda v: v.replace(tzinfo=dt.UTC)) if type_.with_timezone else naive
    if kind is TypeKind.UUID:
        return st.uuids()
    raise ValueError(
        f"values_for: type {type_} (kind {str(kind)!r}) is not supported; "
        f"supported kinds are {sorted(map(str, SUPPORTED_KINDS))}"
    )


def _check_count(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}={value!r} is invalid; pass an int between {low} and {high}")


def _check_flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name}={value!r} is invalid; pass True or False")


def key_of(values: Iterable[Any]) -> tuple[Any, ...]:
    """How the strictest engine compares a key: strings case-insensitively without trailing spaces, NULL = NULL."""
    return tuple(v.casefold().rstrip(" ") if isinstance(v, str) else v for v in values)
