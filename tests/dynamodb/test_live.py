"""verify --data against live PostgreSQL and MariaDB (skipped when unreachable, failing under
POLYSCHEMA_REQUIRE_LIVE=1): rows are written with the drivers, read back by `read_rows`, and every
pattern must agree with SQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.dynamodb.schema_builders import shop_schema
from tests.live import (
    mariadb_database,
    postgres_database,
    require_mariadb,
    require_postgres,
)
from translator.cli import main
from translator.sample_rows import sample_rows
from translator.sources import load_schema

pytestmark = pytest.mark.live


def _verify(source: str, workload: str, url: str, endpoint: str, *extra: str) -> dict:
    result = CliRunner().invoke(
        main,
        [
            "verify",
            "--to",
            "dynamodb",
            source,
            "--workload",
            workload,
            "--data",
            url,
            "--endpoint-url",
            endpoint,
            "--format",
            "json",
            *extra,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_verify_reads_rows_from_postgresql(moto_endpoint):
    import psycopg
    from psycopg.types.json import Jsonb

    params = require_postgres()
    sql = (SAMPLES / "ecommerce.sql").read_text()
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    rows = sample_rows(schema, 9, seed=5)
    with postgres_database(params, sql, prefix="polyschema_ddb") as url:
        with psycopg.connect(url) as conn:
            # sample_rows does not evaluate CHECK constraints (documented); they play no part in the key design.
            for table, name in conn.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint "
                "WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
            ).fetchall():
                conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for entity in schema.entities:
                cols = [a.name for a in entity.attributes]
                data = [
                    tuple(
                        Jsonb(r[c]) if entity.attribute(c).type.kind == "json" and r[c] is not None else r[c]
                        for c in cols
                    )
                    for r in rows[entity.key]
                ]
                conn.cursor().executemany(
                    f'INSERT INTO "{entity.name}" ({", ".join(cols)}) VALUES ({", ".join("%s" for _ in cols)})', data
                )
        report = _verify(str(SAMPLES / "ecommerce.sql"), str(SAMPLES / "ecommerce.workload.yaml"), url, moto_endpoint)
    assert report["ok"] and report["items_loaded"] == sum(len(v) for v in rows.values())


def test_verify_reads_rows_from_mariadb(moto_endpoint, tmp_path):
    import pymysql

    from translator.ddl_render import render_ddl

    params = require_mariadb()
    ddl = render_ddl(shop_schema(), "mysql")
    source = tmp_path / "shop.sql"
    source.write_text(ddl)
    workload = tmp_path / "shop.yaml"
    workload.write_text(
        "version: 1\naccess_patterns:\n"
        "  - {id: customer-by-id, entity: customers, equality: [customer_id]}\n"
        "  - {id: orders-of-customer, entity: orders, equality: [customer_id], range: [placed_at],\n"
        "     order_by: [placed_at desc]}\n"
        "  - {id: order-with-items, entity: orders, with: [order_items], equality: [order_id]}\n"
        "  - {id: orders-with-product, entity: order_items, equality: [product_id]}\n"
    )
    schema = load_schema([str(source)], dialect="mysql")
    rows = sample_rows(schema, 9, seed=6)
    with mariadb_database(params, ddl, prefix="polyschema_ddb") as url:
        conn = pymysql.connect(
            host=params["host"],
            port=params["port"],
            user=params["user"],
            password="",
            database=url.rsplit("/", 1)[1],
            autocommit=True,
        )
        with conn, conn.cursor() as cur:
            for entity in schema.entities:
                cols = [a.name for a in entity.attributes]
                cur.executemany(
                    f"INSERT INTO `{entity.name}` ({', '.join(cols)}) VALUES ({', '.join('%s' for _ in cols)})",
                    [tuple(r[c] for c in cols) for r in rows[entity.key]],
                )
        report = _verify(str(source), str(workload), url, moto_endpoint, "--dialect", "mysql")
    assert report["ok"] and all(r["status"] == "pass" for r in report["results"])
