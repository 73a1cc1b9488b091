"""MySQL / MariaDB information_schema -> IR, with PyMySQL, in a read-only transaction with a statement timeout."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import SourceError
from translator.introspect.build import (
    ForeignKeyFacts,
    TableFacts,
    assemble_relationships,
    check_namespaces,
    entity_namespace,
    map_type,
    spell_default,
)
from translator.introspect.url import ConnectionParams
from translator.ir import Attribute, CheckConstraint, Index, Schema
from translator.typemap import TypeMapper

__all__ = ["DIALECT", "STATEMENT_TIMEOUT_S", "connect", "resolve_namespaces", "read_schema", "quote"]

DIALECT = "mysql"
STATEMENT_TIMEOUT_S = 30
CONNECT_TIMEOUT_S = 10
#: client-side limit on any one read or write of the socket (the greeting included): a server that accepts and
#: then stalls fails after this long. Longer than the server's own statement limit, which should fire first.
IO_TIMEOUT_S = STATEMENT_TIMEOUT_S + 5

_TABLES = """SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, CREATE_TIME, TABLE_NAME"""
_COLUMNS = """SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
GENERATION_EXPRESSION, COLUMN_COMMENT FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN %s ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"""
_INDEXES = """SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE, SUB_PART
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN %s ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""
_FKS = """SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA IN %s AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"""
# MariaDB (10.2+) names the table in CHECK_CONSTRAINTS; MySQL 8 needs TABLE_CONSTRAINTS for it.
_CHECKS = [
    """SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
    WHERE CONSTRAINT_SCHEMA IN %s ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME""",
    """SELECT t.CONSTRAINT_SCHEMA, t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE
    FROM information_schema.TABLE_CONSTRAINTS t JOIN information_schema.CHECK_CONSTRAINTS c
      ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
    WHERE t.CONSTRAINT_TYPE = 'CHECK' AND t.CONSTRAINT_SCHEMA IN %s""",
]


def quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"


@contextmanager
def connect(params: ConnectionParams) -> Iterator[Any]:
    """A cursor inside `START TRANSACTION READ ONLY`, with the server's statement time limit set."""
    import pymysql

    if params.options:
        raise SourceError(f"{params.masked()}: URL options {', '.join(k for k, _ in params.options)} are not supported "
                          "for MySQL/MariaDB; remove the ?... part")
    try:
        conn = pymysql.connect(host=params.host, port=params.port, user=params.user, password=params.password or "",
                               database=params.database, connect_timeout=CONNECT_TIMEOUT_S, charset="utf8mb4",
                               read_timeout=IO_TIMEOUT_S, write_timeout=IO_TIMEOUT_S)
    except pymysql.MySQLError as exc:
        raise params.problem(exc.args[-1] if exc.args else exc) from None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            mariadb = "mariadb" in str(cur.fetchone()[0]).lower()
            # MariaDB counts seconds in max_statement_time; MySQL counts milliseconds in max_execution_time.
            cur.execute(f"SET SESSION max_statement_time = {STATEMENT_TIMEOUT_S}" if mariadb
                        else f"SET SESSION max_execution_time = {STATEMENT_TIMEOUT_S * 1000}")
            cur.execute("START TRANSACTION READ ONLY")
            yield cur
            cur.execute("ROLLBACK")
    except pymysql.MySQLError as exc:
        raise params.problem(f"catalog query failed: {exc.args[-1] if exc.args else exc}") from None
    finally:
        conn.close()


def resolve_namespaces(cur: Any, params: ConnectionParams, namespaces: Sequence[str]) -> tuple[list[str], str | None]:
    cur.execute("SELECT DATABASE()")
    current = cur.fetchone()[0]
    if not namespaces:
        if not current:
            raise SourceError(f"{params.masked()} names no database; add /DATABASE to the URL or pass --schema")
        return [current], current
    cur.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
    existing = [row[0] for row in cur.fetchall()]
    return check_namespaces(namespaces, existing, "no such database on the server"), current


