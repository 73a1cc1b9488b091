"""CREATE/ALTER/DROP POLICY and ALTER TABLE ... ROW LEVEL SECURITY in DDL -> IR (sqlglot 30 reads them as Command)."""

from __future__ import annotations

import json

import sqlglot
from sqlglot import exp

from translator.ingest import ingest_text
from translator.ir import Policy, Schema
from translator.policy_expr import normalize_expression, session_comparisons

TABLE = (
    'CREATE TABLE "Orders" (tenant_id uuid NOT NULL, order_id bigint NOT NULL, owner text, '
    "PRIMARY KEY (tenant_id, order_id));\n"
)


def _schema(ddl: str) -> Schema:
    return ingest_text(TABLE + ddl, "postgres")


def test_sqlglot_still_reads_these_as_commands():
    # If sqlglot learns CREATE POLICY, ingest/policies.py should read its tree instead of the tokens.
    for sql in ("CREATE POLICY p ON t USING (true)", "ALTER TABLE t ENABLE ROW LEVEL SECURITY"):
        assert isinstance(sqlglot.parse_one(sql, read="postgres"), exp.Command)


def test_every_clause_is_read():
    schema = _schema("""
        CREATE POLICY "Tenant Rule" ON public."Orders" AS RESTRICTIVE FOR UPDATE TO app_user, Reporting, PUBLIC
            USING ((tenant_id = current_setting('app.tenant_id')::uuid) AND owner <> ')(')
            WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);
        CREATE POLICY Plain ON "Orders" USING (true);
    """)
    assert schema.policies == (
        Policy(
            "Tenant Rule",
            "Orders",
            "update",
            False,
            ("app_user", "public", "reporting"),
            "tenant_id = CAST(CURRENT_SETTING('app.tenant_id') AS UUID) AND owner <> ')('",
            "tenant_id = CAST(CURRENT_SETTING('app.tenant_id') AS UUID)",
        ),
        Policy("plain", "Orders", "all", True, ("public",), "TRUE", None),
    )
    assert not [d for d in schema.diagnostics if d.severity != "info"]


def test_alter_and_drop_policy_and_the_table_flags_apply_in_order():
    schema = _schema("""
        ALTER TABLE "Orders" ENABLE ROW LEVEL SECURITY;
        ALTER TABLE IF EXISTS ONLY public."Orders" FORCE ROW LEVEL SECURITY;
        ALTER TABLE "Orders" NO FORCE ROW LEVEL SECURITY;
        CREATE POLICY a ON "Orders" USING (true);
        CREATE POLICY b ON "Orders" USING (true);
        ALTER POLICY a ON "Orders" RENAME TO renamed;
        ALTER POLICY renamed ON "Orders" TO writer USING (owner = current_user);
        DROP POLICY IF EXISTS b ON "Orders";
    """)
    [entity] = schema.entities
    assert (entity.row_security, entity.force_row_security) == (True, False)
    assert schema.policies == (Policy("renamed", "Orders", "all", True, ("writer",), "owner = CURRENT_USER"),)
    disabled = _schema(
        'ALTER TABLE "Orders" ENABLE ROW LEVEL SECURITY; ALTER TABLE "Orders" DISABLE ROW LEVEL SECURITY;'
    )
    assert not disabled.entities[0].row_security


def test_problems_are_diagnostics_naming_what_was_lost():
    schema = _schema("""
        CREATE POLICY ghost ON nowhere USING (true);
        CREATE POLICY bad ON "Orders" FOR EVERYTHING USING (true);
        DROP POLICY never ON "Orders";
        ALTER TABLE nowhere ENABLE ROW LEVEL SECURITY;
    """)
    assert schema.policies == ()
    found = {(d.code, d.lost) for d in schema.diagnostics if d.severity == "warning"}
    assert ("unknown-table", "policy ghost") in found
    assert ("unparsed-statement", "this statement (a policy or row-security setting)") in found
    assert ("unknown-policy", "this statement") in found
    assert ("unknown-table", "this row-security setting") in found
    assert any("'bad'" in d.message and "EVERYTHING" in d.message for d in schema.diagnostics)


def test_policies_round_trip_through_the_ir_json():
    schema = _schema("""
        ALTER TABLE "Orders" ENABLE ROW LEVEL SECURITY;
        CREATE POLICY p ON "Orders" FOR SELECT USING (tenant_id = current_setting('app.tenant_id')::uuid);
    """)
    data = json.loads(json.dumps(schema.to_dict()))
    assert data["policies"][0]["name"] == "p" and data["entities"][0]["row_security"] is True
    back = Schema.from_dict(data)
    assert back == schema and back.policies == schema.policies


def test_catalog_and_ddl_spellings_have_one_normal_form():
    pairs = [
        (
            "tenant_id = current_setting('app.tenant_id')::uuid",
            "(tenant_id = (current_setting('app.tenant_id'::text))::uuid)",
        ),
        ("a = 1 AND (b = 2 OR c = 3)", "((a = 1) AND ((b = 2) OR (c = 3)))"),
        ("Owner = CURRENT_USER", "(owner = CURRENT_USER)"),
    ]
    for written, printed in pairs:
        assert normalize_expression(written) == normalize_expression(printed) is not None
    # precedence the generator does not add back is kept
    assert normalize_expression("(a OR b) AND c") == "(a OR b) AND c"
    assert normalize_expression("(a + b) * c > 1") == "(a + b) * c > 1"
    assert normalize_expression("a = = b") is None


def test_session_comparisons_find_columns_compared_with_session_values():
    found = session_comparisons("tenant_id = current_setting('app.tenant_id')::uuid AND 3 = x AND owner = current_user")
    assert [(c.column, c.setting) for c in found] == [("tenant_id", "app.tenant_id"), ("owner", None)]
    assert session_comparisons("tenant_id IN (SELECT m.t FROM m WHERE m.u = current_user)") == []
    assert session_comparisons("a = b") == [] and session_comparisons(None) == []
    assert session_comparisons("((") is None


def test_an_alter_table_with_other_actions_is_not_taken_for_a_row_security_statement():
    schema = _schema('ALTER TABLE "Orders" ADD COLUMN note text, ENABLE ROW LEVEL SECURITY;')
    # the ALTER TABLE stays with the table builder, which reports what it could not read: never dropped silently
    assert not schema.entities[0].row_security
    assert [d.code for d in schema.diagnostics if d.severity == "error"] == ["unparsed-statement"]
