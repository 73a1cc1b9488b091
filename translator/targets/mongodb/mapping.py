"""`mappings/mongodb.toml` loaded and checked: BSON types per canonical kind, naming limits, rule thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from translator import mapdata
from translator.errors import MappingError
from translator.targets.common import check_kind_table, positive_number
from translator.types import CanonicalType, TypeKind

__all__ = ["TypeRule", "Rules", "MongoMapping", "load_rules", "UUID_REPRESENTATIONS"]

_FILE = "mappings/mongodb.toml"
UUID_REPRESENTATIONS = ("binData", "string")
_RULE_KEYS = {
    "few_max_children": int,
    "bounded_max_children": int,
    "alone_to_together_ratio": (int, float),
    "document_budget_fraction": (int, float),
    "extended_reference_max_fields": int,
    "subset_max_items": int,
    "copy_max_rows": int,
    "whale_share": (int, float),
}
_LIMIT_KEYS = ("decimal128_digits", "max_document_bytes", "max_namespace_bytes", "max_index_keys")


@dataclass(frozen=True, slots=True)
class TypeRule:
    """How one canonical kind is stored: `bson_type` ("" = unconstrained) and the documents.py codec name."""

    bson_type: str
    codec: str


@dataclass(frozen=True, slots=True)
class Rules:
    few_max_children: int
    bounded_max_children: int
    alone_to_together_ratio: float
    document_budget_fraction: float
    extended_reference_max_fields: int
    subset_max_items: int
    copy_max_rows: int
    whale_share: float


@dataclass(frozen=True)
class MongoMapping:
    types: Mapping[TypeKind, TypeRule]
    uuid_representations: Mapping[str, TypeRule]
    int32_max_bits: int
    limits: Mapping[str, int]
    naming: Mapping[str, Any]
    rules: Rules
    wide_decimal: TypeRule

    def rule_for(self, type_: CanonicalType, uuid_representation: str = "binData") -> TypeRule:
        """The storage rule of `type_`, narrowing integers that fit in 32 bits to BSON "int"."""
        if type_.kind is TypeKind.UUID:
            return self.uuid_representations[uuid_representation]
        if type_.kind is TypeKind.INTEGER and type_.bits is not None and type_.bits <= self.int32_max_bits:
            return TypeRule("int", "int32")
        if type_.kind is TypeKind.DECIMAL and (type_.precision or 0) > self.limits["decimal128_digits"]:
            return self.wide_decimal
        return self.types[type_.kind]

    @property
    def budget_bytes(self) -> int:
        return int(self.limits["max_document_bytes"] * self.rules.document_budget_fraction)


def _fail(problem: str) -> MappingError:
    return MappingError(f"{_FILE}: {problem}")


def _type_rule(where: str, raw: Any) -> TypeRule:
    if not isinstance(raw, dict) or not isinstance(raw.get("bson_type"), str) or not isinstance(raw.get("codec"), str):
        raise _fail(f"[{where}] needs string keys bson_type and codec, got {raw!r}")
    return TypeRule(raw["bson_type"], raw["codec"])


def parse_mapping(data: dict[str, Any]) -> MongoMapping:
    """Check a parsed mongodb.toml and build the mapping; every problem names its table and key."""
    raw_types = data.get("types")
    if not isinstance(raw_types, dict):
        raise _fail("missing [types.<kind>] tables")
    check_kind_table(_FILE, "types", raw_types, "rules")
    types = {TypeKind(k): _type_rule(f"types.{k}", v) for k, v in raw_types.items()}
    int32_bits = raw_types["integer"].get("int32_max_bits", 32)
    if not isinstance(int32_bits, int):
        raise _fail(f"[types.integer] int32_max_bits must be an integer, got {int32_bits!r}")
    uuids = data.get("uuid_representations", {})
    if set(uuids) != set(UUID_REPRESENTATIONS):
        raise _fail(f"[uuid_representations] must define exactly {list(UUID_REPRESENTATIONS)}, got {sorted(uuids)}")
    limits = data.get("limits", {})
    for key in _LIMIT_KEYS:
        positive_number(_FILE, "limits", limits, key, integer=True)
    raw_rules = data.get("rules", {})
    for key, kind in _RULE_KEYS.items():
        positive_number(_FILE, "rules", raw_rules, key, integer=kind is int)
    if raw_rules["few_max_children"] > raw_rules["bounded_max_children"]:
        raise _fail("[rules] few_max_children must not exceed bounded_max_children")
    if not 0 < raw_rules["whale_share"] <= 1:
        raise _fail(f"[rules] whale_share must be in (0, 1], got {raw_rules['whale_share']}")
    if not 0 < raw_rules["document_budget_fraction"] <= 1:
        raise _fail(f"[rules] document_budget_fraction must be in (0, 1], got {raw_rules['document_budget_fraction']}")
    return MongoMapping(
        types=MappingProxyType(types),
        uuid_representations=MappingProxyType(
            {k: _type_rule(f"uuid_representations.{k}", v) for k, v in uuids.items()}
        ),
        int32_max_bits=int32_bits,
        limits=MappingProxyType(dict(limits)),
        naming=MappingProxyType(dict(data.get("naming", {}))),
        rules=Rules(**{k: raw_rules[k] for k in _RULE_KEYS}),
        wide_decimal=_type_rule(
            "types.decimal (wide_*)",
            {"bson_type": raw_types["decimal"].get("wide_bson_type"), "codec": raw_types["decimal"].get("wide_codec")},
        ),
    )


@cache
def load_rules() -> MongoMapping:
    """The packaged mappings/mongodb.toml, checked (cached: it is read once per process)."""
    return parse_mapping(mapdata.load_mapping("mongodb.toml"))
