"""Value codecs: a relational value <-> the BSON value stored for it, chosen by name from mappings/mongodb.toml.

Each codec is exact in both directions except `datetime_ms`: BSON dates hold milliseconds, so finer
digits are cut when encoding (the design reports a diagnostic for every timestamp column).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bson.binary import Binary, UuidRepresentation
from bson.decimal128 import Decimal128
from bson.int64 import Int64

from translator.errors import MappingError
from translator.types import CanonicalType

__all__ = ["Codec", "CODECS", "encode_value", "decode_value", "check_codecs"]

_UTC = dt.UTC


@dataclass(frozen=True, slots=True)
class Codec:
    encode: Callable[[Any, CanonicalType, Any], Any]
    decode: Callable[[Any, CanonicalType, Any], Any]


def _to_utc_naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(_UTC).replace(tzinfo=None) if value.tzinfo else value


def _encode_datetime(value: dt.datetime, type_: CanonicalType, ctx: Any) -> dt.datetime:
    value = _to_utc_naive(value)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _decode_datetime(value: dt.datetime, type_: CanonicalType, ctx: Any) -> dt.datetime:
    value = _to_utc_naive(value)
    return value.replace(tzinfo=_UTC) if type_.with_timezone else value


def _encode_array(value: Any, type_: CanonicalType, ctx: Any) -> list[Any]:
    assert type_.element is not None
    return [encode_value(v, type_.element, ctx) for v in value]


def _decode_array(value: Any, type_: CanonicalType, ctx: Any) -> list[Any]:
    assert type_.element is not None
    return [decode_value(v, type_.element, ctx) for v in value]


def _decode_uuid_binary(value: Any, type_: CanonicalType, ctx: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    return Binary(bytes(value), 4).as_uuid(UuidRepresentation.STANDARD)


def _same(value: Any, type_: CanonicalType, ctx: Any) -> Any:
    return value


CODECS: dict[str, Codec] = {
    "int32": Codec(lambda v, t, c: int(v), lambda v, t, c: int(v)),
    "int64": Codec(lambda v, t, c: Int64(v), lambda v, t, c: int(v)),
    "decimal128": Codec(
        lambda v, t, c: Decimal128(decimal.Decimal(v)),
        lambda v, t, c: v.to_decimal() if isinstance(v, Decimal128) else decimal.Decimal(v),
    ),
    "decimal_string": Codec(lambda v, t, c: str(decimal.Decimal(v)), lambda v, t, c: decimal.Decimal(v)),
    "double": Codec(lambda v, t, c: float(v), lambda v, t, c: float(v)),
    "string": Codec(lambda v, t, c: str(v), lambda v, t, c: str(v)),
    "binary": Codec(lambda v, t, c: bytes(v), lambda v, t, c: bytes(v)),
    "bool": Codec(lambda v, t, c: bool(v), lambda v, t, c: bool(v)),
    "date_midnight": Codec(
        lambda v, t, c: dt.datetime(v.year, v.month, v.day), lambda v, t, c: _to_utc_naive(v).date()
    ),
    "time_iso": Codec(lambda v, t, c: v.isoformat(), lambda v, t, c: dt.time.fromisoformat(v)),
    "datetime_ms": Codec(_encode_datetime, _decode_datetime),
    "interval_micros": Codec(
        lambda v, t, c: Int64(v // dt.timedelta(microseconds=1)), lambda v, t, c: dt.timedelta(microseconds=int(v))
    ),
    "uuid_binary": Codec(
        lambda v, t, c: Binary.from_uuid(v if isinstance(v, uuid.UUID) else uuid.UUID(str(v))), _decode_uuid_binary
    ),
    "uuid_string": Codec(lambda v, t, c: str(v), lambda v, t, c: uuid.UUID(str(v))),
    "json": Codec(_same, _same),
    "array": Codec(_encode_array, _decode_array),
}


def check_codecs(codec_names: list[str]) -> None:
    """Every codec mappings/mongodb.toml names must exist here; a typo there is a MappingError at import."""
    unknown = sorted(set(codec_names) - set(CODECS))
    if unknown:
        raise MappingError(f"mappings/mongodb.toml names unknown codecs {unknown}; known: {sorted(CODECS)}")


def encode_value(value: Any, type_: CanonicalType, ctx: Any) -> Any:
    """`ctx` is (MongoMapping, uuid_representation): the rule for nested types comes from the same mapping."""
    if value is None:
        return None
    mapping, uuid_rep = ctx
    return CODECS[mapping.rule_for(type_, uuid_rep).codec].encode(value, type_, ctx)


def decode_value(value: Any, type_: CanonicalType, ctx: Any) -> Any:
    if value is None:
        return None
    mapping, uuid_rep = ctx
    return CODECS[mapping.rule_for(type_, uuid_rep).codec].decode(value, type_, ctx)
