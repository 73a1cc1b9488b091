"""`mappings/dynamodb.toml`, loaded once and checked: every canonical kind must have an attribute type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.targets.common import check_kind_table, positive_number
from translator.types import TypeKind

__all__ = ["ATTRIBUTE_TYPES", "KEY_ENCODINGS", "DynamoRules", "check_rules", "rules"]

ATTRIBUTE_TYPES = frozenset({"S", "N", "B", "BOOL", "L", "M"})
KEY_ENCODINGS = frozenset({"int", "decimal", "float", "text", "bool", "iso", "hex"})
_FILE = "dynamodb.toml"
# The [limits] the design reads; each must be a positive integer (others in the table are checked alike).
_LIMIT_KEYS = (
    "item_bytes",
    "item_overhead_bytes",
    "partition_rcu",
    "partition_wcu",
    "rcu_bytes",
    "wcu_bytes",
    "item_collection_bytes_with_lsi",
    "gsis_per_table",
    "partition_key_bytes",
    "sort_key_bytes",
)
_NAMING_NUMBERS = ("table_name_min", "table_name_max", "attribute_name_max_bytes")


@dataclass(frozen=True)
class DynamoRules:
    """The checked contents of mappings/dynamodb.toml."""

    attribute_types: dict[TypeKind, str]
    key_encodings: dict[TypeKind, str]
    integer_width: int
    decimal_scale: int
    decimal_precision: int
    naming: dict[str, Any]
    limits: dict[str, int]
    ttl_name_patterns: tuple[re.Pattern[str], ...]
    ttl_kinds: frozenset[TypeKind]
    reserved_words: frozenset[str]

    def is_reserved(self, name: str) -> bool:
        return name.upper() in self.reserved_words

    def needs_placeholder(self, name: str) -> bool:
        """True when `name` cannot appear bare in an expression (reserved word or special characters)."""
        return self.is_reserved(name) or not re.fullmatch(self.naming["expression_name_pattern"], name)

    def gsi_names(self, n: int) -> tuple[str, str, str]:
        """(index name, partition attribute, sort attribute) of GSI number `n` (1-based)."""
        return (
            self.naming["gsi_name"].format(n=n),
            self.naming["gsi_partition"].format(n=n),
            self.naming["gsi_sort"].format(n=n),
        )


def _kind(value: str, where: str) -> TypeKind:
    try:
        return TypeKind(value)
    except ValueError:
        raise MappingError(
            f"mappings/{_FILE}: [{where}] names unknown canonical kind {value!r}; "
            f"use one of {sorted(k.value for k in TypeKind)}"
        ) from None


@cache
def rules() -> DynamoRules:
    """Load and check mappings/dynamodb.toml once per process."""
    return check_rules(load_mapping(_FILE))


def check_rules(data: dict[str, Any]) -> DynamoRules:
    """Check parsed rules; anything malformed is a one-line `MappingError` naming the table and key."""
    try:
        raw_types = data["attribute_types"]
        raw_enc = data["key_encodings"]
        defaults = data["key_encoding_defaults"]
        naming = data["naming"]
        limits = data["limits"]
        ttl = data["ttl"]
        words = data["reserved"]["words"]
    except KeyError as exc:
        raise MappingError(f"mappings/{_FILE}: missing table or key {exc}; see docs/dynamodb.md") from None
    check_kind_table(f"mappings/{_FILE}", "attribute_types", raw_types, "an attribute type")
    attribute_types = {TypeKind(k): v for k, v in raw_types.items()}
    bad = {k: v for k, v in attribute_types.items() if v not in ATTRIBUTE_TYPES}
    if bad:
        raise MappingError(
            f"mappings/{_FILE}: [attribute_types] has unknown DynamoDB types {bad}; use {sorted(ATTRIBUTE_TYPES)}"
        )
    key_encodings = {_kind(k, "key_encodings"): v for k, v in raw_enc.items()}
    bad = {k: v for k, v in key_encodings.items() if v not in KEY_ENCODINGS}
    if bad:
        raise MappingError(
            f"mappings/{_FILE}: [key_encodings] has unknown encodings {bad}; use {sorted(KEY_ENCODINGS)}"
        )
    for key in (
        "partition_key",
        "sort_key",
        "gsi_partition",
        "gsi_sort",
        "gsi_name",
        "entity_type_attribute",
        "ttl_attribute",
        "generated_id_attribute",
        "separator",
        "default_table_name",
        "table_name_pattern",
        "expression_name_pattern",
    ):
        if not isinstance(naming.get(key), str) or not naming[key]:
            raise MappingError(f"mappings/{_FILE}: [naming] {key} must be a non-empty string")
    for key in ("gsi_partition", "gsi_sort", "gsi_name"):
        if "{n}" not in naming[key]:
            raise MappingError(f"mappings/{_FILE}: [naming] {key}={naming[key]!r} must contain {{n}}")
    for key in _NAMING_NUMBERS:
        positive_number(f"mappings/{_FILE}", "naming", naming, key, integer=True)
    for key in ("integer_width", "decimal_precision"):
        positive_number(f"mappings/{_FILE}", "key_encoding_defaults", defaults, key, integer=True)
    scale = defaults.get("decimal_scale")
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 0:
        raise MappingError(
            f"mappings/{_FILE}: [key_encoding_defaults] decimal_scale = {scale!r} must be an integer >= 0"
        )
    return DynamoRules(
        attribute_types=attribute_types,
        key_encodings=key_encodings,
        integer_width=defaults["integer_width"],
        decimal_scale=scale,
        decimal_precision=defaults["decimal_precision"],
        naming=dict(naming),
        limits={
            k: int(positive_number(f"mappings/{_FILE}", "limits", limits, k, integer=True))
            for k in dict.fromkeys((*limits, *_LIMIT_KEYS))
        },
        ttl_name_patterns=tuple(re.compile(p, re.IGNORECASE) for p in ttl["name_patterns"]),
        ttl_kinds=frozenset(_kind(k, "ttl") for k in ttl["kinds"]),
        reserved_words=frozenset(w.upper() for w in words),
    )
