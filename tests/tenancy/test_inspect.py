"""`polyschema inspect` shows the tenant column with its source, and the policies (human and JSON)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main

SAAS = (SAMPLES / "saas.sql").read_text(encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(main, ["inspect", *args], catch_exceptions=False)


def test_human_output_shows_policies_and_tenant_columns():
    result = run(str(SAMPLES / "saas.sql"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "  row-level security enabled, forced on the owner too" in out  # issues
    assert "  policy users_admin_changes (restrictive, for update, to public) using (" in out
    assert "  tenant column tenant_id (from policy comments_tenant_isolation)" in out
    assert "TENANCY\n  tenant root tenants; 6 of 6 tables carry a tenant column (mostly policy)" in out


def test_json_output_has_policies_flags_and_tenancy():
    result = run(str(SAMPLES / "saas.sql"), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert len(payload["policies"]) == 7 and payload["policies"][0]["name"] == "tenant_self"
    issues = next(e for e in payload["entities"] if e["name"] == "issues")
    assert (issues["row_security"], issues["force_row_security"]) == (True, True)
    assert payload["tenancy"]["root"] == "tenants" and payload["tenancy"]["source"] == "policy"
    assert {c["entity"]: c["policies"] for c in payload["tenancy"]["columns"]}["invoices"] == [
        "invoices_tenant_isolation"
    ]


def test_a_declared_tenant_is_shown_as_declared(tmp_path):
    ddl = tmp_path / "plain.sql"
    ddl.write_text(SAAS.split("-- Row-level security")[0])
    workload = tmp_path / "w.yaml"
    workload.write_text("version: 1\ntenant: tenant_id\n")
    result = run(str(ddl), "--workload", str(workload))
    assert result.exit_code == 0, result.output
    assert "  tenant column tenant_id (declared by the workload)" in result.output
    inferred = run(str(ddl))
    assert "  tenant column tenant_id (inferred, assumed)" in inferred.output and "tenant-inferred" in inferred.output


def test_two_tenant_columns_exit_2_with_one_line(tmp_path):
    ddl = tmp_path / "two.sql"
    ddl.write_text(
        SAAS + "\nCREATE POLICY by_owner ON projects USING (owner_id = current_setting('app.tenant_owner')::bigint);\n"
    )
    result = run(str(ddl))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "projects" in result.output and "by_owner" in result.output and "projects_tenant_isolation" in result.output
