"""SQLite file -> IR, with the standard library's sqlite3, opened read-only (`mode=ro` URI)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from translator.diagnostics import DiagnosticSink
from translator.errors import SourceError
from translator.introspect.build import (
    ForeignKeyFacts,
    TableFacts,
    assemble_relationships,
    map_type,
)
from translator.introspect.build import quote_identifier as quote
from translator.introspect.url import ConnectionParams
from translator.ir import Attribute, Index, Schema
from translator.typemap import TypeMapper

__all__ = ["DIALECT", "connect", "read_schema", "quote"]

DIALECT = "sqlite"
BUSY_TIMEOUT_S = 30.0


@contextmanager
def connect(params: ConnectionParams) -> Iterator[sqlite3.Connection]:
    """A read-only connection: the file is opened with `mode=ro`, so no statement can change it."""
    path = Path(str(params.path))
    if not path.is_file():
        raise params.problem("no such file")
    try:
        conn = sqlite3.connect(f"file:{url_quote(str(path.resolve()))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise params.problem(exc) from None
    try:
        yield conn
    except sqlite3.Error as exc:
        raise params.problem(f"catalog query failed: {exc}") from None
    finally:
        conn.close()


def read_schema(params: ConnectionParams, namespaces: Sequence[str], mapper: TypeMapper, sink: DiagnosticSink) -> Schema:
    if any(n != "main" for n in namespaces):
        raise SourceError(f"--schema {', '.join(namespaces)}: a SQLite file has only the schema 'main'")
    with connect(params) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                            "ORDER BY rowid").fetchall()
        index_sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall())
        tables = {name: _table(conn, name, sql or "", index_sql, mapper, sink) for name, sql in rows}
        fks = [fk for name in tables for fk in _foreign_keys(conn, name, tables)]
    entities = {t.key: t.entity() for t in tables.values()}
    return Schema(tuple(entities.values()), assemble_relationships(entities, fks, sink), tuple(sink), DIALECT,
                  (params.masked(),))


def _table(conn: sqlite3.Connection, name: str, sql: str, index_sql: dict[str, Any], mapper: TypeMapper,
           sink: DiagnosticSink) -> TableFacts:
    facts = TableFacts(None, name)
    pk: list[tuple[int, str]] = []
    # table_xinfo also lists generated columns (hidden 2 = virtual, 3 = stored); hidden 1 is a virtual table's own.
    for _, column, type_text, notnull, default, pk_pos, hidden in conn.execute(f"PRAGMA table_xinfo({quote(name)})"):
        if hidden == 1:
            continue
        canonical, implied = map_type(mapper, type_text or "BLOB", DIALECT, sink, f"{name}.{column}")
        if pk_pos:
            pk.append((pk_pos, column))
        facts.attributes.append(Attribute(column, canonical, not notnull, default, implied,
                                          "generated" if hidden in (2, 3) else None))
    facts.primary_key = tuple(c for _, c in sorted(pk))
    if len(pk) == 1 and "AUTOINCREMENT" in sql.upper():
        facts.attributes = [replace(a, identity=True) if a.name == pk[0][1] else a for a in facts.attributes]
    for _, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({quote(name)})"):
        columns = tuple(row[2] for row in conn.execute(f"PRAGMA index_info({quote(index)})"))
        if origin == "pk":
            continue
        if origin == "u":
            facts.unique_keys.append(columns)
        else:
            facts.indexes.append(Index(index, columns, bool(unique), _predicate(index_sql.get(index)) if partial else None))
    return facts


def _predicate(sql: str | None) -> str | None:
    if not sql:
        return None
    upper = sql.upper()
    cut = upper.rfind(" WHERE ")
    return sql[cut + 7:].strip().rstrip(";") if cut >= 0 else None


def _foreign_keys(conn: sqlite3.Connection, name: str, tables: dict[str, TableFacts]) -> list[ForeignKeyFacts]:
    grouped: dict[int, list[tuple]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list({quote(name)})"):
        grouped.setdefault(row[0], []).append(row)
    by_folded = {t.casefold(): t for t in tables}
    out = []
    for fk_id, rows in sorted(grouped.items()):
        rows.sort(key=lambda r: r[1])
        parent = by_folded.get(rows[0][2].casefold())
        parent_columns = tuple(r[4] for r in rows)
        if parent is not None and any(c is None for c in parent_columns):  # REFERENCES parent without columns
            parent_columns = tables[parent].primary_key
        out.append(ForeignKeyFacts(f"{name}_fk{fk_id}", name, tuple(r[3] for r in rows), parent, parent_columns,
                                   rows[0][6], rows[0][5]))
    return out
