"""Issue 11 acceptance through the real CLI: DDL and workload files, `translate --to dynamodb` serves each
pattern with one request and no Scan, and `polyschema verify --to dynamodb` passes on moto."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from translator.cli import main

DDL = """
CREATE TABLE customers (customer_id integer PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, name varchar(40));
CREATE TABLE orders (order_id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers,
                     placed_at timestamp NOT NULL);
CREATE TABLE shipments (shipment_id integer PRIMARY KEY, order_id integer NOT NULL REFERENCES orders,
                        carrier varchar(20));
CREATE TABLE shipment_lines (line_id integer PRIMARY KEY, shipment_id integer NOT NULL REFERENCES shipments,
                             quantity integer NOT NULL);
CREATE TABLE games (game_id integer PRIMARY KEY, map varchar(20) NOT NULL, open_since timestamp);
CREATE TABLE sessions (token varchar(40) NOT NULL, customer_id integer NOT NULL, seen_at timestamp);
CREATE UNIQUE INDEX sessions_token ON sessions (token);
"""

WORKLOAD = """
version: 1
access_patterns:
  - {id: orders-by-email, entity: orders, equality: [customers.email], order_by: [placed_at desc], rate: 50}
  - {id: order-with-shipments, entity: orders, with: [shipments, shipments.shipment_lines], equality: [order_id],
     rate: 80}
  - {id: open-games, entity: games, range: [open_since], order_by: [open_since], rate: 20}
  - {id: session, entity: sessions, equality: [token], rate: 200}
  - {id: rename-customer, kind: update, entity: customers, equality: [customer_id], rate: 1}
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paths")
    (folder / "shop.sql").write_text(DDL)
    (folder / "shop.yaml").write_text(WORKLOAD)
    return str(folder / "shop.sql"), str(folder / "shop.yaml")


def test_translate_serves_each_acceptance_pattern_with_one_request(files):
    sql, workload = files
    result = CliRunner().invoke(
        main,
        ["translate", sql, "--to", "dynamodb", "--workload", workload, "--dialect", "postgres", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    plans = {p["id"]: p for p in json.loads(result.output)["access_patterns"]}
    for pattern in ("orders-by-email", "order-with-shipments", "open-games", "session"):
        assert plans[pattern]["operation"] in ("Query", "GetItem") and not plans[pattern]["flagged"], plans[pattern]
    assert plans["orders-by-email"]["index"] and plans["open-games"]["index"]
    assert plans["order-with-shipments"]["index"] is None
    assert plans["session"]["operation"] == "GetItem"  # keyed by the unique index
    assert plans["rename-customer"]["also_writes"] == ["orders"]


def test_verify_passes_on_each_acceptance_pattern(files, moto_endpoint):
    sql, workload = files
    result = CliRunner().invoke(
        main,
        [
            "verify",
            "--to",
            "dynamodb",
            sql,
            "--workload",
            workload,
            "--dialect",
            "postgres",
            "--endpoint-url",
            moto_endpoint,
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] and all(r["status"] == "pass" and r["checks"] > 0 for r in report["results"]), report
