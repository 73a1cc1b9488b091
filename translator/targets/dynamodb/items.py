"""Rows <-> DynamoDB items, and the order-preserving encodings used inside composite key strings.

Items are in boto3's Python form (`Decimal` numbers, `str`, `bytes`, `bool`, `list`), ready for
`boto3.dynamodb.types.TypeSerializer`. A NULL column is left out of the item, so GSIs keyed on it are
sparse. Key strings put each value in an encoding whose string order equals the value order:
integers zero-padded to 20 digits (negatives as `-` plus the 10^20 complement, so they sort first and
in order), decimals the same at their declared scale, timestamps ISO-8601 in UTC with microseconds.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import struct
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from translator.errors import PolyschemaError
from translator.ir import Entity, Relationship, Schema
from translator.targets.dynamodb.mapping import rules
from translator.targets.dynamodb.model import CopySpec, DynamoDesign, EntityMapping, KeyTemplate
from translator.targets.dynamodb.parts import key_type, part_type
from translator.types import CanonicalType, TypeKind

__all__ = [
    "KEY_CODECS",
    "ItemError",
    "decode_key_value",
    "encode_key_value",
    "from_attribute_value",
    "items_to_rows",
    "key_type",
    "normalize_row",
    "normalize_value",
    "parse_key",
    "row_to_item",
    "rows_to_items",
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
    return (f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:{value.minute:02d}:"
            f"{value.second:02d}.{value.microsecond:06d}{zone}")


def _from_iso(type_: CanonicalType, text: str) -> Any:
    if type_.kind is TypeKind.DATE:
        return dt.date.fromisoformat(text)
    if type_.kind is TypeKind.TIME:
        return dt.time.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def _encode_int(type_: CanonicalType, value: Any) -> str:
    width = rules().integer_width
    number = int(value)
    if abs(number) >= 10 ** width:
        raise ItemError(f"integer {number} has more than {width} digits; it cannot be a key component")
    return f"{number:0{width}d}" if number >= 0 else "-" + f"{10 ** width + number:0{width}d}"


def _decode_int(type_: CanonicalType, text: str) -> int:
    width = rules().integer_width
    return int(text[1:]) - 10 ** width if text.startswith("-") else int(text)


def _encode_decimal(type_: CanonicalType, value: Any) -> str:
    precision, scale = _scale(type_)
    exact = decimal.Decimal(value)
    scaled = exact.scaleb(scale, context=_EXACT)
    if scaled != scaled.to_integral_value():
        raise ItemError(f"decimal {value} has more than {scale} fractional digits; it cannot be encoded at scale {scale}")
    number = int(scaled)
    if abs(number) >= 10 ** precision:
        raise ItemError(f"decimal {value} exceeds precision {precision}")
    digits = f"{number:0{precision}d}" if number >= 0 else f"{10 ** precision + number:0{precision}d}"
    text = digits[: precision - scale] + ("." + digits[precision - scale:] if scale else "")
    return text if number >= 0 else "-" + text


def _decode_decimal(type_: CanonicalType, text: str) -> decimal.Decimal:
    precision, scale = _scale(type_)
    negative = text.startswith("-")
    number = int(text.lstrip("-").replace(".", ""))
    if negative:
        number -= 10 ** precision
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
        raise ItemError(f"a {type_} value cannot be part of a key (no order-preserving encoding in mappings/dynamodb.toml)")
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


class Related:
    """Every entity's rows indexed by the columns foreign keys reference, so a copy can follow its hops."""

    def __init__(self, schema: Schema, rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
        self.schema = schema
        self.rows = {schema.entity(k).key: list(v) for k, v in rows.items()}
        self._index: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], Mapping[str, Any]]] = {}

    def parent(self, rel: Relationship, row: Mapping[str, Any]) -> Mapping[str, Any] | None:
        key = (rel.to_entity, rel.to_attributes)
        if key not in self._index:
            self._index[key] = {tuple(r.get(c) for c in rel.to_attributes): r for r in self.rows.get(rel.to_entity, [])}
        return self._index[key].get(tuple(row.get(c) for c in rel.from_attributes))

    def copy_value(self, entity: str, spec: CopySpec, row: Mapping[str, Any]) -> Any:
        current: Mapping[str, Any] | None = row
        for name in spec.hops:
            rel = next(r for r in self.schema.relationships_from(entity) if r.name == name)
            current = self.parent(rel, current) if current is not None else None
            entity = rel.to_entity
        return None if current is None else current.get(spec.column)


def _shard(pk: str, sk: str, shards: int) -> int:
    """The calculated write-shard suffix of an item: stable, spread evenly, found again from its table key."""
    return zlib.crc32(f"{pk}\x00{sk}".encode()) % shards


def parse_key(schema: Schema, mapping: EntityMapping, template: KeyTemplate, text: str) -> dict[str, Any] | None:
    """The part values a key string encodes, or None when it does not match the template."""
    separator = rules().naming["separator"]
    pieces = text.split(separator)
    shape = template.pieces()
    if len(pieces) != len(shape):
        return None
    out: dict[str, Any] = {}
    try:
        for (kind, value), piece in zip(shape, pieces, strict=True):
            if kind == "lit" and piece != value or kind == "shard" and not piece.isdigit():
                return None
            if kind == "part":
                out[value] = None if piece == "" else decode_key_value(part_type(schema, mapping, value), piece)
    except (ValueError, decimal.InvalidOperation, struct.error):
        return None
    return out


