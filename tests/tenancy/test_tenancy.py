"""Tenant column resolution (policy, declaration, inference), cross-tenant patterns, and the errors."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from translator.ingest import ingest_text
from translator.ir import Schema
from translator.tenancy import TenancyError, resolve_tenancy
from translator.workload import default_workload, load_workload, parse_workload
from translator.workload.validate import InvalidWorkload

SAAS = (SAMPLES / "saas.sql").read_text(encoding="utf-8")
SAAS_TABLES = SAAS.split("-- Row-level security")[0]  # the same schema without its policies


def _saas(extra: str = "", tables_only: bool = False) -> Schema:
    return ingest_text((SAAS_TABLES if tables_only else SAAS) + extra, "postgres", name="saas.sql")


def _workload(schema: Schema, patterns: list[dict], **top):
    return parse_workload({"version": 1, "access_patterns": patterns, **top}, schema)


def test_saas_tenant_comes_from_its_policies():
    schema = _saas()
    tenancy = resolve_tenancy(schema, load_workload(SAMPLES / "saas.workload.yaml", schema))
    assert tenancy.root == "tenants" and tenancy.source == "policy"
    assert {c.entity: (c.attribute, c.source, c.policies) for c in tenancy.columns} == {
        "tenants": ("tenant_id", "policy", ("tenant_self",)),
        "users": ("tenant_id", "policy", ("users_tenant_isolation",)),
        "projects": ("tenant_id", "policy", ("projects_tenant_isolation",)),
        "issues": ("tenant_id", "policy", ("issues_tenant_isolation",)),
        "comments": ("tenant_id", "policy", ("comments_tenant_isolation",)),
        "invoices": ("tenant_id", "policy", ("invoices_tenant_isolation",)),
    }
    assert not any(c.assumed for c in tenancy.columns)
    # the admin-only restrictive policy compares no column: said, not taken as a tenant column
    assert [d.subject for d in tenancy.diagnostics if d.code == "policy-without-tenant"] == ["users_admin_changes"]


def test_declared_tenant_when_there_are_no_policies():
    schema = _saas(tables_only=True)
    tenancy = resolve_tenancy(schema, _workload(schema, [], tenant="TENANT_ID"))
    assert {c.source for c in tenancy.columns} == {"declared"} and len(tenancy.columns) == 6
    assert tenancy.column("issues").attribute == "tenant_id"  # the schema's spelling


def test_inferred_tenant_is_marked_assumed():
    schema = _saas(tables_only=True)
    tenancy = resolve_tenancy(schema, default_workload(schema))
    assert tenancy.root == "tenants" and {c.source for c in tenancy.columns} == {"inferred"}
    assert all(c.assumed for c in tenancy.columns)
    assert [d.code for d in tenancy.diagnostics if d.severity == "warning"] == ["tenant-inferred"]


def test_no_tenant_in_a_schema_without_one():
    schema = ingest_text((SAMPLES / "ecommerce.sql").read_text(encoding="utf-8"), "postgres")
    tenancy = resolve_tenancy(schema, default_workload(schema))
    assert not tenancy.known and tenancy.root is None
    assert not any(tenancy.crosses_tenants(p) for p in default_workload(schema).access_patterns)


def test_crossing_patterns_are_flagged_unless_admin_or_insert():
    schema = _saas()
    workload = _workload(
        schema,
        [
            {"id": "fixed", "entity": "issues", "equality": ["tenant_id", "issue_id"]},
            {"id": "open_everywhere", "entity": "issues", "equality": ["status"]},
            {"id": "report", "entity": "invoices", "range": ["issued_on"], "admin": True},
            {"id": "insert", "entity": "comments", "kind": "write"},
            {"id": "purge", "entity": "comments", "kind": "delete", "equality": ["author_id"]},
            {"id": "by_project_tenant", "entity": "issues", "with": ["projects"], "equality": ["projects.tenant_id"]},
        ],
    )
    tenancy = resolve_tenancy(schema, workload)
    crossing = [p.id for p in workload.access_patterns if tenancy.crosses_tenants(p)]
    assert crossing == ["open_everywhere", "purge"]
    diagnostics = tenancy.crossing_diagnostics(workload)
    assert [d.subject for d in diagnostics] == ["open_everywhere", "purge"]
    assert "issues_tenant_isolation" in diagnostics[0].message and "admin: true" in diagnostics[0].message


def test_two_tenant_columns_on_one_table_is_a_one_line_error():
    schema = _saas(
        tables_only=True,
        extra="""
        ALTER TABLE issues ENABLE ROW LEVEL SECURITY;
        CREATE POLICY by_tenant ON issues USING (tenant_id = current_setting('app.tenant_id')::bigint);
        CREATE POLICY by_project ON issues USING (project_id = current_setting('app.tenant_project')::bigint);
    """,
    )
    with pytest.raises(TenancyError) as caught:
        resolve_tenancy(schema, default_workload(schema))
    message = str(caught.value)
    assert "\n" not in message and "issues" in message
    assert "tenant_id (policy by_tenant)" in message and "project_id (policy by_project)" in message


def test_a_user_column_beside_the_tenant_column_is_not_a_second_tenant():
    schema = _saas(
        tables_only=True,
        extra="""
        ALTER TABLE issues ENABLE ROW LEVEL SECURITY;
        CREATE POLICY mine ON issues USING (tenant_id = current_setting('app.tenant_id')::bigint
                                            AND reporter_id = current_setting('app.user_id')::bigint);
    """,
    )
    tenancy = resolve_tenancy(schema, default_workload(schema))
    assert tenancy.column("issues").attribute == "tenant_id" and tenancy.column("issues").source == "policy"


def test_unreadable_policy_expression_is_reported_not_dropped():
    schema = _saas(
        tables_only=True,
        extra="""
        ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
        CREATE POLICY odd ON invoices USING (tenant_id = = current_setting('app.tenant_id'));
    """,
    )
    assert [p.name for p in schema.policies] == ["odd"]
    assert schema.policies[0].using == "tenant_id = = current_setting('app.tenant_id')"
    [warning] = [d for d in schema.diagnostics if d.code == "unreadable-policy-expression"]
    assert warning.subject == "odd" and "'odd'" in warning.message
    tenancy = resolve_tenancy(schema, default_workload(schema))
    assert any(d.code == "policy-unread" and d.subject == "odd" for d in tenancy.diagnostics)


def test_policies_without_row_security_enabled_are_said_to_be_inert():
    schema = _saas(tables_only=True, extra="CREATE POLICY p ON invoices USING (tenant_id = current_setting('t')::int);")
    tenancy = resolve_tenancy(schema, default_workload(schema))
    assert tenancy.column("invoices").source == "policy"
    assert [d.subject for d in tenancy.diagnostics if d.code == "policy-not-enforced"] == ["invoices"]


def test_declaration_that_disagrees_with_a_policy_loses_with_a_warning():
    schema = _saas(extra="ALTER TABLE projects ADD COLUMN org bigint;")
    tenancy = resolve_tenancy(schema, _workload(schema, [], tenant="org"))
    assert tenancy.column("projects").attribute == "tenant_id"
    assert [d.subject for d in tenancy.diagnostics if d.code == "tenant-declaration-overridden"] == ["projects"]


@pytest.mark.parametrize(
    ("top", "pattern", "message"),
    [
        ({"tenant": "tenantid"}, {}, "tenant: no entity has an attribute 'tenantid'; did you mean 'tenant_id'?"),
        ({"tenant": 3}, {}, "tenant: expected a non-empty string, got a number 3"),
        ({}, {"admin": "yes"}, "access_patterns[0].admin: expected true or false, got text 'yes'"),
    ],
)
def test_bad_tenant_and_admin_are_named(top, pattern, message):
    schema = _saas()
    with pytest.raises(InvalidWorkload) as caught:
        _workload(schema, [{"id": "q", "entity": "issues", **pattern}], **top)
    assert message in str(caught.value)


def test_admin_and_tenant_reach_the_records():
    schema = _saas()
    workload = _workload(schema, [{"id": "q", "entity": "issues", "admin": True}], tenant="tenant_id")
    assert workload.tenant == "tenant_id" and workload.access_patterns[0].admin


def test_a_filter_on_a_tenant_scoped_related_entity_is_named_in_the_diagnostic():
    schema = ingest_text(
        (SAMPLES / "ecommerce.sql").read_text(encoding="utf-8")
        + "\nALTER TABLE customers ADD COLUMN tenant_id bigint;",
        "postgres",
    )
    workload = _workload(
        schema, [{"id": "by_email", "entity": "orders", "equality": ["customers.email"]}], tenant="tenant_id"
    )
    tenancy = resolve_tenancy(schema, workload)
    [diagnostic] = tenancy.crossing_diagnostics(workload)
    assert "customers.tenant_id" in diagnostic.message and diagnostic.subject == "by_email"


def test_a_parent_key_leading_most_keys_is_not_taken_for_a_tenant():
    # the shape of MySQL's employees sample: emp_no leads three of four other keys, departments stands apart
    schema = ingest_text(
        """
        CREATE TABLE employees (emp_no int PRIMARY KEY, name text);
        CREATE TABLE departments (dept_no char(4) PRIMARY KEY, dept_name text);
        CREATE TABLE salaries (emp_no int REFERENCES employees, from_date date, salary int, \
PRIMARY KEY (emp_no, from_date));
        CREATE TABLE titles (emp_no int REFERENCES employees, title text, PRIMARY KEY (emp_no, title));
        CREATE TABLE dept_emp (emp_no int REFERENCES employees, dept_no char(4) REFERENCES departments,
                               PRIMARY KEY (emp_no, dept_no));
    """,
        "postgres",
    )
    assert not resolve_tenancy(schema, default_workload(schema)).known
    renamed = ingest_text(SAAS_TABLES.replace("tenant_id", "org_id").replace("tenants", "orgs"), "postgres")
    assert resolve_tenancy(renamed, default_workload(renamed)).column("issues").attribute == "org_id"
