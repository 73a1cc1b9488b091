"""Rendered DDL runs on the live PostgreSQL and MariaDB, and `rows_for` rows load and read back exactly.

This checks both halves of the strategies' promise against real engines: the DDL is valid there, and
the generated values (ms timestamps, wide decimals, BMP text, keys unique under case-insensitive
collations, foreign keys that reference existing parents) are stored without loss.
"""

from __future__ import annotations

import datetime as dt
import itertools
import struct
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.live import mariadb_database, postgres_database, require_mariadb, require_postgres
from translator.ddl_render import render_ddl
from translator.ir import Entity, Schema
from translator.strategies import rows_for, schemas
from translator.types import CanonicalType, TypeKind

pytestmark = pytest.mark.live

CASES = schemas(max_entities=4).flatmap(lambda s: st.tuples(st.just(s), rows_for(s, max_rows=5)))
_counter = itertools.count()


def _float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def _comparable(type_: CanonicalType, value: Any, dialect: str) -> Any:
    """A value as the engine hands it back, mapped to what was inserted (documented per-driver forms)."""
    if value is None:
        return None
    kind = type_.kind
    if kind is TypeKind.FLOAT and type_.bits == 32:
        return _float32(value)  # both servers print float4 in its shortest form, e.g. 1.1
    if dialect == "mysql":
        if kind is TypeKind.BOOLEAN:
            return bool(value)  # BOOLEAN is TINYINT(1)
        if kind is TypeKind.UUID:
            return uuid.UUID(value)  # CHAR(36)
        if kind is TypeKind.TIME:
            return (dt.datetime.min + value).time()  # PyMySQL returns TIME as timedelta
        if kind is TypeKind.TIMESTAMP and type_.with_timezone:
            return value.replace(tzinfo=dt.UTC)  # the session runs in UTC
    return value


def _to_mysql(type_: CanonicalType, value: Any) -> Any:
    return str(value) if type_.kind is TypeKind.UUID and value is not None else value


def _check_table(entity: Entity, rows: list[dict[str, Any]], fetched: list[tuple], dialect: str) -> None:
    names = entity.attribute_names
    got = [
        tuple(_comparable(entity.attribute(n).type, v, dialect) for n, v in zip(names, row, strict=False))
        for row in fetched
    ]
    want = [
        tuple(
            row[n]
            if not (
                entity.attribute(n).type.kind is TypeKind.FLOAT
                and entity.attribute(n).type.bits == 32
                and row[n] is not None
            )
            else _float32(row[n])
            for n in names
        )
        for row in rows
    ]
    key = [names.index(c) for c in entity.primary_key]
    got.sort(key=lambda r: repr([r[i] for i in key]))
    want.sort(key=lambda r: repr([r[i] for i in key]))
    assert len(got) == len(want), f"{dialect}: {entity.name} has {len(got)} rows, {len(want)} inserted"
    for g, w in zip(got, want, strict=True):
        for name, gv, wv in zip(names, g, w, strict=False):
            assert gv == wv, (
                f"{dialect}: {entity.name}.{name} {entity.attribute(name).type}: inserted {wv!r}, read {gv!r}"
            )


def _load(
    schema: Schema,
    rows: dict[str, list[dict[str, Any]]],
    dialect: str,
    execute: Callable[[str, tuple], None],
    fetch: Callable[[str], list[tuple]],
    placeholder: str,
) -> None:
    for statement in render_ddl(schema, dialect).split(";\n"):
        if statement.strip():
            execute(statement, ())
    convert = _to_mysql if dialect == "mysql" else (lambda _t, v: v)
    for entity_key, table in rows.items():  # rows_for orders parents before children
        entity = schema.entity(entity_key)
        insert = (
            f"INSERT INTO {entity.name} ({', '.join(entity.attribute_names)}) "
            f"VALUES ({', '.join([placeholder] * len(entity.attributes))})"
        )
        for row in table:
            execute(insert, tuple(convert(entity.attribute(n).type, row[n]) for n in entity.attribute_names))
    for entity in schema.entities:
        # MariaDB prints FLOAT with 6 significant digits; as DOUBLE the stored float32 comes back whole.
        columns = [
            f"CAST({a.name} AS DOUBLE)"
            if dialect == "mysql" and a.type.kind is TypeKind.FLOAT and a.type.bits == 32
            else a.name
            for a in entity.attributes
        ]
        fetched = fetch(f"SELECT {', '.join(columns)} FROM {entity.name}")
        _check_table(entity, rows[entity.key], fetched, dialect)


@pytest.fixture(scope="module")
def pg_connection():
    import psycopg

    params = require_postgres()
    with postgres_database(params, prefix="polyschema_props") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET TIME ZONE 'UTC'")
            yield conn


@pytest.fixture(scope="module")
def mariadb_connection():
    import pymysql

    params = require_mariadb()
    with mariadb_database(params, prefix="polyschema_props") as url:
        name = url.rsplit("/", 1)[1]
        conn = pymysql.connect(
            host=params["host"],
            port=params["port"],
            user=params["user"],
            password="",
            database=name,
            charset="utf8mb4",
            autocommit=True,
            init_command="SET time_zone = '+00:00'",
        )
        with conn.cursor() as cur:
            cur.execute(f"ALTER DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        try:
            yield conn
        finally:
            conn.close()


@settings(max_examples=10)
@given(case=CASES)
def test_rows_load_into_postgres(pg_connection, case) -> None:
    schema, rows = case
    namespace = f"p{next(_counter)}"
    pg_connection.execute(f"CREATE SCHEMA {namespace}")
    pg_connection.execute(f"SET search_path TO {namespace}")
    try:
        _load(
            schema,
            rows,
            "postgres",
            lambda sql, args: pg_connection.execute(sql, args),
            lambda sql: pg_connection.execute(sql).fetchall(),
            "%s",
        )
    finally:
        pg_connection.execute(f"DROP SCHEMA {namespace} CASCADE")


@settings(max_examples=10)
@given(case=CASES)
def test_rows_load_into_mariadb(mariadb_connection, case) -> None:
    schema, rows = case

    def execute(sql: str, args: tuple) -> None:
        with mariadb_connection.cursor() as cur:
            cur.execute(sql, args or None)

    def fetch(sql: str) -> list[tuple]:
        with mariadb_connection.cursor() as cur:
            cur.execute(sql)
            return list(cur.fetchall())

    try:
        _load(schema, rows, "mysql", execute, fetch, "%s")
    finally:
        execute("SET FOREIGN_KEY_CHECKS = 0", ())
        execute(f"DROP TABLE IF EXISTS {', '.join(e.name for e in schema.entities)}", ())
        execute("SET FOREIGN_KEY_CHECKS = 1", ())
