"""End to end through the real CLI: translate the samples, verify them on moto, bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main
from translator.sample_rows import sample_rows
from translator.sources import load_schema
from translator.targets.dynamodb.verify_sql import sqlite_value as _sqlite_value

CASES = [("ecommerce.sql", "ecommerce.workload.yaml"), ("saas.sql", "saas.workload.yaml")]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("sql, workload", CASES)
def test_samples_every_pattern_is_getitem_or_query(sql, workload):
    result = _run(
        "translate", str(SAMPLES / sql), "--to", "dynamodb", "--workload", str(SAMPLES / workload), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    design = json.loads(result.output)
    reads = [p for p in design["access_patterns"] if p["kind"] == "read"]
    assert reads and all(p["operation"] in ("GetItem", "Query") and not p["flagged"] for p in reads)
    assert all(not p["flagged"] for p in design["access_patterns"])
    assert len(design["tables"]) == 1 and len(design["tables"][0]["gsis"]) <= 20


@pytest.mark.parametrize("fmt", ["human", "cloudformation", "aws-cli", "workbench"])
def test_every_format_renders(fmt):
    result = _run(
        "translate",
        str(SAMPLES / "ecommerce.sql"),
        "--to",
        "dynamodb",
        "--workload",
        str(SAMPLES / "ecommerce.workload.yaml"),
        "--format",
        fmt,
    )
    assert result.exit_code == 0 and result.output.strip()


@pytest.mark.parametrize("sql, workload", CASES)
def test_verify_passes_on_samples_with_generated_rows(moto_endpoint, sql, workload):
    result = _run(
        "verify",
        "--to",
        "dynamodb",
        str(SAMPLES / sql),
        "--workload",
        str(SAMPLES / workload),
        "--endpoint-url",
        moto_endpoint,
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    reads = [r for r in report["results"] if r["operation"] in ("GetItem", "Query")]
    assert reads and all(r["status"] == "pass" and r["checks"] > 0 for r in report["results"]), report
    assert report["items_loaded"] > 0


def test_verify_human_output_has_a_line_per_pattern(moto_endpoint):
    result = _run(
        "verify",
        "--to",
        "dynamodb",
        str(SAMPLES / "saas.sql"),
        "--workload",
        str(SAMPLES / "saas.workload.yaml"),
        "--endpoint-url",
        moto_endpoint,
        "--seed",
        "7",
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.split()[0] in ("PASS", "FAIL", "SKIP")]
    assert len(lines) == 9


def test_verify_reads_rows_from_a_sqlite_database(moto_endpoint, tmp_path):
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    path = tmp_path / "shop.db"
    db = sqlite3.connect(path)
    for key, rows in sample_rows(schema, 9, seed=3).items():
        entity = schema.entity(key)
        cols = [a.name for a in entity.attributes]
        db.execute(f'CREATE TABLE "{entity.name}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)})')
        db.executemany(
            f'INSERT INTO "{entity.name}" VALUES ({", ".join("?" for _ in cols)})',
            [tuple(_sqlite_value(entity, c, r[c]) for c in cols) for r in rows],
        )
    db.commit()
    db.close()
    result = _run(
        "verify",
        "--to",
        "dynamodb",
        str(SAMPLES / "ecommerce.sql"),
        "--workload",
        str(SAMPLES / "ecommerce.workload.yaml"),
        "--endpoint-url",
        moto_endpoint,
        "--data",
        f"sqlite:///{path}",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"]


def test_endpoint_down_is_one_line_and_exit_2():
    result = CliRunner().invoke(
        main,
        [
            "verify",
            "--to",
            "dynamodb",
            str(SAMPLES / "saas.sql"),
            "--workload",
            str(SAMPLES / "saas.workload.yaml"),
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "cannot reach DynamoDB endpoint" in result.output
    assert "Traceback" not in result.output


def test_unservable_workload_is_reported_by_translate_and_verify(moto_endpoint, tmp_path):
    workload = tmp_path / "scan.yaml"
    # Issue 11 serves "every product" by a sparse GSI with a constant partition now; an order in two
    # directions at once is still no single sort key, so that pattern stays a Scan.
    workload.write_text(
        "version: 1\naccess_patterns:\n  - id: all-products\n    entity: products\n"
        "    order_by: [price asc, name desc]\n"
        "  - id: by-sku\n    entity: products\n    equality: [sku]\n"
    )
    translated = _run(
        "translate", str(SAMPLES / "ecommerce.sql"), "--to", "dynamodb", "--workload", str(workload), "--format", "json"
    )
    assert translated.exit_code == 1
    plans = {p["id"]: p for p in json.loads(translated.output)["access_patterns"]}
    assert plans["all-products"]["flagged"] and plans["all-products"]["operation"] == "Scan"
    assert "RCU/s" in plans["all-products"]["reason"]  # the Scan's cost next to the GSI's
    assert not plans["by-sku"]["flagged"]
    verified = _run(
        "verify",
        "--to",
        "dynamodb",
        str(SAMPLES / "ecommerce.sql"),
        "--workload",
        str(workload),
        "--endpoint-url",
        moto_endpoint,
    )
    assert verified.exit_code == 1
    assert any(line.startswith("FAIL all-products") for line in verified.output.splitlines())


def test_verify_refuses_a_target_without_a_verifier():
    result = CliRunner().invoke(main, ["verify", "--to", "nosuch", str(SAMPLES / "saas.sql")])
    assert result.exit_code == 2 and "not a known target" in result.output


def test_endpoint_lost_during_verify_is_a_connection_problem():
    from tests.dynamodb.schema_builders import shop_schema, shop_workload
    from translator.errors import ConnectionProblem
    from translator.targets.dynamodb import TARGET
    from translator.targets.dynamodb.verify import (
        dynamodb_client,
        local_endpoint,
        verify_design,
    )

    with local_endpoint() as url:
        client = dynamodb_client(url)
    schema, workload = shop_schema(), shop_workload()
    with pytest.raises(ConnectionProblem, match="failed during verify"):
        verify_design(schema, workload, TARGET.design(schema, workload), sample_rows(schema, 3), client, endpoint=url)
