"""`plan` end to end on the fake targets (the whole shared interface): the files, plan.json against its
documented schema, the simulations against `polyschema simulate` run by hand, and the error paths."""

from __future__ import annotations

import json
import shlex
import tracemalloc
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import PROJECT_ROOT, SAMPLES
from translator.cli import main
from translator.plan import build_plan, load_pricing
from translator.plan.simulations import SimulationRun, run_simulation
from translator.plan.write import REPORT_FILES, write_report
from translator.sources import load_schema
from translator.workload import load_workload

SCHEMA = json.loads((PROJECT_ROOT / "docs" / "plan.schema.json").read_text())
ECOMMERCE = [str(SAMPLES / "ecommerce.sql"), "--workload", str(SAMPLES / "ecommerce.workload.yaml")]


@pytest.fixture
def ecommerce_plan(fake_targets, tmp_path):
    schema = load_schema((str(SAMPLES / "ecommerce.sql"),))
    workload = load_workload(SAMPLES / "ecommerce.workload.yaml", schema)
    plan = build_plan(schema, workload, load_pricing(), sim_rows=20_000, sim_runs=6)
    out = tmp_path / "plan"
    write_report(plan, out)
    return plan, out, json.loads((out / "plan.json").read_text())


def test_files_and_documented_form(ecommerce_plan):
    plan, out, data = ecommerce_plan
    assert {p.name for p in out.iterdir()} == {*REPORT_FILES, "fake.txt"}
    jsonschema.validate(data, SCHEMA)
    assert [t["target"] for t in data["targets"]] == ["mongodb", "cassandra", "dynamodb"]
    runs = [r for t in data["targets"] for r in t["simulations"]]
    assert sum(r["skipped"] is None for r in runs) == 6  # sim_runs bounds the simulated runs
    assert all(r["results"] for r in runs if r["skipped"] is None)
    assert data["recommendation"]["target"] in data["recommendation"]["ranking"]


def test_figures_equal_simulate_run_by_hand(ecommerce_plan):
    """Each simulated run's recorded command, executed by the CLI, gives the very same figures."""
    _, out, data = ecommerce_plan
    runs = [r for t in data["targets"] for r in t["simulations"] if r["skipped"] is None]
    for run in runs[:3]:
        argv = shlex.split(run["command"])
        assert argv[:2] == ["polyschema", "simulate"]
        result = CliRunner().invoke(main, [*argv[1:], "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        by_hand = json.loads(result.output)
        assert [c["key"] for c in by_hand["candidates"]] == [c["key"] for c in run["results"]]
        for mine, theirs in zip(run["results"], by_hand["candidates"], strict=True):
            assert mine["per_shard"] == theirs["per_shard"]
            assert mine["metrics"] == theirs["metrics"]
            assert mine["alarms"] == theirs["alarms"]


def test_capacity_feeds_the_simulated_placement(ecommerce_plan):
    _, _, data = ecommerce_plan
    for target in data["targets"]:
        units = target["capacity"]["units"]
        at_least = data["pricing"][target["target"]]["simulate_at_least"]
        for run in target["simulations"]:
            assert list(run["placement"].values()) == [max(units, at_least)]


def _peak_bytes(document, rows: int) -> int:
    run = SimulationRun("dynamodb", "orders", "dynamodb", ("hashed(order_id)",), rows, 1_000_000_000, 10, 1, None, [])
    tracemalloc.start()
    run_simulation(run, document, chunk_rows=250_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.error is None and run.results[0]["rows"] == rows
    return peak


def test_billion_rows_stay_in_bounded_memory(ecommerce_plan):
    """An entity of a billion rows by its statistics: the memory of a run does not grow with its rows,
    since the rows are streamed in chunks (here 4x the rows, within 25% of the memory)."""
    plan, _, _ = ecommerce_plan
    document = json.loads(json.dumps(plan.simulation_document))
    document["statistics"]["entities"]["orders"]["rows"] = 1_000_000_000
    small, large = _peak_bytes(document, 1_000_000), _peak_bytes(document, 4_000_000)
    assert large < 1.25 * small, f"peak {small / 2**20:.0f} MiB at 1M rows, {large / 2**20:.0f} MiB at 4M rows"


def test_unwritable_out_is_one_line_and_leaves_nothing(fake_targets, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["plan", *ECOMMERCE, "--out", str(blocker / "plan"), "--sim-runs", "1"])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("polyschema: error: ") and result.output.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_folder_of_other_files_is_never_replaced(fake_targets, tmp_path):
    precious = tmp_path / "project"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["plan", *ECOMMERCE, "--out", str(precious), "--sim-runs", "1"])
    assert result.exit_code == 2 and "other files" in result.output and result.output.count("\n") == 1
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_workload_naming_unknown_attributes(fake_targets, tmp_path):
    workload = tmp_path / "w.yaml"
    workload.write_text("access_patterns:\n  - id: Q1\n    entity: orders\n    equality: [no_such_column]\n"
                        "  - id: Q2\n    entity: customers\n    equality: [nope]\n")
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", str(SAMPLES / "ecommerce.sql"), "--workload", str(workload),
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no_such_column" in result.output
    assert not out.exists()


def test_failure_while_writing_keeps_the_old_report(ecommerce_plan, monkeypatch):
    plan, out, _ = ecommerce_plan
    before = (out / "report.html").read_text()
    import translator.plan.write as write

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", broken)
    with pytest.raises(write.ReportError, match="No space left"):
        write_report(plan, out)
    monkeypatch.undo()
    assert (out / "report.html").read_text() == before
    assert [p.name for p in out.parent.iterdir()] == ["plan"]  # no temporary folder left behind


def test_cli_summary_json_and_quiet(fake_targets, tmp_path):
    out = tmp_path / "p"
    result = CliRunner().invoke(main, ["plan", *ECOMMERCE, "--out", str(out), "--sim-runs", "2",
                                       "--sim-rows", "10000", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert [s["target"] for s in summary["summary"]] == ["mongodb", "cassandra", "dynamodb"]
    assert summary["report"] == str(out / "report.html")
    quiet = CliRunner().invoke(main, ["plan", *ECOMMERCE, "--out", str(out), "--sim-runs", "1", "--quiet"])
    assert quiet.exit_code == 0 and quiet.output == f"{out / 'report.html'}\n"
    human = CliRunner().invoke(main, ["plan", *ECOMMERCE, "--out", str(out), "--sim-runs", "1"])
    lines = human.output.splitlines()
    assert lines[0].startswith("target") and len(lines) == 1 + 3 + 2 and lines[-1] == f"report: {out / 'report.html'}"
