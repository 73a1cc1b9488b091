"""The Cassandra rules in `mappings/cassandra.toml`, loaded once and checked before any design uses them.

Types, reserved words, naming limits, partition thresholds and the defaults used when statistics are
silent are data; this module only validates them and answers lookups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.targets.cassandra.model import TimeUnit
from translator.targets.common import check_kind_table, positive_number
from translator.types import CanonicalType, TypeKind

__all__ = ["CassandraRules", "rules", "cql_type"]

_FILE = "mappings/cassandra.toml"
# The periods `storage.period` can truncate a timestamp to; a bucket name outside them would bucket by day.
_TIME_UNITS: dict[str, TimeUnit] = {"month": "month", "week": "week", "day": "day", "hour": "hour"}
_CALL = re.compile(r"([a-z_][a-z0-9_]*)\s*\(")
_NUMBER_SECTIONS = {
    "thresholds": (
        "max_partition_bytes",
        "max_partition_rows",
        "max_partition_cells",
        "write_amplification",
        "bucket_headroom",
        "udt_max_children",
    ),
    "assumptions": ("distinct_fraction", "skew", "history_days"),
}


@dataclass(frozen=True, slots=True)
class CassandraRules:
    """Everything `mappings/cassandra.toml` says, validated."""

    types: dict[str, Any]
    time_based_functions: frozenset[str]
    reserved: frozenset[str]
    max_table_name: int
    unquoted_pattern: re.Pattern[str]
    bucket_column: str
    thresholds: dict[str, float]
    assumptions: dict[str, float]
    time_buckets: tuple[tuple[TimeUnit, float], ...]


def _require(data: dict[str, Any], section: str) -> dict[str, Any]:
    value = data.get(section)
    if not isinstance(value, dict):
        raise MappingError(f"{_FILE}: section [{section}] is missing or not a table; restore it from the repository")
    return value


@cache
def rules() -> CassandraRules:
    """Load and check `mappings/cassandra.toml` (cached); a problem is a one-line `MappingError`."""
    data = load_mapping("cassandra.toml")
    types = _require(data, "types")
    check_kind_table(_FILE, "types", types, "a CQL type")
    for kind in ("integer", "float"):
        if not isinstance(types[kind], dict) or "default" not in types[kind]:
            raise MappingError(f"{_FILE}: [types.{kind}] must map bit widths to CQL types and give a default")
    names = _require(data, "names")
    numbers: dict[str, dict[str, float]] = {}
    for section, keys in _NUMBER_SECTIONS.items():
        table = _require(data, section)
        numbers[section] = {k: float(positive_number(_FILE, section, table, k)) for k in keys}
    buckets = _require(data, "time_buckets")
    if not buckets or any(not isinstance(v, (int, float)) or v <= 0 for v in buckets.values()):
        raise MappingError(f"{_FILE}: [time_buckets] must map bucket names to positive day counts")
    unknown = sorted(k for k in buckets if k not in _TIME_UNITS)
    if unknown:
        raise MappingError(
            f"{_FILE}: [time_buckets] {', '.join(unknown)} unknown; bucket names are {', '.join(_TIME_UNITS)}"
        )
    return CassandraRules(
        types=types,
        time_based_functions=frozenset(s.lower() for s in _require(data, "timeuuid").get("time_based_functions", ())),
        reserved=frozenset(w.lower() for w in names.get("reserved", ())),
        max_table_name=int(names.get("max_table_name", 48)),
        unquoted_pattern=re.compile(names.get("unquoted_pattern", r"^[a-z][a-z0-9_]*$")),
        bucket_column=str(names.get("bucket_column", "bucket")),
        thresholds=numbers["thresholds"],
        assumptions=numbers["assumptions"],
        time_buckets=tuple(sorted(((_TIME_UNITS[k], float(v)) for k, v in buckets.items()), key=lambda kv: -kv[1])),
    )


def cql_type(type_: CanonicalType, *, in_key: bool = False, default: str | None = None) -> str:
    """The CQL type for a canonical type; `default` is the column's SQL default (time-based uuid -> timeuuid)."""
    table = rules().types
    kind = type_.kind
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        inner = cql_type(type_.element, in_key=True)  # nested collections must be frozen anyway
        text = f"{table['array']}<{inner}>"
        return f"frozen<{text}>" if in_key else text
    if kind in (TypeKind.INTEGER, TypeKind.FLOAT):
        widths = table[str(kind)]
        return str(widths.get(str(type_.bits), widths["default"]))
    if kind is TypeKind.UUID and default and set(_CALL.findall(default.lower())) & rules().time_based_functions:
        return "timeuuid"
    return str(table[str(kind)])


rules()  # fail at import, not halfway through a design, when the mapping file is broken