def read_schema(params: ConnectionParams, namespaces: Sequence[str], mapper: TypeMapper, sink: DiagnosticSink) -> Schema:
    with connect(params) as cur:
        chosen, default = resolve_namespaces(cur, params, namespaces)
        where = (tuple(chosen),)
        tables: dict[tuple[str, str], TableFacts] = {}
        cur.execute(_TABLES, where)
        for schema_name, name, comment in cur.fetchall():
            tables[schema_name, name] = TableFacts(entity_namespace(schema_name, default), name, comment or None)
        cur.execute(_COLUMNS, where)
        for schema_name, table, name, type_text, nullable, default_value, extra, expression, comment in cur.fetchall():
            facts = tables.get((schema_name, table))
            if facts is None:  # a view's columns
                continue
            facts.attributes.append(_attribute(name, type_text, nullable, default_value, extra or "", expression,
                                               comment, mapper, sink, f"{facts.key}.{name}"))
        cur.execute(_INDEXES, where)
        grouped: dict[tuple[str, str, str], list] = {}
        for schema_name, table, index, non_unique, column, method, sub_part in cur.fetchall():
            entry = grouped.setdefault((schema_name, table, index), [bool(int(non_unique)), method, [], []])
            entry[2].append(column)
            entry[3].append(int(sub_part) if sub_part is not None else None)
        for (schema_name, table, index), (non_unique, method, columns, prefixes) in grouped.items():
            facts = tables.get((schema_name, table))
            if facts is None:
                continue
            prefix_lengths = tuple(prefixes) if any(p is not None for p in prefixes) else ()
            if index == "PRIMARY":
                facts.primary_key = tuple(columns)
            elif not non_unique and not prefix_lengths:
                # MySQL keeps no unique constraint apart from its unique index: both are the IR's unique key.
                facts.unique_keys.append(tuple(columns))
            else:
                # A unique key over column prefixes (`uri(190)`) makes only the prefixes unique: an index.
                facts.indexes.append(Index(index, tuple(columns), not non_unique, None, (method or "").lower() or None,
                                           prefix_lengths))
        fks = _foreign_keys(cur, where, tables)
        _checks(cur, where, tables, sink)
        for facts in tables.values():
            _json_columns(facts, mapper, sink)
    entities = {t.key: t.entity() for t in tables.values()}
    return Schema(tuple(entities.values()), assemble_relationships(entities, fks, sink), tuple(sink), DIALECT,
                  (params.masked(),))


def _attribute(name: str, type_text: str, nullable: str, default: Any, extra: str, expression: Any, comment: Any,
               mapper: TypeMapper, sink: DiagnosticSink, subject: str) -> Attribute:
    canonical, implied_identity = map_type(mapper, type_text, DIALECT, sink, subject)
    generated = expression if "GENERATED" in extra.upper() and expression else None
    # MariaDB writes a NULL default as the text 'NULL'; a real string default comes quoted.
    default_text = None if default is None or default == "NULL" or generated else spell_default(str(default), canonical, DIALECT)
    return Attribute(name=name, type=canonical, nullable=nullable == "YES", default=default_text,
                     identity="auto_increment" in extra.lower() or implied_identity, generated=generated,
                     comment=comment or None)


def _foreign_keys(cur: Any, where: tuple, tables: dict[tuple[str, str], TableFacts]) -> list[ForeignKeyFacts]:
    cur.execute(_FKS, where)
    grouped: dict[tuple[str, str, str], dict] = {}
    for schema_name, table, name, column, ref_schema, ref_table, ref_column, on_delete, on_update in cur.fetchall():
        entry = grouped.setdefault((schema_name, table, name), {"cols": [], "ref_cols": [], "ref": (ref_schema, ref_table),
                                                                "rules": (on_delete, on_update)})
        entry["cols"].append(column)
        entry["ref_cols"].append(ref_column)
        # InnoDB checks RESTRICT as NO ACTION, and MariaDB reports RESTRICT for a key written without a clause:
        # both are the default, None, as the DDL reader keeps them.
        entry["rules"] = tuple(None if (rule or "").upper() in ("RESTRICT", "NO ACTION") else rule
                               for rule in (on_delete, on_update))
    out = []
    for (schema_name, table, name), entry in grouped.items():
        child = tables.get((schema_name, table))
        if child is None:
            continue
        parent = tables.get(entry["ref"])
        out.append(ForeignKeyFacts(name, child.key, tuple(entry["cols"]),
                                   parent.key if parent else ".".join(entry["ref"]), tuple(entry["ref_cols"]),
                                   *entry["rules"]))
    return out


def _checks(cur: Any, where: tuple, tables: dict[tuple[str, str], TableFacts], sink: DiagnosticSink) -> None:
    import pymysql

    for query in _CHECKS:
        try:
            cur.execute(query, where)
        except pymysql.MySQLError:
            continue
        for schema_name, table, name, clause in cur.fetchall():
            facts = tables.get((schema_name, table))
            if facts is not None:
                facts.checks.append(CheckConstraint(name, clause))
        return
    sink.info("checks-unavailable", "this server's information_schema has no CHECK_CONSTRAINTS; CHECK constraints not read")


def _json_columns(facts: TableFacts, mapper: TypeMapper, sink: DiagnosticSink) -> None:
    """MariaDB stores JSON as LONGTEXT plus a CHECK (json_valid(`col`)) named after the column: read it back as JSON."""
    for check in list(facts.checks):
        for i, attribute in enumerate(facts.attributes):
            if check.name == attribute.name and check.expression.replace(" ", "") == f"json_valid({quote(attribute.name)})":
                json_type, _ = map_type(mapper, "json", DIALECT, sink, f"{facts.key}.{attribute.name}")
                facts.attributes[i] = replace(attribute, type=json_type.with_source(f"json ({attribute.type.source})"))
                facts.checks.remove(check)
