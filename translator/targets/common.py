"""Pieces every target shares: checking a mapping file's per-kind type table, and handing out unique names.

Each target keeps its own rules in `mappings/<target>.toml`; what is common is how those rules are
checked and how a clashing name is made unique, so that the three targets report and behave alike.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from translator.errors import MappingError
from translator.types import TypeKind

__all__ = ["check_kind_table", "positive_number", "unique_name"]


def check_kind_table(file: str, section: str, table: Mapping[str, Any], what: str) -> None:
    """Refuse a `[section]` of `file` whose keys are not exactly the canonical kinds.

    `what` names what each entry gives (e.g. "a CQL type"); a design must never meet a kind its
    target cannot store, so a missing or misspelt kind is a one-line `MappingError` at load time.
    """
    known = {k.value for k in TypeKind}
    unknown = sorted(set(table) - known)
    if unknown:
        raise MappingError(f"{file}: [{section}] names unknown canonical kinds {unknown}; use one of {sorted(known)}")
    missing = sorted(known - set(table))
    if missing:
        raise MappingError(f"{file}: [{section}] lacks {what} for canonical kinds {missing}")


def positive_number(
    file: str, section: str, table: Mapping[str, Any], key: str, *, integer: bool = False
) -> int | float:
    """`table[key]` when it is a positive number (an integer if `integer`); else a one-line `MappingError`.

    TOML reads `true` as a bool, which Python counts as the integer 1: a limit must never be a flag.
    """
    value = table.get(key)
    wanted = int if integer else (int, float)
    if not isinstance(value, wanted) or isinstance(value, bool) or value <= 0:
        raise MappingError(
            f"{file}: [{section}] {key} = {value!r} must be a positive {'integer' if integer else 'number'}"
        )
    return value


def unique_name(wanted: str, taken: Container[str]) -> str:
    """`wanted`, or the first of `wanted_2`, `wanted_3`, ... not in `taken` (the caller records the result)."""
    name, n = wanted, 2
    while name in taken:
        name, n = f"{wanted}_{n}", n + 1
    return name
