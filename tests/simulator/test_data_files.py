"""simulate --data on SQLite, Parquet and CSV (no server needed): same rows, same results; bad input."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from simulator.errors import SimulatorError
from simulator.realdata import simulate_table
from simulator.realdata.partial import Limits
from simulator.realdata.sqlite import connect
from simulator.realdata.tables import ReadOptions
from simulator.realdata.url import parse_source
from simulator.stores import StoreConfig
from translator.cli import main

ROWS = 20_000
KEYS = ["tenant_id", "hashed(id)", "name", "tenant_id,id"]


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(5)
    ids = np.arange(1, ROWS + 1)
    tenants = np.floor(np.exp(rng.random(ROWS) * np.log(301))).astype(np.int64)  # zipf-like, 1..300
    ms = 1_767_225_600_000 + ids * 1000
    names = [f"name-{t % 41}" for t in tenants]
    return ids, tenants, ms, names


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("data") / "t.db"
    ids, tenants, ms, names = rows
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, tenant_id INTEGER, name TEXT, created_at TIMESTAMP)")
    stamps = [str(np.datetime64(int(m), "ms")).replace("T", " ") for m in ms]
    conn.executemany(
        "INSERT INTO events VALUES (?, ?, ?, ?)", zip(ids.tolist(), tenants.tolist(), names, stamps, strict=True)
    )
    conn.commit()
    conn.close()
    return path


def _arrow(rows) -> pa.Table:
    ids, tenants, ms, names = rows
    return pa.table(
        {
            "id": ids,
            "tenant_id": tenants.astype(np.int32),
            "name": names,
            "created_at": pa.array(ms, pa.timestamp("ms")),
        }
    )


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("parquet")
    table = _arrow(rows)
    half = ROWS // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet", row_group_size=3_000)
    pq.write_table(table.slice(half), folder / "part-1.parquet", row_group_size=3_000)
    return folder


CONFIG = StoreConfig(row_bytes=100)


def _dicts(run):
    return [r.to_dict() for r in run.results]


@pytest.mark.parametrize("store", ["cassandra", "citus", "mongodb-hashed", "mongodb-range", "dynamodb"])
def test_sqlite_parquet_and_csv_give_the_same_results(store, sqlite_db, parquet_dir, tmp_path, rows):
    csv = tmp_path / "events.csv"
    pacsv.write_csv(_arrow(rows), csv)
    db = simulate_table(f"sqlite:///{sqlite_db}", "events", KEYS, store, config=CONFIG)
    files = simulate_table(str(parquet_dir), None, KEYS, store, config=CONFIG, order_by="id")
    text = simulate_table(str(csv), None, KEYS, store, config=CONFIG, order_by="id")
    assert db.rows_read == files.rows_read == text.rows_read == ROWS
    assert _dicts(db) == _dicts(files) == _dicts(text)
    assert len(files.info.ranges) == 8  # 4 row groups of 3,000 rows or fewer in each file


def test_counts_match_an_independent_count(sqlite_db, rows):
    _, tenants, _, _ = rows
    run = simulate_table(f"sqlite:///{sqlite_db}", "events", ["tenant_id"], "citus", config=CONFIG)
    kc = run.results[0].characteristics
    values, counts = np.unique(tenants, return_counts=True)
    assert kc.distinct_values == values.size
    top = np.argsort(-counts, kind="stable")[:5]
    assert [f for _, f in kc.most_common] == counts[top].tolist()
    assert int(run.results[0].per_shard_rows.sum()) == ROWS
    # A serial id is monotonic, its hash is not (analyzeShardKey's rules).
    ids = simulate_table(f"sqlite:///{sqlite_db}", "events", ["id", "hashed(id)"], "mongodb-range", config=CONFIG)
    assert ids.results[0].characteristics.monotonic and ids.results[0].characteristics.monotonicity_r > 0.99
    assert not ids.results[1].characteristics.monotonic


def test_sketch_past_the_bound_stays_within_its_error(sqlite_db):
    exact = simulate_table(f"sqlite:///{sqlite_db}", "events", ["hashed(id)"], "cassandra", config=CONFIG)
    limits = Limits(exact_limit=1_000, heavy_k=64, kmv_k=4_096)
    sketched = simulate_table(
        f"sqlite:///{sqlite_db}",
        "events",
        ["hashed(id)"],
        "cassandra",
        config=CONFIG,
        limits=limits,
        options=ReadOptions(range_rows=5_000),
    )
    a, b = exact.results[0].per_shard_rows, sketched.results[0].per_shard_rows
    assert abs(int(b.sum()) - ROWS) <= len(b)  # scaled back to every row (rounding per shard)
    se = np.sqrt(0.25 / limits.kmv_k)  # a share's standard error over kmv_k sampled distinct values
    assert np.abs(a / a.sum() - b / b.sum()).max() <= 5 * se
    assert any("estimated" in n for n in sketched.results[0].notes)


def test_sqlite_is_opened_read_only(sqlite_db):
    before = sqlite_db.read_bytes()
    with (
        pytest.raises(SimulatorError, match="readonly"),
        connect(parse_source(f"sqlite:///{sqlite_db}"), ReadOptions()) as conn,
    ):
        conn.execute("INSERT INTO events (tenant_id) VALUES (1)")
    simulate_table(f"sqlite:///{sqlite_db}", "events", ["tenant_id"], "citus")
    assert sqlite_db.read_bytes() == before


def test_sample_states_its_error(sqlite_db):
    run = simulate_table(f"sqlite:///{sqlite_db}", "events", ["tenant_id"], "citus", sample=0.25, config=CONFIG)
    assert 0 < run.rows_read < ROWS
    assert run.info.sampling and "key-range sample" in run.info.sampling
    assert any("standard error" in n for n in run.results[0].notes)
    assert abs(run.results[0].rows - ROWS) < ROWS * 0.2


def _cli(*args):
    return CliRunner().invoke(main, ["simulate", "--store", "citus", *args])


def test_json_has_the_data_section(parquet_dir):
    result = _cli("--key", "tenant_id", "--data", str(parquet_dir), "--order-by", "id", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.output)
    assert doc["data"]["rows_read"] == ROWS and doc["data"]["order_by"] == "id"
    assert doc["candidates"][0]["key"] == "tenant_id"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--key", "tenant_id", "--entity", "evnts"], "--entity 'evnts': no such table; did you mean 'events'?"),
        (
            ["--key", "tenant", "--entity", "events"],
            "--key 'tenant': unknown field 'tenant'; did you mean 'tenant_id'?",
        ),
        (
            ["--key", "tenant_id", "--entity", "events", "--order-by", "creatd_at"],
            "--order-by 'creatd_at': not a column of events",
        ),
        (["--key", "tenant_id", "--entity", "events", "--sample", "2"], "--sample 2.0: give a fraction in (0, 1]"),
        (["--key", "tenant_id", "--entity", "events", "--rows", "5"], "--rows describes generated rows"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(sqlite_db, args, expected):
    result = _cli("--data", f"sqlite:///{sqlite_db}", *args)
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_files(tmp_path, parquet_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _cli("--key", "tenant_id", "--data", str(empty))
    assert result.exit_code == 2 and "holds no .parquet or .csv files" in result.output
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    pq.write_table(pa.table({"tenant_id": pa.array([1, 2], pa.int64())}), mixed / "a.parquet")
    pq.write_table(pa.table({"tenant_id": pa.array(["x", "y"])}), mixed / "b.parquet")
    result = _cli("--key", "tenant_id", "--data", str(mixed))
    assert (
        result.exit_code == 2 and "different schemas" in result.output and "tenant_id: int64 vs string" in result.output
    )
    assert len(result.output.strip().splitlines()) == 1
    result = _cli("--key", "tenant_id", "--data", str(tmp_path / "nowhere" / "*.parquet"))
    assert result.exit_code == 2 and "holds no .parquet or .csv files" in result.output


def test_password_is_never_printed():
    result = _cli(
        "--key", "tenant_id", "--data", "postgresql://me:s3cr%40tpw@127.0.0.1:9/db?connect_timeout=2", "--entity", "t"
    )
    assert result.exit_code == 2
    assert "s3cr" not in result.output and "***" in result.output
    result = _cli(
        "--key", "tenant_id", "--data", "mysql://me:s3cr%40tpw@127.0.0.1:9/db?connect_timeout=2", "--entity", "t"
    )
    assert result.exit_code == 2 and "s3cr" not in result.output


def test_unreachable_scheduler_is_one_error(sqlite_db):
    with pytest.raises(SimulatorError, match=r"scheduler='tcp://127.0.0.1:9': cannot reach it"):
        simulate_table(
            f"sqlite:///{sqlite_db}",
            "events",
            ["tenant_id"],
            "citus",
            scheduler="tcp://127.0.0.1:9",
            options=ReadOptions(connect_timeout=1),
        )
