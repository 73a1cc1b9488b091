"""Mutable builders used while statements are read; frozen into IR records once the file set is done.

DDL is order-dependent (ALTER TABLE after CREATE TABLE, COMMENT ON after both, a REFERENCES to a table
defined later), so ingest accumulates into these and resolves names only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.types import CanonicalType

__all__ = ["ColumnDraft", "TableDraft", "ForeignKeyDraft", "fold"]


def fold(name: str) -> str:
    """Resolution key: SQL engines resolve names case-insensitively unless quoted; dumps rarely rely on it."""
    return name.casefold()


@dataclass(slots=True)
class ColumnDraft:
    name: str
    type: CanonicalType
    nullable: bool = True
    default: str | None = None
    identity: bool = False
    generated: str | None = None
    comment: str | None = None
    type_name: str | None = None  # a user-defined type name to resolve (named enums, domains)


@dataclass(slots=True)
class TableDraft:
    name: str
    namespace: str | None
    file: str
    line: int
    columns: list[ColumnDraft] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[tuple[str | None, tuple[str, ...], bool, str | None, str | None]] = field(default_factory=list)
    checks: list[tuple[str | None, str]] = field(default_factory=list)
    comment: str | None = None
    partition_by: str | None = None
    partition_of: tuple[str | None, str] | None = None

    @property
    def key(self) -> str:
        return f"{self.namespace}.{self.name}" if self.namespace else self.name

    def column(self, name: str) -> ColumnDraft | None:
        folded = fold(name)
        return next((c for c in self.columns if fold(c.name) == folded), None)


@dataclass(slots=True)
class ForeignKeyDraft:
    name: str | None
    table: TableDraft
    columns: tuple[str, ...]
    target: tuple[str | None, str]
    target_columns: tuple[str, ...] | None
    on_delete: str | None
    on_update: str | None
    file: str
    line: int
