"""Reading sqlglot nodes: names, table references, column lists, referential actions, type text as written."""

from __future__ import annotations

import re

from sqlglot import exp

__all__ = ["name_of", "table_ref", "column_names", "referential_actions", "written_type"]

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
    return (table.args.get("db").name if table.args.get("db") else None), table.name


def column_names(nodes: list) -> tuple[str, ...]:
    out = []
    for node in nodes or ():
        if isinstance(node, exp.Ordered) and not isinstance(node.this, (exp.Column, exp.Identifier)):
            out.append(node.this.sql())
        elif isinstance(node, (exp.Identifier, exp.Column, exp.Ordered)):
            out.append(name_of(node))
        elif isinstance(node, exp.Schema):
            out.extend(column_names(node.expressions))
    return tuple(n for n in out if n)


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


def referential_actions(options: list) -> tuple[str | None, str | None]:
    found = {m.group(1).upper(): " ".join(m.group(2).lower().split()) for m in _ACTION.finditer(" ".join(map(str, options or ())))}
    return found.get("DELETE"), found.get("UPDATE")

