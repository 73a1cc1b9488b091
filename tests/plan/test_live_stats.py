"""`plan DATABASE_URL --stats`: the statistics come from the database (measured, not assumed)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.live import postgres_database, require_postgres
from translator.cli import main

DDL = """
CREATE TABLE customers (customer_id integer PRIMARY KEY, name text);
CREATE TABLE orders (order_id integer PRIMARY KEY, customer_id integer REFERENCES customers, total numeric);
INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 300) g;
INSERT INTO orders SELECT g, 1 + g % 300, g FROM generate_series(1, 3000) g;
ANALYZE;
"""


@pytest.mark.live
def test_stats_from_the_database(tmp_path):
    params = require_postgres()
    with postgres_database(params, DDL) as url:
        out = tmp_path / "plan"
        result = CliRunner().invoke(main, ["plan", url, "--stats", "--exact", "--out", str(out), "--sim-runs", "2",
                                           "--quiet"])
        assert result.exit_code == 0, result.output
    entities = {e["key"]: e for e in json.loads((out / "plan.json").read_text())["source"]["entities"]}
    assert entities["orders"]["rows"] == 3000 and not entities["orders"]["assumed"]
    assert entities["customers"]["rows"] == 300 and not entities["customers"]["assumed"]


def test_stats_needs_a_database_url(tmp_path):
    result = CliRunner().invoke(main, ["plan", str(SAMPLES / "ecommerce.sql"), "--stats", "--out", str(tmp_path / "p")])
    assert result.exit_code == 2 and "--stats needs a database URL" in result.output
