"""Gathered statistics against data with known fan-out and skew.

Data: 200 tenants; tenant k > 1 has 1 + Poisson(5) items (seeded), tenant 1 (the whale) holds 30% of all
items. Every table is far below the 100,000-row sample bound, so fan-out and sampled frequencies are exact.
Tolerances: exact counts and sampled figures exactly; catalog estimates (pg_class.reltuples, pg_stats,
InnoDB TABLE_ROWS) within 20% after the test runs ANALYZE as its setup step (the tool never does).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import pytest
import yaml

from tests.live import mariadb_database, postgres_database, require_mariadb, require_postgres
from translator.introspect import gather_statistics, introspect_schema
from translator.workload import parse_workload, statistics_to_dict

DDL = """
CREATE TABLE tenants (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE items (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL REFERENCES tenants (id), kind VARCHAR(10));
CREATE INDEX items_kind ON items (kind);
"""
ESTIMATE = 0.20


@dataclass(frozen=True)
class Data:
    tenants: list[tuple[int, str]]
    items: list[tuple[int, int, str]]
    per_tenant: np.ndarray

    @property
    def fanout(self) -> tuple[float, float, float]:
        c = self.per_tenant
        return float(c.mean()), float(np.percentile(c, 99, method="higher")), float(c.max())


def make_data(seed: int = 7) -> Data:
    rng = np.random.default_rng(seed)
    counts = 1 + rng.poisson(5, size=200)
    counts[0] = round(0.3 / 0.7 * counts[1:].sum())  # the whale: 30% of all items
    items, next_id = [], 1
    for tenant, n in enumerate(counts, start=1):
        for _ in range(int(n)):
            items.append((next_id, tenant, "gold" if next_id % 10 == 0 else "plain"))
            next_id += 1
    return Data([(t, f"tenant {t}") for t in range(1, 201)], items, counts)


DATA = make_data()


def check(stats, key: str, *, estimated: bool) -> None:
    rows_ok = (lambda got, want: abs(got - want) <= ESTIMATE * want) if estimated else (lambda got, want: got == want)
    assert rows_ok(stats.entities[f"{key}tenants"].rows, 200)
    assert rows_ok(stats.entities[f"{key}items"].rows, len(DATA.items))
    fan = stats.relationships[f"{key}items.tenant_id"]
    assert (fan.avg, fan.p99, fan.max) == pytest.approx(DATA.fanout)
    tenant = stats.attributes[f"{key}items.tenant_id"]
    assert tenant.distinct == pytest.approx(200, rel=ESTIMATE if estimated else 1e-9)
    whale_value, whale_share = tenant.most_common[0]
    assert whale_value == 1 and whale_share == pytest.approx(0.3, abs=0.01)
    kind = stats.attributes[f"{key}items.kind"]
    assert dict(kind.most_common) == pytest.approx({"plain": 0.9, "gold": 0.1}, abs=0.01)
    assert stats.attributes[f"{key}items.id"].distinct == pytest.approx(
        len(DATA.items), rel=ESTIMATE if estimated else 1e-9
    )


def round_trips(stats, schema) -> None:
    text = yaml.safe_dump({"version": 1, "statistics": statistics_to_dict(stats)}, sort_keys=False)
    assert parse_workload(yaml.safe_load(text), schema).statistics == stats


@pytest.mark.live
def test_postgres_statistics():
    import psycopg

    params = require_postgres()
    with postgres_database(params, DDL) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO tenants VALUES (%s, %s)", DATA.tenants)
                cur.executemany("INSERT INTO items VALUES (%s, %s, %s)", DATA.items)
        schema = introspect_schema(url)
        check(gather_statistics(url, schema, exact=True), "", estimated=False)  # before ANALYZE: samples
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")
        stats = gather_statistics(url, schema)  # pg_class / pg_stats
        check(stats, "", estimated=True)
        assert stats.entities["items"].avg_row_bytes > 0
        round_trips(stats, schema)


@pytest.mark.live
def test_mariadb_statistics():
    import pymysql

    params = require_mariadb()
    with mariadb_database(params, DDL) as url:
        database = url.rsplit("/", 1)[1]
        with pymysql.connect(**params, password="", database=database, autocommit=True) as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO tenants VALUES (%s, %s)", DATA.tenants)
            cur.executemany("INSERT INTO items VALUES (%s, %s, %s)", DATA.items)
            cur.execute("ANALYZE TABLE tenants, items")
        schema = introspect_schema(url)
        check(gather_statistics(url, schema, exact=True), "", estimated=False)
        stats = gather_statistics(url, schema)
        check(stats, "", estimated=True)
        round_trips(stats, schema)


def test_sqlite_statistics(tmp_path):
    path = tmp_path / "stats.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(DDL)
        conn.executemany("INSERT INTO tenants VALUES (?, ?)", DATA.tenants)
        conn.executemany("INSERT INTO items VALUES (?, ?, ?)", DATA.items)
    conn.close()
    url = f"sqlite:///{path}"
    schema = introspect_schema(url)
    stats = gather_statistics(url, schema)
    check(stats, "", estimated=False)
    round_trips(stats, schema)
