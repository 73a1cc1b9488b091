"""simulate --data on live PostgreSQL and MariaDB: 2 million rows with zipf-skewed tenants, a serial id and a
timestamp, checked against independent computations (PostgreSQL's own hash in SQL, cassandra-driver's
Murmur3Token, MongoDB's hash64 reference), a Dask LocalCluster, a Parquet export, read-only safety,
bounded memory and one-line errors. Skipped when the servers are down; failing under POLYSCHEMA_REQUIRE_LIVE=1.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from simulator.errors import SimulatorError
from simulator.realdata import simulate_table
from simulator.realdata.api import store_rng
from simulator.realdata.tables import ReadOptions
from simulator.realdata.url import parse_source
from simulator.ring import random_ring
from simulator.stores import StoreConfig
from tests.live import mariadb_database, postgres_database, require_mariadb, require_postgres
from translator.cli import main

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
BIG, SMALL = 2_000_000, 200_000
CONFIG = StoreConfig(row_bytes=100)
CITUS = StoreConfig(shards=32, nodes=4, row_bytes=100)
# Tenants from integer arithmetic alone (both servers compute the same rows): t = a hash of the id
# scaled to 0..1,000,225; tenant = t^3 / 10^15 + 1 puts ~10% of rows on tenant 1 (a cubic, zipf-like skew).
PG_ROWS = """
INSERT INTO {table} (id, tenant_id, created_at)
SELECT g, (t * t * t) / 1000000000000000 + 1, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(1, {rows}) g, LATERAL (SELECT ((g * 2654435761) % 4294967296) / 4294 AS t) s
"""
MARIA_ROWS = """
INSERT INTO events
SELECT seq, (t * t * t) DIV 1000000000000000 + 1, TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND
FROM (SELECT seq, ((seq * 2654435761) MOD 4294967296) DIV 4294 AS t FROM seq_1_to_{rows}) s
"""


@pytest.fixture(scope="module")
def pg_url():
    import psycopg

    params = require_postgres()
    with postgres_database(params, prefix="polyschema_data") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            for table, rows in (("events", BIG), ("events_small", SMALL)):
                conn.execute(
                    f"CREATE TABLE {table} (id bigint PRIMARY KEY, tenant_id int NOT NULL, "
                    "created_at timestamptz NOT NULL)"
                )
                conn.execute(PG_ROWS.format(table=table, rows=rows))
                conn.execute(f"ANALYZE {table}")
        yield url


@pytest.fixture(scope="module")
def maria_url():
    import pymysql

    params = require_mariadb()
    with mariadb_database(params, prefix="polyschema_data") as url:
        db = url.rsplit("/", 1)[1]
        with pymysql.connect(**params, password="", database=db, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute(
                "CREATE TABLE events (id BIGINT PRIMARY KEY, tenant_id INT NOT NULL, created_at DATETIME NOT NULL)"
            )
            cur.execute(MARIA_ROWS.format(rows=BIG))
            cur.execute("ANALYZE TABLE events")
        yield url


@pytest.fixture(scope="module")
def pg_runs(pg_url):
    """One in-process run per store, shared by the checks below."""
    return {
        "citus": simulate_table(pg_url, "events", ["tenant_id", "id"], "citus", config=CITUS),
        "cassandra": simulate_table(pg_url, "events", ["tenant_id", "hashed(id)"], "cassandra", config=CONFIG),
        # A range size no tenant reaches: no splits, no migrations, so a value's shard follows from its hash alone.
        "mongodb-hashed": simulate_table(
            pg_url,
            "events",
            ["tenant_id"],
            "mongodb-hashed",
            config=StoreConfig(shards=4, range_size_mb=1e6, row_bytes=100),
        ),
    }


def _pg(url, sql, params=()):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params or None).fetchall()


def _counts(url, column):
    rows = _pg(url, f"SELECT {column}, count(*) FROM events GROUP BY 1")
    return np.array([r[0] for r in rows], np.int64), np.array([r[1] for r in rows], np.int64)


def test_citus_counts_equal_postgres_hash_in_sql(pg_url, pg_runs):
    run = pg_runs["citus"]
    assert run.rows_read == BIG and len(run.info.ranges) >= 2
    for result, expr in zip(run.results, ("hashint4(tenant_id)", "hashint8(id)"), strict=True):
        # Citus: shard i holds hashes from INT32_MIN + i * (2^32 / 32); shards placed round-robin on 4 workers.
        rows = _pg(
            pg_url,
            f"SELECT least(({expr}::int8 + 2147483648) / (4294967296 / 32), 31) % 4, count(*) "
            "FROM events GROUP BY 1 ORDER BY 1",
        )
        assert result.per_shard_rows.tolist() == [n for _, n in rows]


def test_cassandra_counts_equal_driver_murmur3(pg_url, pg_runs):
    from cassandra.metadata import Murmur3Token

    ring = random_ring(6, 16, store_rng(0))  # the ring the model drew: what is checked here is the hashing
    for result, column in zip(pg_runs["cassandra"].results, ("tenant_id", "id"), strict=True):
        values, counts = _counts(pg_url, column)
        expected = np.bincount(_nodes(ring, values, Murmur3Token), weights=counts, minlength=6).astype(np.int64)
        assert result.per_shard_rows.tolist() == expected.tolist()


def _nodes(ring, values, token_class):
    tokens = np.array([token_class.from_key(struct.pack(">q", int(v))).value for v in values], np.int64)
    idx = np.searchsorted(ring.tokens, tokens, side="left")  # the range (previous token, token]
    idx[idx == ring.tokens.size] = 0  # past the last token: wraps to the first
    return ring.owners[idx]


def test_mongodb_hashed_counts_equal_hash64_reference(pg_url, pg_runs):
    from tests.simulator.test_hashing import reference_hash

    result = pg_runs["mongodb-hashed"].results[0]
    values, counts = _counts(pg_url, "tenant_id")
    hashes = np.array([reference_hash(int(v)) for v in values], np.int64)
    # 2 initial chunks per shard, split evenly over the hash space; nothing split or moved since.
    chunk = ((hashes.view(np.uint64) ^ np.uint64(1 << 63)) >> np.uint64(61)).astype(np.int64)
    expected = np.bincount(chunk // 2, weights=counts, minlength=4).astype(np.int64)
    assert result.per_shard_rows.tolist() == expected.tolist()
    assert result.details["migrations"] == 0


def test_key_characteristics_from_the_real_values(pg_url, pg_runs):
    values, counts = _counts(pg_url, "tenant_id")
    tenant, ids = pg_runs["citus"].results
    assert tenant.characteristics.distinct_values == values.size
    assert tenant.characteristics.most_common[0] == (str(values[np.argmax(counts)]), int(counts.max()))
    assert not tenant.characteristics.monotonic
    assert ids.characteristics.distinct_values == BIG and ids.characteristics.monotonic


def _cli_json(*args):
    result = CliRunner().invoke(main, ["simulate", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_local_cluster_gives_the_same_json(pg_url):
    args = [
        "--store",
        "mongodb-range",
        "--key",
        "tenant_id",
        "--data",
        pg_url,
        "--entity",
        "events",
        "--row-bytes",
        "100",
        "--range-size-mb",
        "8",
    ]
    assert _cli_json(*args) == _cli_json(*args, "--workers", "2")


def test_parquet_export_gives_the_same_result(pg_url, pg_runs, tmp_path):
    import pyarrow.csv as pacsv

    # Exported by psql's own \copy (CSV), converted to Parquet by pyarrow: no code under test involved.
    host, port, user, db = "127.0.0.1", "5432", "postgres", pg_url.rsplit("/", 1)[1]
    csv = tmp_path / "events.csv"
    subprocess.run(
        [
            "psql",
            "-h",
            host,
            "-p",
            port,
            "-U",
            user,
            "-d",
            db,
            "-q",
            "-c",
            f"\\copy (SELECT id, tenant_id, created_at FROM events ORDER BY id) TO '{csv}' CSV HEADER",
        ],
        check=True,
        timeout=120,
    )
    table = pacsv.read_csv(
        csv,
        convert_options=pacsv.ConvertOptions(
            column_types={"id": pa.int64(), "tenant_id": pa.int32(), "created_at": pa.timestamp("us", tz="UTC")}
        ),
    )
    out = tmp_path / "parquet"
    out.mkdir()
    half = BIG // 2
    pq.write_table(table.slice(0, half), out / "a.parquet", row_group_size=400_000)
    pq.write_table(table.slice(half), out / "b.parquet", row_group_size=400_000)
    files = simulate_table(str(out), None, ["tenant_id", "id"], "citus", config=CITUS, order_by="id")
    assert len(files.info.ranges) == 6
    assert [r.to_dict() for r in files.results] == [r.to_dict() for r in pg_runs["citus"].results]


def test_mariadb_gives_the_same_result_as_postgres(maria_url, pg_runs):
    run = simulate_table(maria_url, "events", ["tenant_id", "id"], "citus", config=CITUS)
    assert run.rows_read == BIG and len(run.info.ranges) >= 2
    assert [r.to_dict() for r in run.results] == [r.to_dict() for r in pg_runs["citus"].results]


def _pg_fingerprint(url):
    return _pg(
        url,
        """
        SELECT (SELECT md5(string_agg(e::text, ',' ORDER BY id)) FROM events_small e),
               (SELECT md5(string_agg(c.relname || c.relkind::text || c.relpages, ',' ORDER BY c.relname))
                  FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace),
               (SELECT md5(string_agg(a.attrelid::regclass || a.attname || a.atttypid, ',' ORDER BY 1))
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 WHERE c.relnamespace = 'public'::regnamespace),
               (SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables)""",
    )[0]


def test_nothing_is_written_and_writes_fail(pg_url, maria_url):
    from simulator.realdata import mysql, postgres

    before = _pg_fingerprint(pg_url)
    simulate_table(pg_url, "events_small", ["tenant_id", "hashed(id)"], "cassandra", workers=None, sample=0.5)
    simulate_table(pg_url, "events_small", ["tenant_id", "created_at"], "mongodb-range")
    assert _pg_fingerprint(pg_url) == before
    with (
        pytest.raises(SimulatorError, match="read-only transaction"),
        postgres.connect(parse_source(pg_url), ReadOptions()) as conn,
    ):
        conn.execute("INSERT INTO events_small VALUES (0, 1, now())")
    with (
        pytest.raises(SimulatorError, match="READ ONLY"),
        mysql.connect(parse_source(maria_url), ReadOptions()) as conn,
        conn.cursor() as cur,
    ):
        cur.execute("INSERT INTO events VALUES (0, 1, NOW())")


def test_peak_memory_does_not_grow_with_the_table(pg_url):
    script = (
        "import resource, sys\n"
        "from simulator.realdata import simulate_table\n"
        "from simulator.realdata.partial import Limits\n"
        "simulate_table(sys.argv[1], sys.argv[2], ['tenant_id', 'hashed(id)'], 'cassandra',"
        " limits=Limits(exact_limit=100_000))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))

    def peak(table):
        done = subprocess.run(
            [sys.executable, "-c", script, pg_url, table],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=True,
        )
        return int(done.stdout.split()[-1])

    small, big = peak("events_small"), peak("events")
    assert big <= 1.5 * small, (small, big)


def _open_sessions(url):
    db = url.rsplit("/", 1)[1]
    for _ in range(20):
        n = _pg(
            url,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s",
            (db, "polyschema-simulate"),
        )[0][0]
        if n == 0:
            return 0
        time.sleep(0.1)
    return n


def _error(*args):
    result = CliRunner().invoke(main, ["simulate", "--store", "citus", *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_bad_input_one_line_exit_2_no_connection_left(pg_url, maria_url):
    assert "no such table; did you mean 'events'?" in _error(
        "--key", "tenant_id", "--data", pg_url, "--entity", "evnts"
    )
    assert "unknown field 'tenant'" in _error("--key", "tenant", "--data", pg_url, "--entity", "events")
    assert "--order-by 'made_at': not a column" in _error(
        "--key", "tenant_id", "--data", pg_url, "--entity", "events", "--order-by", "made_at"
    )
    assert "no such table" in _error("--key", "tenant_id", "--data", maria_url, "--entity", "evnts")
    assert "unknown field 'x'" in _error("--key", "x", "--data", maria_url, "--entity", "events")
    assert _open_sessions(pg_url) == 0
    import pymysql

    db = maria_url.rsplit("/", 1)[1]
    with pymysql.connect(host="127.0.0.1", user="root", password="") as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = %s", (db,))
        assert cur.fetchone()[0] == 0


def test_unreachable_silent_and_wrong_password(maria_url):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    assert "Connection refused" in _error(
        "--key", "k", "--data", f"postgresql://u:pw1@127.0.0.1:{port}/db", "--entity", "t"
    )
    silent = socket.socket()  # accepts connections (the kernel does) and never says a word
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        port = silent.getsockname()[1]
        for scheme in ("postgresql", "mysql"):
            started = time.monotonic()
            line = _error(
                "--key", "k", "--data", f"{scheme}://u:pw2@127.0.0.1:{port}/db?connect_timeout=1", "--entity", "t"
            )
            assert time.monotonic() - started < 15 and "pw2" not in line and "time" in line.lower()
    finally:
        silent.close()
    wrong = maria_url.replace("root@", "root:n0tThePassword@")
    line = _error("--key", "tenant_id", "--data", wrong, "--entity", "events")
    assert "Access denied" in line and "n0tThePassword" not in line and "root:***@" in line
