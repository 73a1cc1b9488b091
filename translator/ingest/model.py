"""Mutable builders used while statements are read; frozen into IR records once the file set is done.

DDL is order-dependent (ALTER TABLE after CREATE TABLE, COMMENT ON after both, a REFERENCES to a table
defined later), so ingest accumulates into these and resolves names only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.types import CanonicalType

__all__ = ["ColumnDraft", "IndexDraft", "TableDraft", "ForeignKeyDraft", "fold"]


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


@dataclass(frozen=True, slots=True)
class IndexDraft:
    name: str | None
    columns: tuple[str, ...]
    unique: bool = False
    predicate: str | None = None
    method: str | None = None
    #: per column: the prefix length of a MySQL key part `col(190)`, or None; empty when no part has one
    prefix_lengths: tuple[int | None, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(slots=True)
class TableDraft:
    name: str
    namespace: str | None
    file: str
    line: int
    columns: list[ColumnDraft] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[IndexDraft] = field(default_factory=list)
    #: index parts that are expressions (`lower(email)`), not column names
    expression_parts: set[str] = field(default_factory=set)
    #: (file, line) of the statement that declared the primary key and each unique key, for diagnostics
    key_origins: dict[tuple[str, ...], tuple[str, int]] = field(default_factory=dict)
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
    dialect: str | None = None
