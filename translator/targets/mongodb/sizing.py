"""BSON size estimates: sample documents encoded with pymongo's `bson`, arrays extrapolated exactly.

A sample value of each attribute is as large as `mappings/sizes.toml` estimates (strings of that many
characters, ...), encoded with the same codecs as real documents. An array of n elements of b bytes
each costs, per BSON's spec, 4 + 1 + sum over i < n of (1 type byte + len(str(i)) + 1 + b) bytes, so a
parent with a million children is sized without building it (`array_bytes`, tested against
`bson.encode`). Statistics' `avg_row_bytes`, when given, scale an entity's own fields up.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

import bson

from translator.ir import Relationship
from translator.targets.mongodb.codecs import encode_value
from translator.targets.mongodb.layout import FieldMap, Layout, Node
from translator.types import CanonicalType, TypeKind
from translator.workload.stats import StatsView, estimate_row_bytes, estimate_value_bytes

__all__ = ["sample_value", "value_bytes", "array_bytes", "field_bytes", "EdgeSize", "DocumentSize", "size_documents"]


def sample_value(type_: CanonicalType) -> Any:
    """A relational value of `type_` about as large as the sizes.toml estimate."""
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        return 2**31 + 7 if (type_.bits or 64) > 32 else 7
    if kind is TypeKind.DECIMAL:
        digits = min(type_.precision or 10, 34)
        return decimal.Decimal("9" * digits).scaleb(-(type_.scale or 0))
    if kind is TypeKind.FLOAT:
        return 1.5
    if kind in (TypeKind.STRING, TypeKind.ENUM, TypeKind.SPATIAL, TypeKind.OTHER):
        return "x" * max(1, int(estimate_value_bytes(type_)))
    if kind is TypeKind.BINARY:
        return b"x" * max(1, int(estimate_value_bytes(type_)))
    if kind is TypeKind.BOOLEAN:
        return True
    if kind is TypeKind.DATE:
        return dt.date(2024, 1, 31)
    if kind is TypeKind.TIME:
        return dt.time(12, 30, 45, 123000)
    if kind is TypeKind.TIMESTAMP:
        return dt.datetime(2024, 1, 31, 12, 30, 45, 123000, tzinfo=dt.UTC if type_.with_timezone else None)
    if kind is TypeKind.INTERVAL:
        return dt.timedelta(days=1, seconds=5)
    if kind is TypeKind.UUID:
        return uuid.UUID(int=0x1234)
    if kind is TypeKind.JSON:
        return {"k": "x" * max(1, int(estimate_value_bytes(type_)) - 16)}
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        return [sample_value(type_.element)] * 4
    return "x"


def value_bytes(value: Any) -> int:
    """Bytes of `value` as a BSON element's value (a document's own length when `value` is a dict)."""
    return len(bson.encode({"": value})) - 7  # 4 length + type byte + empty name's NUL + trailing NUL


def array_bytes(count: int, element_bytes: int) -> int:
    """Bytes of a BSON array value of `count` elements of `element_bytes` each."""
    digits = 0
    width, start = 1, 0
    while start < count:
        end = min(count, start * 10 if start else 10)
        digits += (end - start) * width
        start, width = end, width + 1
    return 4 + 1 + count * (1 + 1 + element_bytes) + digits


def field_bytes(name: str, value_size: int) -> int:
    return 1 + len(name.encode("utf-8")) + 1 + value_size


@dataclass(frozen=True, slots=True)
class EdgeSize:
    rel: Relationship
    count: float
    bytes: int  # what this edge adds to the root document at its maximum fan-out


@dataclass(frozen=True, slots=True)
class DocumentSize:
    collection: str
    bytes: int
    embedded: tuple[EdgeSize, ...]
    assumed: bool


def size_documents(layout: Layout, stats: StatsView, fanout_of: Any) -> dict[str, DocumentSize]:
    """The largest document of each collection at maximum fan-out, and what each embedded edge adds.

    `fanout_of(rel)` gives the maximum children per parent the rules use.
    """
    ctx = (layout.mapping, layout.uuid_representation)
    assumed = [False]

    def own(entity_key: str, fields: tuple[FieldMap, ...]) -> int:
        doc = {fm.field: encode_value(sample_value(fm.type), fm.type, ctx) for fm in fields}
        size = value_bytes(doc)
        entity = layout.schema.entity(entity_key)
        given = stats.entity(entity)
        estimate = estimate_row_bytes(entity.attributes)
        if given.avg_row_bytes and not given.assumed and estimate and given.avg_row_bytes > estimate:
            size = int(size * given.avg_row_bytes / estimate)
        return size

    def node_bytes(node: Node, edges: list[EdgeSize]) -> int:
        size = own(node.entity, node.fields)
        for link in node.links:
            child_edges: list[EdgeSize] = []
            child = node_bytes(link.node, child_edges)
            count = 1 if link.shape == "object" else int(fanout_of(link.rel))
            if stats.fanout(link.rel).assumed:
                assumed[0] = True
            added = field_bytes(link.field, child if link.shape == "object" else array_bytes(count, child))
            size += added
            edges.append(EdgeSize(link.rel, count, added))
            edges.extend(child_edges)
        for arr in node.id_arrays:
            sample = {
                f: encode_value(sample_value(fm.type), fm.type, ctx)
                for f, fm in (
                    *zip(arr.value_fields, arr.value_types, strict=False),
                    *((c.field, c) for c in arr.copies),
                )
            }
            element = value_bytes(next(iter(sample.values())) if arr.scalar else sample)
            size += field_bytes(arr.field, array_bytes(int(fanout_of(arr.rel)), element))
        for cp in node.copies:
            body = own(cp.source, cp.fields)
            size += field_bytes(cp.field, body if cp.style == "extended" else array_bytes(cp.limit or 0, body))
        return size

    out = {}
    for name, node in (*layout.collections, *layout.orphans):
        assumed[0] = False
        edges: list[EdgeSize] = []
        total = node_bytes(node, edges)
        out[name] = DocumentSize(name, total, tuple(edges), assumed[0])
    return out
