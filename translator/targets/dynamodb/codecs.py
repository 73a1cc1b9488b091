"""Values: column values as DynamoDB attribute values, and the order-preserving encodings used inside composite
key strings (string order equals value order): integers zero-padded to 20 digits (negatives as `-` plus
the 10^20 complement, so they sort first and in order), decimals the same at their declared scale,
timestamps ISO-8601 in UTC with microseconds, floats as flipped IEEE-754 bits, text with `%`/`#` escaped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import struct
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from translator.errors import PolyschemaError
from translator.ir import Entity
from translator.targets.dynamodb.mapping import rules
from translator.types import CanonicalType, TypeKind

__all__ = [
    "ItemError",
    "KEY_CODECS",
    "decode_key_value",
    "encode_key_value",
    "from_attribute_value",
    "iso",
    "normalize_row",
    "normalize_value",
    "to_attribute_value",
]

_N_MIN, _N_MAX = decimal.Decimal("1E-130"), decimal.Decimal("1E126")  # DynamoDB's number range
_MASK64 = (1 << 64) - 1
_SIGN64 = 1 << 63


class ItemError(PolyschemaError):
    """A value cannot become (part of) a DynamoDB item: out of range, or not of its column's type."""


#: Decimal arithmetic in the default context rounds to 28 digits; keys carry up to 38 (and more in SQL).
_EXACT = decimal.Context(prec=1000)


def _scale(type_: CanonicalType) -> tuple[int, int]:
    r = rules()
    scale = type_.scale if type_.scale is not None else r.decimal_scale
    precision = max(type_.precision or r.decimal_precision, scale + 1)
    return precision, scale


def _iso(type_: CanonicalType, value: Any) -> str:
    if type_.kind is TypeKind.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            value = dt.date.fromisoformat(str(value))
        return value.isoformat()
    if type_.kind is TypeKind.TIME:
        if not isinstance(value, dt.time):
            value = dt.time.fromisoformat(str(value))
        return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    zone = ""
    if value.tzinfo is not None:
        value, zone = value.astimezone(dt.UTC), "Z"
    # Formatted by hand: strftime("%Y") does not zero-pad years before 1000, which would break the order.
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:"
        f"{value.second:02d}.{value.microsecond:06d}{zone}"
    )


def _from_iso(type_: CanonicalType, text: str) -> Any:
    if type_.kind is TypeKind.DATE:
        return dt.date.fromisoformat(text)
    if type_.kind is TypeKind.TIME:
        return dt.time.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def _encode_int(type_: CanonicalType, value: Any) -> str:
    width = rules().integer_width
    number = int(value)
    if abs(number) >= 10**width:
        raise ItemError(f"integer {number} has more than {width} digits; it cannot be a key component")
    return f"{number:0{width}d}" if number >= 0 else "-" + f"{10**width + number:0{width}d}"


def _decode_int(type_: CanonicalType, text: str) -> int:
    width = rules().integer_width
    return int(text[1:]) - 10**width if text.startswith("-") else int(text)


def _encode_decimal(type_: CanonicalType, value: Any) -> str:
    precision, scale = _scale(type_)
    exact = decimal.Decimal(value)
    scaled = exact.scaleb(scale, context=_EXACT)
    if scaled != scaled.to_integral_value():
        raise ItemError(
            f"decimal {value} has more than {scale} fractional digits; it cannot be encoded at scale {scale}"
        )
    number = int(scaled)
    if abs(number) >= 10**precision:
        raise ItemError(f"decimal {value} exceeds precision {precision}")
    digits = f"{number:0{precision}d}" if number >= 0 else f"{10**precision + number:0{precision}d}"
    text = digits[: precision - scale] + ("." + digits[precision - scale :] if scale else "")
    return text if number >= 0 else "-" + text


def _decode_decimal(type_: CanonicalType, text: str) -> decimal.Decimal:
    precision, scale = _scale(type_)
    negative = text.startswith("-")
    number = int(text.lstrip("-").replace(".", ""))
    if negative:
        number -= 10**precision
    return decimal.Decimal(number).scaleb(-scale, context=_EXACT)


def _encode_float(type_: CanonicalType, value: Any) -> str:
    # -0.0 == 0.0 in SQL, so both must give the same key string.
    bits = struct.unpack(">Q", struct.pack(">d", float(value) + 0.0))[0]
    bits = (~bits & _MASK64) if bits & _SIGN64 else bits | _SIGN64
    return f"{bits:016x}"


def _decode_float(type_: CanonicalType, text: str) -> float:
    bits = int(text, 16)
    bits = bits & ~_SIGN64 if bits & _SIGN64 else ~bits & _MASK64
    return struct.unpack(">d", struct.pack(">Q", bits))[0]


