"""Live database helpers for tests: find the servers, or skip with the reason (fail under POLYSCHEMA_REQUIRE_LIVE=1).

Also: throwaway databases loaded from a DDL file, dropped at the end.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

__all__ = ["require_postgres", "require_mariadb", "strip_database_switches", "postgres_database", "mariadb_database",
           "REQUIRE_LIVE_ENV"]

REQUIRE_LIVE_ENV = "POLYSCHEMA_REQUIRE_LIVE"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root"}

# Lines that create, drop or switch databases: the file must load into the throwaway database instead.
_SWITCH = re.compile(r"^\s*(create\s+(database|schema)|drop\s+(database|schema)|use\s|\\c(onnect)?\s)", re.IGNORECASE)


def _unavailable(what: str, reason: object) -> None:
    message = f"{what} is not reachable ({' '.join(str(reason).split())}); set {REQUIRE_LIVE_ENV}=1 to make this a failure"
    if os.environ.get(REQUIRE_LIVE_ENV) == "1":
        pytest.fail(f"{REQUIRE_LIVE_ENV}=1 but {what} is not reachable: {' '.join(str(reason).split())}", pytrace=False)
    pytest.skip(message)


def require_postgres(host: str = PG["host"], port: int = PG["port"], user: str = PG["user"]) -> dict:
    """Connection parameters of the live PostgreSQL, or skip (fail under POLYSCHEMA_REQUIRE_LIVE=1)."""
    import psycopg

    try:
        psycopg.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error as exc:
        _unavailable(f"PostgreSQL at {host}:{port}", exc)
    return {"host": host, "port": port, "user": user}


def require_mariadb(host: str = MARIADB["host"], port: int = MARIADB["port"], user: str = MARIADB["user"]) -> dict:
    """Connection parameters of the live MariaDB/MySQL, or skip (fail under POLYSCHEMA_REQUIRE_LIVE=1)."""
    import pymysql

    try:
        pymysql.connect(host=host, port=port, user=user, password="", connect_timeout=3).close()
    except pymysql.MySQLError as exc:
        _unavailable(f"MariaDB at {host}:{port}", exc)
    return {"host": host, "port": port, "user": user}


def strip_database_switches(sql: str) -> str:
    """`sql` without CREATE/DROP DATABASE|SCHEMA, USE and \\c lines (as corpus/truth/README.md describes)."""
    return "\n".join(line for line in sql.splitlines() if not _SWITCH.match(line))


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@contextmanager
def postgres_database(params: dict, sql: str | None = None, prefix: str = "polyschema_t",
                      strip: bool = True, force: bool = False) -> Iterator[str]:
    """A fresh database loaded with `sql` through `psql`; yields its URL and drops it afterwards.

    `strip=False` keeps CREATE SCHEMA lines (a test that makes its own namespaces); `force=True` goes on
    past failing statements (an extension that is not installed here), and the caller checks what loaded.
    """
    import psycopg

    name = _name(prefix)
    admin = dict(params, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        if sql is not None:
            done = subprocess.run(
                ["psql", "-h", params["host"], "-p", str(params["port"]), "-U", params["user"], "-d", name,
                 "-q", "-v", f"ON_ERROR_STOP={0 if force else 1}", "-f", "-"],
                input=strip_database_switches(sql) if strip else sql, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, f"psql could not load the file: {done.stderr[-2000:]}"
        yield f"postgresql://{params['user']}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def mariadb_database(params: dict, sql: str | None = None, prefix: str = "polyschema_t",
                     force: bool = False) -> Iterator[str]:
    """A fresh MariaDB database loaded with `sql` through the `mysql` client; yields its URL, dropped afterwards.

    `force=True` goes on past failing statements (sakila's views name the `sakila` database explicitly);
    the caller then checks what did load.
    """
    import pymysql

    name = _name(prefix)
    admin = dict(params, password="", autocommit=True)
    with pymysql.connect(**admin) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}`")
    try:
        if sql is not None:
            done = subprocess.run(
                ["mysql", "-h", params["host"], "-P", str(params["port"]), "-u", params["user"], name]
                + (["--force"] if force else []),
                input=strip_database_switches(sql), capture_output=True, text=True, timeout=120)
            assert force or done.returncode == 0, f"mysql could not load the file: {done.stderr[-2000:]}"
        yield f"mysql://{params['user']}@{params['host']}:{params['port']}/{name}"
    finally:
        with pymysql.connect(**admin) as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
