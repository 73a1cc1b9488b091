"""Reading sqlglot nodes: names, table references, column lists, referential actions, type text as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

__all__ = ["name_of", "table_ref", "column_names", "key_parts", "KeyParts", "referential_actions", "written_type"]

_ACTION = re.compile(r"ON\s+(DELETE|UPDATE)\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION)", re.I)


def name_of(node: exp.Expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, exp.Identifier):
        return node.this
    if isinstance(node, (exp.Column, exp.Ordered)):
        return name_of(node.this)
    if isinstance(node, str):
        return node
    return node.name or None


def table_ref(node: exp.Expr) -> tuple[str | None, str]:
    """(namespace, name) of a Table node; a catalog (db.schema.table) keeps only the schema as namespace."""
    table = node.this if isinstance(node, exp.Schema) else node
    db = table.args.get("db")
    return (db.name if db else None), table.name


def column_names(nodes: list) -> tuple[str, ...]:
    return key_parts(nodes).columns


@dataclass(frozen=True, slots=True)
class KeyParts:
    """The parts of a key or index: column names (or expression text), prefix lengths, which parts are expressions."""

    columns: tuple[str, ...]
    prefix_lengths: tuple[int | None, ...]
    expressions: frozenset[str]

    @property
    def has_prefix(self) -> bool:
        return any(length is not None for length in self.prefix_lengths)


def _prefix(node: exp.Expr, calls: bool) -> tuple[str | None, int] | None:
    """(column, length) for a MySQL key part `col(190)`: a ColumnPrefix, or (when `calls`) the call-like `col(190)`
    sqlglot makes of it in CREATE INDEX."""
    if isinstance(node, exp.ColumnPrefix) and isinstance(node.expression, exp.Literal) and node.expression.name.isdigit():
        return name_of(node.this), int(node.expression.name)
    if (calls and isinstance(node, exp.Anonymous) and len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Literal)
            and not node.expressions[0].is_string and node.expressions[0].name.isdigit() and isinstance(node.this, str)):
        return node.this, int(node.expressions[0].name)
    return None


def key_parts(nodes: list | None, prefix_calls: bool = False) -> KeyParts:
    """The parts of a key; `prefix_calls` reads `col(190)` as a prefix of `col` (MySQL has no such functions)."""
    columns: list[str] = []
    prefixes: list[int | None] = []
    expressions: set[str] = set()
    for node in nodes or ():
        if isinstance(node, exp.Schema):
            inner = key_parts(node.expressions, prefix_calls)
            columns.extend(inner.columns)
            prefixes.extend(inner.prefix_lengths)
            expressions |= inner.expressions
            continue
        part = node.this if isinstance(node, exp.Ordered) else node
        prefix = _prefix(part, prefix_calls)
        name: str | None
        length: int | None
        if prefix is not None:
            name, length = prefix
        elif isinstance(part, (exp.Identifier, exp.Column)):
            name, length = name_of(part), None
        elif isinstance(node, exp.Ordered):
            name, length = part.sql(), None
            expressions.add(name)
        else:
            continue
        if name:
            columns.append(name)
            prefixes.append(length)
    return KeyParts(tuple(columns), tuple(prefixes), frozenset(expressions))


#: words that end a column's type and start its constraints
_TYPE_ENDS = frozenset("""NOT NULL DEFAULT PRIMARY REFERENCES CONSTRAINT UNIQUE CHECK GENERATED IDENTITY AUTO_INCREMENT
    AUTOINCREMENT COMMENT COLLATE AS ON CHARSET ROWGUIDCOL SPARSE FILESTREAM ENCODE KEY INVISIBLE VISIBLE STORAGE
    COMPRESSION ENABLE DISABLE NULLS MASKED HIDDEN""".split())
_TYPE_PIECE = re.compile(r"\s*(--|/\*|[(),]|\"[^\"]*\"|`[^`]*`|\[[^\]]*\]|'[^']*'|[^\s(),'\"`\[]+)")


def written_type(text: str, position: int) -> str | None:
    """The type as written after a column name ending at `position`, or None when it cannot be cut out."""
    pieces, depth = [], 0
    while (match := _TYPE_PIECE.match(text, position)) is not None:
        piece = match.group(1)
        word = piece.upper()
        if piece in ("--", "/*") or (depth == 0 and (piece in (",", ")") or word in _TYPE_ENDS)):
            break
        if word == "CHARACTER" and depth == 0 and re.match(r"\s+SET\b", text[match.end():], re.I):
            break
        depth += (piece == "(") - (piece == ")")
        pieces.append(match.group(0))
        position = match.end()
    written = " ".join("".join(pieces).split())
    return written or None


def referential_actions(options: list | None) -> tuple[str | None, str | None]:
    found = {m.group(1).upper(): " ".join(m.group(2).lower().split()) for m in _ACTION.finditer(" ".join(map(str, options or ())))}
    return found.get("DELETE"), found.get("UPDATE")

