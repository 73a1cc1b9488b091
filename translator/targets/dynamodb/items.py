"""Rows <-> DynamoDB items.

Items are in boto3's Python form (`Decimal` numbers, `str`, `bytes`, `bool`, `list`), ready for
`boto3.dynamodb.types.TypeSerializer`. A NULL column is left out of the item, so GSIs keyed on it are
sparse. Key strings join the template's pieces with the order-preserving encodings of codecs.py; copies
of parents' columns are read through `Related`, a generated id is derived from the row's position.
"""

from __future__ import annotations

import datetime as dt
import decimal
import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from translator.ir import Relationship, Schema
from translator.targets.dynamodb.codecs import (
    KEY_CODECS,
    ItemError,
    decode_key_value,
    encode_key_value,
    from_attribute_value,
    normalize_row,
    normalize_value,
    to_attribute_value,
)
from translator.targets.dynamodb.mapping import rules
from translator.targets.dynamodb.model import CopySpec, DynamoDesign, EntityMapping, KeyTemplate
from translator.targets.dynamodb.parts import key_type, part_type

__all__ = [
    "KEY_CODECS",
    "ItemError",
    "Related",
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
        self.types = {
            part: part_type(schema, mapping, part)
            for path in mapping.paths
            for t in (path.partition, path.sort)
            for part in t.parts
        }
        self.columns = [(a.column, a.attribute, entity.attribute(a.column).type) for a in mapping.attributes]
        self.copy_types = {c.part: part_type(schema, mapping, c.part) for c in mapping.copies}

    def key(
        self, template: KeyTemplate, values: Mapping[str, Any], null_sorts_first: bool, shard: int | None
    ) -> str | None:
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

    def item(
        self, row: Mapping[str, Any], related: Related | None = None, ordinal: int | None = None
    ) -> dict[str, Any]:
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
                raise ItemError(
                    f"{self.entity.key}: a row has NULL in key part(s) {list(partition.parts)}; "
                    "its item cannot be stored"
                )
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


def row_to_item(
    schema: Schema,
    design: DynamoDesign,
    mapping: EntityMapping,
    row: Mapping[str, Any],
    related: Related | None = None,
    ordinal: int | None = None,
) -> dict[str, Any]:
    """One row's item. Copies are read from `related` (or from the row under the copy's part name); a
    generated id is derived from `ordinal` (the row's position, as `rows_to_items` numbers them)."""
    return _ItemPlan(schema, design, mapping).item(row, related, ordinal)


def rows_to_items(
    schema: Schema, design: DynamoDesign, rows: Mapping[str, Iterable[Mapping[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
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


def items_to_rows(
    schema: Schema, design: DynamoDesign, items: Iterable[Mapping[str, Any]], table: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Rows per entity key from items (of one table, or of any when `table` is None)."""
    by_type = {(m.table, m.type_value): m for m in design.entities}
    type_attribute = {
        t.name: t.entity_type_attribute for t in design.tables
    }  # design.table() scans; once per table, not per item
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        candidates = [
            m
            for (t, value), m in by_type.items()
            if (table is None or t == table) and item.get(type_attribute[t]) == value
        ]
        if not candidates:
            raise ItemError(f"item {dict(list(item.items())[:3])} has no known entity type")
        mapping = candidates[0]
        entity = schema.entity(mapping.entity)
        out.setdefault(entity.key, []).append(
            {
                a.column: from_attribute_value(entity.attribute(a.column).type, item.get(a.attribute))
                for a in mapping.attributes
            }
        )
    return out
