"""Acceptance of issue 13 with the real targets: `plan` on both samples and on musicbrainz (375 tables)
exits 0 and writes every file, each registered target contributes its summaries and apply script, and
report.html renders offline in headless Chromium with every diagram drawn."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import CORPUS, SAMPLES, needs_corpus
from tests.plan.browser import browser_or_skip, check_rendered_report, headless_chromium
from translator.cli import main
from translator.targets import get_target, target_names

CASES = [
    pytest.param(
        "ecommerce",
        [str(SAMPLES / "ecommerce.sql"), "--workload", str(SAMPLES / "ecommerce.workload.yaml")],
        id="ecommerce",
    ),
    pytest.param("saas", [str(SAMPLES / "saas.sql"), "--workload", str(SAMPLES / "saas.workload.yaml")], id="saas"),
    # the corpus case only where the shared corpus is (the samples run in a fresh clone too)
    pytest.param("musicbrainz", [str(CORPUS / "postgres" / "musicbrainz.sql")], id="musicbrainz", marks=needs_corpus),
]


@pytest.mark.parametrize("name, args", CASES)
def test_plan_writes_every_file(tmp_path, name, args):
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        main, ["plan", *args, "--out", str(out), "--sim-runs", "6", "--sim-rows", "20000", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    artifacts = {get_target(n).artifact[0] for n in target_names() if get_target(n).artifact}
    written = {p.name for p in out.iterdir()}
    assert {"report.html", "report.md", "plan.json", "simulate.workload.yaml", *artifacts} <= written
    data = json.loads((out / "plan.json").read_text())
    assert [t["target"] for t in data["targets"]] == list(target_names())
    for target in data["targets"]:
        assert not target["unavailable"], (target["target"], target["unavailable"])
        assert target["capacity"]["monthly_total"] > 0
        simulated = [r for r in target["simulations"] if r["skipped"] is None]
        assert all(r["error"] is None and r["results"] for r in simulated), target["target"]
    assert sum(r["skipped"] is None for t in data["targets"] for r in t["simulations"]) <= 6
    assert data["recommendation"]["target"] in target_names()
    if name == "saas":  # row-level-security policies name the tenant: the section lists the keys on it
        assert data["tenancy"]["columns"] and data["tenancy"]["keys"]
        assert {k["target"] for k in data["tenancy"]["keys"]} == set(target_names())
    browser_or_skip()
    with headless_chromium() as driver:
        check_rendered_report(driver, out / "report.html", len(target_names()))