def _epoch_seconds(value: Any) -> int:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return int(moment.timestamp())
    if isinstance(value, dt.date):
        return int(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp())
    return int(value)


class _ItemPlan:
    """Everything `row_to_item` needs for one entity, resolved once (types of key parts follow foreign keys)."""

    def __init__(self, schema: Schema, design: DynamoDesign, mapping: EntityMapping) -> None:
        entity = schema.entity(mapping.entity)
        table = design.table(mapping.table)
        self.entity, self.mapping, self.table = entity, mapping, table
        self.separator = rules().naming["separator"]
        self.types = {part: part_type(schema, mapping, part)
                      for path in mapping.paths for t in (path.partition, path.sort) for part in t.parts}
        self.columns = [(a.column, a.attribute, entity.attribute(a.column).type) for a in mapping.attributes]
        self.copy_types = {c.part: part_type(schema, mapping, c.part) for c in mapping.copies}

    def key(self, template: KeyTemplate, values: Mapping[str, Any], null_sorts_first: bool, shard: int | None) -> str | None:
        pieces = []
        for kind, value in template.pieces():
            if kind == "lit":
                pieces.append(value)
            elif kind == "shard":
                pieces.append(str(shard if shard is not None else 0))
            elif values.get(value) is None:
                if not null_sorts_first:
                    return None
                pieces.append("")
            else:
                pieces.append(encode_key_value(self.types[value], values[value]))
        return self.separator.join(pieces)

    def item(self, row: Mapping[str, Any], related: Related | None = None, ordinal: int | None = None) -> dict[str, Any]:
        item: dict[str, Any] = {self.table.entity_type_attribute: self.mapping.type_value}
        values = dict(row)
        generated = self.mapping.generated_id
        if generated:
            seed = f"{self.entity.key}|{ordinal}|{sorted((k, repr(v)) for k, v in row.items())}"
            values[generated] = uuid.uuid5(uuid.NAMESPACE_URL, seed) if ordinal is not None else uuid.uuid4()
            item[generated] = str(values[generated])
        for spec in self.mapping.copies:
            value = related.copy_value(self.entity.key, spec, row) if related is not None else row.get(spec.part)
            values[spec.part] = value
            stored = to_attribute_value(self.copy_types[spec.part], value)
            if stored is not None:
                item[spec.part] = stored
        base_pk = base_sk = ""
        for path in self.mapping.paths:
            partition, sort = path.partition, path.sort
            shard = _shard(base_pk, base_sk, partition.shards) if partition.shards > 1 else None
            pk = self.key(partition, values, False, shard)
            if pk is None and path.index is not None:
                continue  # sparse: no GSI key at all
            sk = self.key(sort, values, True, None)
            if pk is None or sk is None:
                raise ItemError(f"{self.entity.key}: a row has NULL in key part(s) {list(partition.parts)}; "
                                "its item cannot be stored")
            if path.index is None:
                base_pk, base_sk = pk, sk
            item[partition.attribute], item[sort.attribute] = pk, sk
        for column, attribute, type_ in self.columns:
            value = to_attribute_value(type_, row.get(column))
            if value is not None:
                item[attribute] = value
        ttl_column = self.mapping.ttl_column
        if ttl_column and self.table.ttl and row.get(ttl_column) is not None:
            item[self.table.ttl] = _epoch_seconds(row[ttl_column])
        return item


def row_to_item(schema: Schema, design: DynamoDesign, mapping: EntityMapping, row: Mapping[str, Any],
                related: Related | None = None, ordinal: int | None = None) -> dict[str, Any]:
    """One row's item. Copies are read from `related` (or from the row under the copy's part name); a
    generated id is derived from `ordinal` (the row's position, as `rows_to_items` numbers them)."""
    return _ItemPlan(schema, design, mapping).item(row, related, ordinal)


def rows_to_items(schema: Schema, design: DynamoDesign,
                  rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Items per table name, from rows per entity key (entities absent from the design are skipped)."""
    out: dict[str, list[dict[str, Any]]] = {t.name: [] for t in design.tables}
    by_entity = {m.entity: m for m in design.entities}
    related = Related(schema, rows) if any(m.copies for m in design.entities) else None
    for entity_key, entity_rows in rows.items():
        mapping = by_entity.get(schema.entity(entity_key).key)
        if mapping is None:
            continue
        plan = _ItemPlan(schema, design, mapping)
        out[mapping.table].extend(plan.item(row, related, i) for i, row in enumerate(entity_rows))
    return out


def items_to_rows(schema: Schema, design: DynamoDesign, items: Iterable[Mapping[str, Any]],
                  table: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows per entity key from items (of one table, or of any when `table` is None)."""
    by_type = {(m.table, m.type_value): m for m in design.entities}
    type_attribute = {t.name: t.entity_type_attribute for t in design.tables}  # design.table() scans; once per table, not per item
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        candidates = [m for (t, value), m in by_type.items() if (table is None or t == table)
                      and item.get(type_attribute[t]) == value]
        if not candidates:
            raise ItemError(f"item {dict(list(item.items())[:3])} has no known entity type")
        mapping = candidates[0]
        entity = schema.entity(mapping.entity)
        out.setdefault(entity.key, []).append(
            {a.column: from_attribute_value(entity.attribute(a.column).type, item.get(a.attribute))
             for a in mapping.attributes})
    return out
