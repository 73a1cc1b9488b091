"""`plan URL --sample F`: the designs' keys evaluated on the real rows of the tables (issue 14, from plan)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.live import postgres_database, require_postgres
from translator.cli import main

ROWS = 3000


def test_plan_sample_reads_the_real_rows_and_says_so(tmp_path) -> None:
    params = require_postgres()
    ddl = (SAMPLES / "ecommerce.sql").read_text(encoding="utf-8")
    fill = (f"INSERT INTO customers (customer_id, email, full_name, created_at) SELECT i, 'c' || i || '@x', 'c', now() "
            f"FROM generate_series(1, 100) i;\n"
            f"INSERT INTO orders (order_id, customer_id, status, order_date, total) SELECT i, 1 + i % 7, 'paid', "
            f"now(), 1 FROM generate_series(1, {ROWS}) i;\n")
    with postgres_database(params, ddl + fill, prefix="polyschema_plan") as url:
        out = tmp_path / "plan"
        result = CliRunner().invoke(main, ["plan", url, "--workload", str(SAMPLES / "ecommerce.workload.yaml"),
                                           "--sample", "1", "--out", str(out), "--format", "json", "--quiet"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        document = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    runs = [run for target in document["targets"] for run in target.get("simulations", target.get("runs", []))]
    on_orders = [run for run in runs if run["entity"] == "orders" and run["results"]]
    assert on_orders, runs
    for run in on_orders:
        assert run["data"] and "--data" in run["command"] and run["assumed"] is False
        for candidate in run["results"]:
            assert candidate["rows"] == ROWS
            assert sum(candidate["per_shard"]["rows"]) == ROWS


def test_plan_sample_needs_a_database_url(tmp_path) -> None:
    result = CliRunner().invoke(main, ["plan", str(SAMPLES / "ecommerce.sql"), "--sample", "0.1",
                                       "--out", str(tmp_path / "p")])
    assert result.exit_code == 2 and "--sample needs a database URL" in result.output
    assert not (tmp_path / "p").exists()
