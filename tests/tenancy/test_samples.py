"""The public multi-tenant sample (Citus ad analytics, CC BY 4.0) and its workload."""

from __future__ import annotations

import dataclasses

from tests.conftest import SAMPLES
from translator.ingest import ingest_sources
from translator.tenancy import resolve_tenancy
from translator.workload import StatsView, load_workload

SCHEMA = ingest_sources([str(SAMPLES / "citus_adtech.sql")], dialect="postgres")
WORKLOAD = load_workload(SAMPLES / "citus_adtech.workload.yaml", SCHEMA)


def test_the_sample_reads_cleanly_with_its_policies():
    assert not [d for d in SCHEMA.diagnostics if d.severity != "info"]
    assert [p.name for p in SCHEMA.policies] == [
        "company_self",
        "campaigns_tenant",
        "ads_tenant",
        "clicks_tenant",
        "impressions_tenant",
    ]
    assert all(e.row_security and not e.force_row_security for e in SCHEMA.entities)


def test_the_citus_policy_form_names_the_tenant_column():
    # `current_user = 'tenant_' || company_id::text`: the column sits inside an expression of one column
    tenancy = resolve_tenancy(SCHEMA, WORKLOAD)
    assert tenancy.root == "companies"
    assert [(c.entity, c.attribute, c.source) for c in tenancy.columns] == [
        ("companies", "id", "policy"),
        ("campaigns", "company_id", "policy"),
        ("ads", "company_id", "policy"),
        ("clicks", "company_id", "policy"),
        ("impressions", "company_id", "policy"),
    ]


def test_only_the_admin_report_reads_across_tenants():
    tenancy = resolve_tenancy(SCHEMA, WORKLOAD)
    assert not tenancy.crossing_diagnostics(WORKLOAD)
    report = WORKLOAD.pattern("A1")
    assert report.admin and tenancy.crosses_tenants(dataclasses.replace(report, admin=False))


def test_the_workload_uses_paths_and_given_fanouts_size_the_children():
    q3, q4 = WORKLOAD.pattern("Q3"), WORKLOAD.pattern("Q4")
    assert [str(r) for r in q3.equality] == ["clicks.company_id", "ads.campaign_id"]
    assert [str(h) for h in q3.equality[1].path] == ["clicks->ads"]
    assert [[str(h) for h in p] for p in q4.paths] == [["ads->campaigns"], ["ads->campaigns", "campaigns->companies"]]
    view = StatsView(SCHEMA, WORKLOAD.statistics)
    # 5,000 companies x 20 campaigns x 10 ads x 2,000 clicks, each given; nothing assumed
    assert (view.entity("clicks").rows, view.entity("clicks").assumed) == (5000 * 20 * 10 * 2000, False)
