"""Last resort for a CREATE TABLE sqlglot still refuses: read it one column (or constraint) at a time.

The table name and every element that parses on its own are kept; a column whose type sqlglot cannot
read (a `CUBE`, a vendor type) is kept with canonical type `other` and its source text; only an element
that fails even then is lost, and each loss is a diagnostic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

if TYPE_CHECKING:
    from translator.ingest.statements import _Reader

__all__ = ["salvage_create_table"]

_COLUMN = re.compile(
    r"^\s*(?P<name>\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|[\w$#]+)\s+"
    r"(?P<type>[\w$.\"]+(\s+(precision|varying|sub_type\s+\w+))?(\s*\([^)]*\))?(\s*\[\s*\])*)(?P<rest>.*)$",
    re.I | re.S,
)
_CONSTRAINT_START = re.compile(r"^\s*(CONSTRAINT|PRIMARY|UNIQUE|FOREIGN|CHECK|KEY|INDEX|EXCLUDE|FULLTEXT|SPATIAL)\b", re.I)


def _body(tokens: list[Token]) -> tuple[int, int] | None:
    """Token positions of the outer parentheses holding the column list."""
    start = next((i for i, t in enumerate(tokens) if t.token_type is TokenType.L_PAREN), None)
    if start is None:
        return None
    depth = 0
    for position in range(start, len(tokens)):
        kind = tokens[position].token_type
        depth += (kind is TokenType.L_PAREN) - (kind is TokenType.R_PAREN)
        if depth == 0:
            return start, position
    return None


def _elements(text: str, tokens: list[Token], start: int, end: int) -> list[tuple[str, int]]:
    """(element text, line within text) for each top-level comma-separated element."""
    out, depth, first = [], 0, start + 1
    for position in range(start + 1, end + 1):
        kind = tokens[position].token_type
        if kind is TokenType.L_PAREN:
            depth += 1
        elif kind is TokenType.R_PAREN and position != end:
            depth -= 1
        if position == end or (kind is TokenType.COMMA and depth == 0):
            if first < position:
                piece = text[tokens[first].start : tokens[position - 1].end + 1]
                out.append((piece, tokens[first].line))
            first = position + 1
    return out


def salvage_create_table(reader: _Reader, text: str, line: int, original: str) -> exp.Create | None:
    tokens = reader.tokenize(text)
    if not tokens:
        return None
    span = _body(tokens)
    if span is None:
        return None
    start, end = span
    prefix = text[: tokens[start].start]
    suffix = text[tokens[end].end + 1 :]
    shell = reader.parse_text(f"{prefix}(polyschema_probe INT){suffix}")
    suffix_dropped = not isinstance(shell, exp.Create) and bool(suffix.strip())
    if suffix_dropped:
        shell = reader.parse_text(f"{prefix}(polyschema_probe INT)")
    if not isinstance(shell, exp.Create) or not isinstance(shell.this, exp.Schema):
        return None
    kept: list[exp.Expr] = []
    for element, element_line in _elements(text, tokens, start, end):
        parsed = _parse_element(reader, element)
        where = reader.where(line + element_line - 1, element)
        if parsed is not None:
            kept.append(parsed)
            continue
        keyword_named = _keyword_named_column(reader, element)
        if keyword_named is not None:
            kept.append(keyword_named)
            continue
        column = None if _CONSTRAINT_START.match(element) else _COLUMN.match(element)
        if column is not None:
            parsed = _parse_element(reader, f"{column['name']} TEXT {column['rest']}")
            if parsed is not None and isinstance(parsed, exp.ColumnDef):
                type_text = " ".join(column["type"].split())
                parsed.set("kind", exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=type_text))
                kept.append(parsed)  # the type mapper reports the unknown type when the column is built
                continue
        reader.sink.error("unparsed-element", "could not read this part of a CREATE TABLE", lost="this column or constraint", **where)
    if not kept:
        return None
    shell.this.set("expressions", kept)
    where = reader.where(line, original)
    if suffix_dropped:
        reader.sink.warning("salvaged-table", "CREATE TABLE read one element at a time after sqlglot refused it whole",
                            lost=f"table options after the column list: {' '.join(suffix.split())[:60]}", **where)
    else:
        reader.sink.info("salvaged-table", "CREATE TABLE read one element at a time after sqlglot refused it whole", **where)
    return shell


def _keyword_named_column(reader: _Reader, element: str) -> exp.ColumnDef | None:
    """A column named with a word the dialect reads as a keyword only where it starts a clause (PostgreSQL's
    `exclude`, `period`): read with the name quoted, then given back its unquoted spelling."""
    match = re.match(r"\s*([A-Za-z_]\w*)(\s.*)$", element, re.S)
    if match is None:
        return None
    quoted = exp.to_identifier(match[1], quoted=True).sql(dialect=reader.dialect)
    parsed = _parse_element(reader, quoted + match[2])
    if not isinstance(parsed, exp.ColumnDef):
        return None
    kind = parsed.args.get("kind")
    if not isinstance(kind, exp.DataType) or kind.this is exp.DataType.Type.USERDEFINED:
        return None  # `CONSTRAINT x CHECK (...)` must not become a column `constraint` of type `x`
    parsed.set("this", exp.to_identifier(match[1]))
    return parsed


def _parse_element(reader: _Reader, element: str) -> exp.Expr | None:
    parsed = reader.parse_text(f"CREATE TABLE polyschema_probe ({element})")
    if isinstance(parsed, exp.Create) and isinstance(parsed.this, exp.Schema) and len(parsed.this.expressions) == 1:
        return parsed.this.expressions[0]
    return None
