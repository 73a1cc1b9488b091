"""Pieces every target shares: checking a mapping file's per-kind type table, and handing out unique names.

Each target keeps its own rules in `mappings/<target>.toml`; what is common is how those rules are
checked and how a clashing name is made unique, so that the three targets report and behave alike.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from typing import Any

from translator.errors import MappingError
from translator.ir import Relationship, Schema
from translator.types import TypeKind

__all__ = ["check_kind_table", "foreign_key_role", "positive_number", "unique_name", "without_id_suffix"]

#: `_id` in any case, or `Id`/`ID` after a lower-case letter or digit (`originId`); never the end of a word
#: such as `paid` or `VALID`
_ID_SUFFIX = re.compile(r"(?:_[iI][dD]|(?<=[a-z0-9])I[dD])$")


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


def foreign_key_role(schema: Schema, rel: Relationship, tenant_column: str | None = None) -> str:
    """What `rel`'s parent is to its child, from the foreign key's own attributes (`flights.origin_id ->
    airports` is `origin`): less the attributes every foreign key from the same child to the same parent
    shares (`tenant_id` in `(tenant_id, reporter_id)` and `(tenant_id, assignee_id)`), the tenant column, and
    an id suffix. Empty when nothing is left; each target decides what to call the parent then."""
    siblings = [r for r in schema.relationships_from(rel.from_entity) if r.to_entity == rel.to_entity]
    shared: set[str] = set()
    if len(siblings) > 1:
        shared = set.intersection(*({a.casefold() for a in r.from_attributes} for r in siblings))
    skip = shared | ({tenant_column.casefold()} if tenant_column else set())
    words = [without_id_suffix(a) for a in rel.from_attributes if a.casefold() not in skip]
    return "_".join(w for w in words if w)


def without_id_suffix(attribute: str) -> str:
    """`origin_id` -> `origin`, `originId` -> `origin`; `paid` and `VALID` stay as they are."""
    return _ID_SUFFIX.sub("", attribute).strip("_")