def _encode_text(type_: CanonicalType, value: Any) -> str:
    return str(value).replace("%", "%25").replace(rules().naming["separator"], "%23")


def _decode_text(type_: CanonicalType, text: str) -> Any:
    value = text.replace("%23", rules().naming["separator"]).replace("%25", "%")
    return uuid.UUID(value) if type_.kind is TypeKind.UUID else value


#: Encoding name (the values of [key_encodings] in mappings/dynamodb.toml) -> (encode, decode).
KEY_CODECS: Mapping[str, tuple[Callable[[CanonicalType, Any], str], Callable[[CanonicalType, str], Any]]] = {
    "int": (_encode_int, _decode_int),
    "decimal": (_encode_decimal, _decode_decimal),
    "float": (_encode_float, _decode_float),
    "iso": (_iso, _from_iso),
    "bool": (lambda type_, value: "1" if value else "0", lambda type_, text: text == "1"),
    "hex": (lambda type_, value: bytes(value).hex(), lambda type_, text: bytes.fromhex(text)),
    "text": (_encode_text, _decode_text),
}


def encode_key_value(type_: CanonicalType, value: Any) -> str:
    """`value` as a key-string component whose string order is the value order."""
    encoding = rules().key_encodings.get(type_.kind)
    if encoding is None:
        raise ItemError(
            f"a {type_} value cannot be part of a key (no order-preserving encoding in mappings/dynamodb.toml)"
        )
    return KEY_CODECS[encoding][0](type_, value)


def decode_key_value(type_: CanonicalType, text: str) -> Any:
    """Inverse of `encode_key_value`."""
    # A kind without an encoding never reaches a key (encode refuses it); reading one back as text is harmless.
    encoding = rules().key_encodings.get(type_.kind, "text")
    return KEY_CODECS[encoding][1](type_, text)


def normalize_value(type_: CanonicalType, value: Any) -> Any:
    """The canonical Python value of a column (drivers and files differ: str UUIDs, JSON text, ...)."""
    if value is None:
        return None
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        return int(value)
    if kind is TypeKind.DECIMAL:
        return decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value)
    if kind is TypeKind.FLOAT:
        return float(value)
    if kind is TypeKind.BOOLEAN:
        return bool(value)
    if kind is TypeKind.UUID:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    if kind in (TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP):
        return _from_iso(type_, _iso(type_, value))
    if kind is TypeKind.BINARY:
        return bytes(value)
    if kind is TypeKind.JSON:
        return json.loads(value) if isinstance(value, (str, bytes)) else value
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        if isinstance(value, str):  # drivers without array types (SQLite, MySQL) hand back JSON text
            value = json.loads(value)
        return [normalize_value(type_.element, v) for v in value]
    return str(value) if not isinstance(value, str) else value


def to_attribute_value(type_: CanonicalType, value: Any) -> Any:
    """A column value as the boto3 Python value of its DynamoDB attribute (None stays None: omitted)."""
    if value is None:
        return None
    kind = type_.kind
    target = rules().attribute_types[kind]
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        return [to_attribute_value(type_.element, v) for v in value]
    if kind is TypeKind.JSON:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if kind in (TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP):
        return _iso(type_, value)
    if target == "N":
        number = decimal.Decimal(repr(float(value))) if kind is TypeKind.FLOAT else decimal.Decimal(value)
        if number and not _N_MIN <= abs(number) < _N_MAX:
            raise ItemError(f"number {value!r} is outside DynamoDB's range 1E-130..9.99E+125")
        if len(number.as_tuple().digits) > 38:
            raise ItemError(f"number {value!r} has more than the 38 significant digits DynamoDB keeps")
        return number
    if target == "BOOL":
        return bool(value)
    if target == "B":
        return bytes(value)
    return str(value)


def from_attribute_value(type_: CanonicalType, value: Any) -> Any:
    """Inverse of `to_attribute_value`: the column's canonical Python value."""
    if value is None:
        return None
    kind = type_.kind
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        return [from_attribute_value(type_.element, v) for v in value]
    if kind is TypeKind.INTEGER:
        return int(value)
    if kind is TypeKind.FLOAT:
        return float(value)
    if kind is TypeKind.DECIMAL:
        return decimal.Decimal(value)
    if kind is TypeKind.BINARY:
        return bytes(value.value if hasattr(value, "value") else value)
    return normalize_value(type_, value)


def normalize_row(entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    return {a.name: normalize_value(a.type, row.get(a.name)) for a in entity.attributes}


iso = _iso
