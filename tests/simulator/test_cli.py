"""`polyschema simulate`: output formats, ranking, plot, workload entity, and one-line usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

BASE = ["simulate", "--tenants", "200", "--rows", "20000", "--seed", "3"]


def invoke(*args: str):
    return CliRunner().invoke(main, [*BASE, *args])


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--store", "cassandra", "--key", "id", "--skew", "zipf:-1"], ["--skew", "zipf:-1", "e.g. zipf:1.1"]),
        (["--store", "mongodb-range", "--key", "id", "--shards", "0"], ["--shards 0", "at least 1"]),
        (["--store", "mongodb-hashd", "--key", "id"], ["--store", "did you mean 'mongodb-hashed'"]),
        (
            ["--store", "cassandra", "--key", "tenant,id"],
            ["--key", "unknown field 'tenant'", "did you mean 'tenant_id'"],
        ),
        (["--store", "cassandra", "--key", "hashed(id),hashed(ts)"], ["--key", "at most one hashed field"]),
        (["--store", "cassandra", "--key", "id", "--nodes", "0"], ["--nodes 0"]),
        (["--store", "cassandra", "--key", "id", "--hot-key", "abc"], ["--hot-key", "SHARE[:SECONDS]"]),
        (["--store", "cassandra", "--key", "id", "--id-kind", "uuid9"], ["--id-kind", "serial"]),
    ],
)
def test_bad_input_is_one_line_exit_2(args, fragments):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message


def test_json_compares_candidates_and_ranks_them():
    result = invoke("--store", "cassandra", "--nodes", "8", "--skew", "zipf:1.2",
                    "--key", "tenant_id", "--key", "tenant_id,id", "--key", "hashed(id)", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [c["key"] for c in doc["candidates"]] == ["tenant_id", "tenant_id,id", "hashed(id)"]
    for cand in doc["candidates"]:
        assert {"store", "key", "rows", "shards", "per_shard", "metrics", "key_characteristics", "alarms"} <= set(cand)
        assert set(cand["per_shard"]) >= {"rows", "bytes", "ops"}
        assert set(cand["metrics"]) >= {"max_over_mean", "cv", "gini", "skew_factor", "top_share"}
        assert sum(cand["per_shard"]["rows"]) == cand["rows"] == 20000
        assert len(cand["per_shard"]["rows"]) == cand["shards"] == 8
    assert doc["ranking"][-1] == "tenant_id"


def test_human_output_and_plot(tmp_path: Path):
    png = tmp_path / "load.png"
    result = invoke("--store", "mongodb-range", "--shards", "4", "--range-size-mb", "0.5",
                    "--key", "id", "--key", "hashed(id)", "--plot", str(png))
    assert result.exit_code == 0, result.output
    assert "ALARM mongodb.insert_hot_spot" in result.output
    assert "ranking (best first): 1. hashed(id)" in result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_candidate_alarmed_exits_with_findings():
    result = invoke("--store", "mongodb-range", "--shards", "4", "--range-size-mb", "0.5", "--key", "id")
    assert result.exit_code == 1


def test_workload_entity_statistics():
    workload = str(SAMPLES / "saas.workload.yaml")
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--store",
            "cassandra",
            "--workload",
            workload,
            "--entity",
            "issues",
            "--rows",
            "50000",
            "--key",
            "tenant_id",
            "--key",
            "tenant_id,issue_id",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    tenant = doc["candidates"][0]
    # most_common says tenant 1 holds 8% of issues.
    assert tenant["key_characteristics"]["max_rows_per_value"] == pytest.approx(4000, rel=0.1)
    patterns = {p["pattern"] for p in tenant["access_patterns"]["patterns"]}
    assert {"Q1", "Q2", "W2"} <= patterns


def test_workload_needs_an_entity_when_ambiguous(tmp_path: Path):
    result = CliRunner().invoke(main, ["simulate", "--store", "citus", "--key", "tenant_id",
                                       "--workload", str(SAMPLES / "saas.workload.yaml")])
    assert result.exit_code == 2 and "--entity" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("statistics: [unclosed\n")
    result = CliRunner().invoke(main, ["simulate", "--store", "citus", "--key", "x", "--workload", str(bad)])
    assert result.exit_code == 2 and "bad.yaml:" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("text", [
    "statistics: [1]\n",
    "statistics: {entities: [t]}\n",
    "statistics: {entities: {t: 5}}\n",
    "statistics: {entities: {t: {rows: 10, avg_row_bytes: abc}}}\n",
    "statistics: {entities: {t: {rows: .inf}}}\n",
    "statistics: {entities: {t: {rows: 10, avg_row_bytes: 0}}}\n",
])
def test_malformed_workload_statistics_are_one_line_usage_errors(tmp_path: Path, text: str):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = CliRunner().invoke(main, ["simulate", "--store", "citus", "--key", "x", "--workload", str(bad),
                                       "--entity", "t"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"polyschema: error: {bad}: statistics")


def test_store_help_names_every_registered_store():
    from simulator.stores import STORES
    from translator.cli.simulate_cmd import STORE_NAMES

    assert sorted(STORE_NAMES) == sorted(STORES)
    help_text = CliRunner().invoke(main, ["simulate", "--help"]).output
    assert all(name in help_text for name in STORES)
