"""PostgreSQL catalog -> IR, with psycopg 3, inside a read-only transaction with a statement timeout."""

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
from translator.introspect.build import quote_identifier as quote
from translator.introspect.postgres_policies import read_row_security
from translator.introspect.url import ConnectionParams
from translator.ir import Attribute, CheckConstraint, Index, Schema
from translator.typemap import TypeMapper
from translator.types import CanonicalType, TypeKind

__all__ = ["DIALECT", "STATEMENT_TIMEOUT_MS", "connect", "resolve_namespaces", "read_schema", "quote"]

DIALECT = "postgres"
STATEMENT_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10

_TABLES = """
SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class'), c.relispartition,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p')
ORDER BY c.oid"""
_COLUMNS = """
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, col_description(a.attrelid, a.attnum),
       t.typtype, t.typname, t.oid, t.typelem, format_type(t.typbasetype, t.typtypmod), tn.nspname
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum"""
_ENUMS = "SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder"
_CONSTRAINTS = """
SELECT con.conrelid, con.conname, con.contype, con.conkey, con.confrelid, con.confkey,
       con.confdeltype, con.confupdtype, pg_get_constraintdef(con.oid, true)
FROM pg_constraint con WHERE con.conrelid = ANY(%s)
ORDER BY con.conrelid, con.oid"""
_INDEXES = """
SELECT i.indrelid, ic.relname, i.indisunique, pg_get_expr(i.indpred, i.indrelid, true), am.amname,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k)
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u'))
ORDER BY i.indrelid, ic.relname"""
#: settings on every session: read-only transactions, and a server-side limit on every statement
_SESSION_OPTIONS = f"-c default_transaction_read_only=on -c statement_timeout={STATEMENT_TIMEOUT_MS}"
#: connection keywords polyschema passes itself (a URL option of the same name would clash), and where they come from
_OWN_SETTINGS = {"host": "the URL's host", "port": "the URL's port", "dbname": "the URL's path",
                 "connect_timeout": f"{CONNECT_TIMEOUT_S} s", "application_name": "polyschema"}
_FK_RULES = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}


@contextmanager
def connect(params: ConnectionParams) -> Iterator[Any]:
    """A connection whose every transaction is read-only and whose statements time out."""
    import psycopg

    extra: dict[str, Any] = dict(params.options)
    clash = sorted(set(extra) & set(_OWN_SETTINGS))
    if clash:
        raise SourceError(f"{params.masked()}: URL option {clash[0]}= is not accepted (polyschema sets it: "
                          f"{_OWN_SETTINGS[clash[0]]}); remove it")
    # The user's `?options=-c search_path=x` come first, so ours (read-only, timeouts) cannot be overridden.
    options = " ".join(filter(None, (extra.pop("options", ""), _SESSION_OPTIONS)))
    try:
        conn = psycopg.connect(
            host=params.host, port=params.port, user=params.user, password=params.password, dbname=params.database,
            connect_timeout=CONNECT_TIMEOUT_S, application_name="polyschema", options=options, **extra,
        )
    except psycopg.Error as exc:
        raise params.problem(exc) from None
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION READ ONLY")
            yield conn
    except psycopg.Error as exc:
        raise params.problem(f"catalog query failed: {exc}") from None
    finally:
        conn.close()


def resolve_namespaces(conn: Any, namespaces: Sequence[str]) -> tuple[list[str], str | None]:
    """(schemas to read, the schema unqualified DDL writes to); unknown --schema names are an error."""
    search = [row[0] for row in conn.execute("SELECT unnest(current_schemas(false))")]
    default = search[0] if search else None
    if not namespaces:
        return search, default
    existing = [row[0] for row in conn.execute("SELECT nspname FROM pg_namespace")]
    return check_namespaces(namespaces, existing, "no such schema in the database"), default


