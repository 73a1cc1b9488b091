"""Issue 15 (MongoDB): tenant-leading shard keys, documents that never mix tenants, and the isolation
artefacts that replace row-level security (request filters, whale zones, the plain statement)."""

from __future__ import annotations

import esprima
import pytest

from tests.conftest import SAMPLES
from tests.mongodb.cases import decision, design_for
from translator.sources import load_schema
from translator.targets.mongodb import TARGET
from translator.tenancy import Tenancy, TenantColumn
from translator.workload import load_workload, parse_workload


@pytest.fixture(scope="module")
def saas() -> tuple:
    schema = load_schema([str(SAMPLES / "saas.sql")])
    workload = load_workload(str(SAMPLES / "saas.workload.yaml"), schema)
    return schema, workload, TARGET.design(schema, workload, shard_collections=True)


def test_saas_shard_keys_lead_with_the_tenant_from_its_policies(saas: tuple) -> None:
    _, _, design = saas
    for coll in design.collections:
        first = coll.shard_key_candidates[0]
        if coll.name == "tenants":  # the tenant root: its key is the tenant itself
            assert first.fields == ("tenant_id",)
            continue
        assert first.fields[0] == "tenant_id" and list(dict(first.keys))[0] == "tenant_id", coll.name
        assert "policy" in first.reason and first.simulate_key.startswith("tenant_id,")
    candidates = TARGET.key_candidates(design)
    assert all(c.fields[0] == "tenant_id" for c in candidates if c.rank == 0)


def test_saas_isolation_artefacts_name_the_policies_they_replace(saas: tuple) -> None:
    _, _, design = saas
    iso = design.isolation
    assert "no row-level security" in iso.statement and "views" in iso.statement and "database" in iso.statement
    assert dict(iso.request_filters)["issues"] == (("tenant_id", "<tenant_id of the session's tenant>"),)
    replaced = {d.subject: d.message for d in design.diagnostics if d.code == "mongodb-policy-replaced"}
    assert "issues_tenant_isolation" in replaced["issues"] and "shard key of issues" in replaced["issues"]
    # the statistics give tenant 1 8% of issues and 9% of comments: whales (>= 5%) get zones
    zones = {(z.collection, z.tenant) for z in iso.zones}
    assert zones == {("issues", 1), ("comments", 1)}
    script = TARGET.render(design, "mongosh")
    program = esprima.parseScript(script)
    calls = [s.expression for s in program.body if s.expression.type == "CallExpression"]
    ranges = [c for c in calls if getattr(c.callee.property, "name", "") == "updateZoneKeyRange"]
    assert len(ranges) == 2
    low, high = ranges[0].arguments[1], ranges[0].arguments[2]
    assert [p.value.name for p in low.properties if p.value.type == "Identifier"] == ["MinKey"]
    assert [p.value.name for p in high.properties if p.value.type == "Identifier"] == ["MaxKey"]
    assert "every request on issues must carry the filter" in script
    zone_json = design.to_dict()["tenancy"]["zones"][0]
    assert zone_json["min"]["issue_id"] == {"$minKey": 1} or zone_json["min"].get("comment_id") == {"$minKey": 1}


TENANT_DDL = """
CREATE TABLE plans (plan_id bigint PRIMARY KEY, name varchar(50) NOT NULL);
CREATE TABLE accounts (tenant_id bigint NOT NULL, account_id bigint NOT NULL, plan_id bigint NOT NULL
  REFERENCES plans (plan_id), name varchar(50) NOT NULL, PRIMARY KEY (tenant_id, account_id));
CREATE TABLE notes (tenant_id bigint NOT NULL, note_id bigint NOT NULL, account_id bigint NOT NULL,
  body varchar(200) NOT NULL, PRIMARY KEY (tenant_id, note_id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, account_id));
CREATE TABLE audit (audit_id bigint PRIMARY KEY, plan_id bigint NOT NULL REFERENCES plans (plan_id),
  what varchar(50) NOT NULL);
"""


def _tenant_design(patterns: list[dict], tenant_of_audit: bool = False) -> tuple:
    schema, _, _ = design_for(TENANT_DDL, None)
    workload = parse_workload(
        {
            "version": 1,
            "access_patterns": patterns,
            "statistics": {
                "relationships": {
                    "notes.account_id": {"avg": 3, "p99": 8, "max": 20},
                    "accounts.plan_id": {"avg": 3, "p99": 8, "max": 20},
                    "audit.plan_id": {"avg": 3, "p99": 8, "max": 20},
                }
            },
        },
        schema,
    )
    columns = [
        TenantColumn("accounts", "tenant_id", "policy", ("accounts_iso",)),
        TenantColumn("notes", "tenant_id", "policy", ("notes_iso",)),
    ]
    if tenant_of_audit:
        columns.append(TenantColumn("plans", "plan_id", "declared"))
    return schema, TARGET.build(
        schema,
        workload,
        Tenancy(tuple(columns), root=None),
        uuid_representation="binData",
        shard_collections=False,
        database="polyschema",
    )


def test_documents_never_mix_tenants() -> None:
    # notes -> accounts carries tenant_id on both sides: the notes may live in their account's document
    _, design = _tenant_design(
        [
            {"id": "R1", "entity": "accounts", "with": ["notes"], "equality": ["tenant_id", "account_id"], "rate": 100},
            {"id": "R2", "entity": "plans", "with": ["accounts"], "equality": ["plan_id"], "rate": 100, "admin": True},
        ]
    )
    assert decision(design, "notes", "accounts").choice == "embed-array"
    # accounts are tenant rows, plans are shared: a plan document holding accounts would mix tenants
    d = decision(design, "accounts", "plans")
    assert (d.choice, d.rule) == ("reference", "reference-tenant-boundary") and "mix tenants" in d.reason


def test_a_shared_parent_may_be_copied_into_tenant_documents_but_not_the_reverse() -> None:
    _, design = _tenant_design(
        [{"id": "R1", "entity": "accounts", "with": ["plans"], "equality": ["tenant_id", "account_id"], "rate": 100}]
    )
    assert decision(design, "accounts", "plans").choice == "parent-object-copy"  # plans are shared data
    _, design = _tenant_design(
        [{"id": "R1", "entity": "audit", "with": ["plans"], "equality": ["audit_id"], "rate": 100}],
        tenant_of_audit=True,
    )
    d = decision(design, "audit", "plans")  # plans now belong to tenants; audit rows to none
    assert d.choice == "reference" and "no copy" in d.reason


def test_patterns_that_do_not_fix_the_tenant_are_flagged_unless_admin() -> None:
    _, design = _tenant_design(
        [
            {"id": "R1", "entity": "notes", "equality": ["note_id"], "rate": 10},
            {"id": "R2", "entity": "notes", "equality": ["account_id"], "rate": 10, "admin": True},
            {"id": "R3", "entity": "notes", "equality": ["tenant_id", "note_id"], "rate": 10},
        ]
    )
    assert design.isolation.crossing == ("R1",)
    flagged = {d.subject for d in design.diagnostics if d.code == "crosses-tenants"}
    assert flagged == {"R1"}
