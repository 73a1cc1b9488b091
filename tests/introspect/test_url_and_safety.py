"""URLs, password masking, one-line connection errors, read-only connections, the live-server helpers."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.live import REQUIRE_LIVE_ENV, postgres_database, require_mariadb, require_postgres
from translator.errors import ConnectionProblem, SourceError
from translator.introspect import introspect_schema
from translator.introspect.url import mask_url, parse_url


def test_parse_url_fills_from_environment():
    env = {"PGPASSWORD": "s3cret", "PGUSER": "alice", "PGHOST": "db.example", "PGPORT": "6543"}
    params = parse_url("postgresql:///shop", env)
    assert (params.host, params.port, params.user, params.password, params.database) == (
        "db.example",
        6543,
        "alice",
        "s3cret",
        "shop",
    )
    assert "s3cret" not in repr(params) and params.masked() == "postgresql://alice:***@db.example:6543/shop"
    mysql = parse_url("mariadb://bob@h/x", {"MYSQL_PWD": "pw"})
    assert (mysql.engine, mysql.port, mysql.password) == ("mysql", 3306, "pw")
    assert parse_url("sqlite:///rel/a.db", {}).path == "rel/a.db"
    assert parse_url("sqlite:////abs/a.db", {}).path == "/abs/a.db"
    for url in ("sqlite:///rel/a.db", "sqlite:////abs/a.db", "postgresql://u:pw@h:1/d", "mysql://u@h:2/d"):
        params = parse_url(url, {})
        assert parse_url(params.masked(), {}).where == params.where


@pytest.mark.parametrize(
    "url, message",
    [
        ("oracle://h/db", "scheme 'oracle' is not supported"),
        ("postgresql://u:pw@h:99999/db", "port is not a number"),
        ("sqlite://", "names no file"),
        ("localhost/db", "is not a URL"),
        ("sqlite:///a.db?mode=rw", "take no \\?options"),
    ],
)
def test_bad_urls_are_source_errors(url, message):
    with pytest.raises(SourceError, match=message) as info:
        parse_url(url, {})
    assert "pw@" not in str(info.value)


passwords = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=4, max_size=20).filter(
    lambda p: p.strip() == p and p not in "postgresql://user@127.0.0.1:1/db***"
)


@given(passwords)
def test_password_never_in_masked_url_or_error(password):
    from urllib.parse import quote

    url = f"postgresql://user:{quote(password, safe='')}@127.0.0.1:1/db"
    params = parse_url(url, {})
    assert params.password == password
    problem = params.problem(f"server said: password {password} is wrong for {url}")
    texts = (params.masked(), str(problem), mask_url(url), repr(params))
    # A password such as "None" or "127." also spells text that is there for any password: not a leak.
    other = parse_url("postgresql://user:Zq8vK3wX@127.0.0.1:1/db", {})
    neutral = " ".join(
        (
            other.masked(),
            str(other.problem("server said: password Zq8vK3wX is wrong")),
            repr(other),
            "user:***@127.0.0.1:1/db",
        )
    )
    assume(password not in neutral and quote(password, safe="") not in neutral)
    for text in texts:
        assert password not in text and quote(password, safe="") not in text


def test_wrong_port_is_one_line_connection_problem():
    with pytest.raises(ConnectionProblem) as info:
        introspect_schema("postgresql://postgres:topsecret@127.0.0.1:1/postgres")
    message = str(info.value)
    assert "\n" not in message and "topsecret" not in message
    assert message.startswith("cannot connect to postgresql://postgres:***@127.0.0.1:1/postgres (127.0.0.1:1): ")


def test_missing_sqlite_file(tmp_path):
    with pytest.raises(ConnectionProblem, match="no such file"):
        introspect_schema(f"sqlite:///{tmp_path}/none.db")


def test_sqlite_connection_is_read_only(tmp_path):
    from translator.introspect.sqlite import connect

    path = tmp_path / "a.db"
    sqlite3.connect(path).executescript("CREATE TABLE t (id INTEGER PRIMARY KEY);")
    with pytest.raises(ConnectionProblem, match="readonly"):
        with connect(parse_url(f"sqlite:///{path}", {})) as conn:
            conn.execute("INSERT INTO t VALUES (1)")
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


@pytest.mark.live
def test_postgres_connection_is_read_only_with_timeout():
    from translator.introspect.postgres import STATEMENT_TIMEOUT_MS, connect

    params = require_postgres()
    with postgres_database(params) as url:
        with connect(parse_url(url, {})) as conn:
            assert conn.execute("SHOW statement_timeout").fetchone()[0] == f"{STATEMENT_TIMEOUT_MS // 1000}s"
            assert conn.execute("SHOW transaction_read_only").fetchone()[0] == "on"
        with pytest.raises(ConnectionProblem, match="read-only transaction"):
            with connect(parse_url(url, {})) as conn:
                conn.execute("CREATE TABLE t (id int)")


@pytest.mark.live
def test_mariadb_connection_is_read_only():
    from translator.introspect.mysql import STATEMENT_TIMEOUT_S, connect

    params = require_mariadb()
    from tests.live import mariadb_database

    with mariadb_database(params, "CREATE TABLE t (id INT PRIMARY KEY);") as url:
        with connect(parse_url(url, {})) as cur:
            cur.execute("SELECT @@max_statement_time")
            assert float(cur.fetchone()[0]) == STATEMENT_TIMEOUT_S
        with pytest.raises(ConnectionProblem, match="READ ONLY"):
            with connect(parse_url(url, {})) as cur:
                cur.execute("INSERT INTO t VALUES (1)")


def test_require_helpers_skip_or_fail_on_bogus_port(monkeypatch):
    monkeypatch.delenv(REQUIRE_LIVE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="not reachable"):
        require_postgres(port=1)
    with pytest.raises(pytest.skip.Exception, match="not reachable"):
        require_mariadb(port=1)
    monkeypatch.setenv(REQUIRE_LIVE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="POLYSCHEMA_REQUIRE_LIVE=1 but PostgreSQL"):
        require_postgres(port=1)
    with pytest.raises(pytest.fail.Exception, match="POLYSCHEMA_REQUIRE_LIVE=1 but MariaDB"):
        require_mariadb(port=1)


@pytest.mark.parametrize(
    "require, url, wanted, expected",
    [
        (
            require_postgres,
            "postgresql://postgres@127.0.0.1:5432/postgres",
            "publik",
            "--schema 'publik': no such schema in the database; did you mean 'public'?",
        ),
        (
            require_mariadb,
            "mysql://root@127.0.0.1:3306/",
            "informaton_schema",
            "--schema 'informaton_schema': no such database on the server; did you mean 'information_schema'?",
        ),
    ],
)
def test_unknown_schema_is_one_line_error_with_closest_name(require, url, wanted, expected):
    require()
    with pytest.raises(SourceError) as info:
        introspect_schema(url, namespaces=(wanted,))
    assert str(info.value) == expected


@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1),
        min_size=1,
        max_size=2,
    )
)
def test_quoted_identifiers_read_back_unchanged(parts):
    """Any name, quotes and dots included, is one identifier to SQLite once quoted (PostgreSQL shares the quoting)."""
    from translator.introspect.build import quote_identifier
    from translator.introspect.postgres import quote as pg_quote
    from translator.introspect.sqlite import quote as sqlite_quote

    # SQLite reserves these schema names and this table-name prefix whatever the quoting.
    assume(parts[0].casefold() not in ("main", "temp") and not parts[-1].casefold().startswith("sqlite_"))
    assert pg_quote is sqlite_quote is quote_identifier
    with sqlite3.connect(":memory:") as conn:
        cursor = conn.execute(f"SELECT 1 AS {quote_identifier(parts[-1])}")
        assert cursor.description[0][0] == parts[-1]
        conn.execute(f"ATTACH ':memory:' AS {quote_identifier(parts[0])}")
        conn.execute(f"CREATE TABLE {quote_identifier(parts[0], parts[-1])} (x)")
        assert conn.execute(f"SELECT name FROM {quote_identifier(parts[0])}.sqlite_master").fetchone()[0] == parts[-1]
