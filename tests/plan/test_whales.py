"""The plan's tenancy section lists the whale tenants of every simulated tenant-led key with the store's
remedy, before and after, and each record is what `polyschema simulate ... --remedy` prints (issue 15)."""

from __future__ import annotations

import json
import shlex

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import PROJECT_ROOT, SAMPLES
from translator.cli import main
from translator.plan import build_plan, load_pricing
from translator.plan.write import write_report
from translator.sources import load_schema
from translator.workload import load_workload

SCHEMA = json.loads((PROJECT_ROOT / "docs" / "plan.schema.json").read_text())


@pytest.fixture(scope="module")
def saas_plan(tmp_path_factory):
    """samples/saas with one tenant owning 30% of the users: the designs that key users by the tenant alone
    hold that tenant in one partition (a whale); compound tenant-led keys spread every tenant."""
    folder = tmp_path_factory.mktemp("saas")
    document = yaml.safe_load((SAMPLES / "saas.workload.yaml").read_text())
    document["statistics"]["attributes"]["users.tenant_id"] = {"distinct": 10000, "most_common": [[1, 0.3]]}
    (folder / "saas.workload.yaml").write_text(yaml.safe_dump(document))
    schema = load_schema((str(SAMPLES / "saas.sql"),))
    workload = load_workload(folder / "saas.workload.yaml", schema)
    plan = build_plan(schema, workload, load_pricing(), sim_rows=20_000, sim_runs=30)
    out = folder / "plan"
    write_report(plan, out)
    return out, json.loads((out / "plan.json").read_text())


def test_whales_are_listed_per_tenant_led_key_with_a_remedy(saas_plan):
    out, data = saas_plan
    jsonschema.validate(data, SCHEMA)
    whales = data["tenancy"]["whales"]
    assert whales
    columns = {c["entity"]: c["attribute"] for c in data["tenancy"]["columns"]}
    for entry in whales:
        assert entry["key"].split(",")[0].removeprefix("hashed(").rstrip(")") == columns[entry["entity"]]
        if entry["whales"]:
            assert entry["remedy"], entry
            assert entry["whales"][0]["share"] >= entry["whales"][-1]["share"]
    found = [entry for entry in whales if entry["whales"]]
    assert found, whales
    for entry in found:
        assert entry["entity"] == "users" and entry["key"] in ("tenant_id", "hashed(tenant_id)"), entry
        assert entry["whales"][0]["tenant"] == 1 and entry["whales"][0]["share"] > 0.25
    # Compound tenant-led keys spread a tenant over many ranges or partitions: no whale there.
    assert all(not entry["whales"] for entry in whales if "," in entry["key"])
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    assert "Whale tenants" in html and "### Whale tenants" in md


def test_remedy_records_equal_simulate_remedy_run_by_hand(saas_plan):
    _, data = saas_plan
    runs = [r for t in data["targets"] for r in t["simulations"] if r["remedies"]]
    assert runs
    for run in runs[:3]:
        argv = shlex.split(run["remedy_command"])
        result = CliRunner().invoke(main, [*argv[1:], "--format", "json"])
        assert result.exit_code in (0, 1), result.output
        by_hand = json.loads(result.output)["remedies"]
        assert [r["key"] for r in by_hand] == [r["key"] for r in run["remedies"]]
        for mine, theirs in zip(run["remedies"], by_hand, strict=True):
            assert mine["whales"] == theirs["whales"]
            assert mine["remedy"] == theirs["remedy"]
            assert mine["after"] == theirs["after"]
            assert mine["resolved"] == theirs["resolved"]