def read_schema(params: ConnectionParams, namespaces: Sequence[str], mapper: TypeMapper, sink: DiagnosticSink) -> Schema:
    with connect(params) as conn:
        chosen, default = resolve_namespaces(conn, namespaces)
        tables: dict[int, TableFacts] = {}
        for oid, nsp, name, comment, is_partition, partkey in conn.execute(_TABLES, (chosen,)):
            if is_partition:
                sink.info("partition-folded", f"{nsp}.{name} is a partition; its parent table stands for it",
                          subject=f"{nsp}.{name}")
                continue
            tables[oid] = TableFacts(entity_namespace(nsp, default), name, comment, partition_by=partkey)
        oids = list(tables)
        enums: dict[int, list[str]] = {}
        for typid, label in conn.execute(_ENUMS):
            enums.setdefault(typid, []).append(label)
        attnames: dict[tuple[int, int], str] = {}
        for row in conn.execute(_COLUMNS, (oids,)):
            relid, attnum, name = row[0], row[1], row[2]
            attnames[relid, attnum] = name
            tables[relid].attributes.append(_attribute(row, enums, default, mapper, sink, f"{tables[relid].key}.{name}"))
        fks: list[ForeignKeyFacts] = []
        for relid, conname, contype, conkey, frelid, fkey, deltype, updtype, definition in conn.execute(_CONSTRAINTS, (oids,)):
            table = tables[relid]
            columns = tuple(attnames[relid, k] for k in conkey or ())
            if contype == "p":
                table.primary_key = columns
            elif contype == "u":
                table.unique_keys.append(columns)
            elif contype == "c":
                table.checks.append(CheckConstraint(conname, _strip_check(definition)))
            elif contype == "f":
                parent = tables.get(frelid)
                fks.append(ForeignKeyFacts(
                    conname, table.key, columns, parent.key if parent else _qualified(conn, frelid),
                    tuple(attnames.get((frelid, k), "?") for k in fkey or ()), _FK_RULES.get(deltype), _FK_RULES.get(updtype)))
            else:
                sink.warning("constraint-skipped", f"constraint {conname} ({definition}) has no IR form",
                             subject=table.key, lost=f"constraint {conname}")
        for relid, name, unique, predicate, method, keys in conn.execute(_INDEXES, (oids,)):
            columns = tuple(_unquote(k) for k in keys)
            tables[relid].indexes.append(Index(name, columns, bool(unique), predicate, method))
        flags, policies = read_row_security(conn, {oid: t.key for oid, t in tables.items()}, sink)
    entities = {t.key: t.entity() for t in tables.values()}
    entities = {k: replace(e, row_security=flags[k][0], force_row_security=flags[k][1]) if k in flags else e
                for k, e in entities.items()}
    relationships = assemble_relationships(entities, fks, sink)
    return Schema(tuple(entities.values()), relationships, tuple(sink), DIALECT, (params.masked(),), policies)


def _attribute(row: tuple, enums: dict[int, list[str]], default_namespace: str | None, mapper: TypeMapper,
               sink: DiagnosticSink, subject: str) -> Attribute:
    _, _, name, type_text, notnull, default, identity, generated, comment, typtype, typname, typoid, typelem, base, typnsp = row
    if typtype == "e":
        # Named like the tables: bare in the namespace unqualified DDL writes to, qualified elsewhere.
        enum_name = typname if typnsp == default_namespace else f"{typnsp}.{typname}"
        canonical = CanonicalType(TypeKind.ENUM, values=tuple(enums.get(typoid, ())), name=enum_name, source=type_text)
        implied_identity = False
    elif typelem and typelem in enums:
        element = CanonicalType(TypeKind.ENUM, values=tuple(enums[typelem]), name=type_text.removesuffix("[]"))
        canonical = CanonicalType(TypeKind.ARRAY, element=element, source=type_text)
        implied_identity = False
    else:
        # A domain is its base type here: its constraint is a CHECK the IR keeps on the domain, not the column.
        canonical, implied_identity = map_type(mapper, base if typtype == "d" else type_text, DIALECT, sink, subject)
    serial = bool(default and default.startswith("nextval(") and not generated)
    return Attribute(
        name=name, type=canonical, nullable=not notnull,
        default=None if serial or generated == "s" or default is None else spell_default(default, canonical, DIALECT),
        identity=bool(identity) or serial or implied_identity,
        generated=default if generated == "s" else None, comment=comment,
    )


def _qualified(conn: Any, oid: int) -> str:
    row = conn.execute("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.oid = %s", (oid,)).fetchone()
    return row[0] if row else str(oid)


def _strip_check(definition: str) -> str:
    text = definition.strip()
    if text.upper().startswith("CHECK"):
        text = text[5:].strip()
    if text.endswith("NOT VALID"):
        text = text[: -len("NOT VALID")].strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _unquote(identifier: str) -> str:
    if len(identifier) > 1 and identifier[0] == identifier[-1] == '"':
        return identifier[1:-1].replace('""', '"')
    return identifier
