"""Row-level security read live from PostgreSQL equals what the DDL says (issue 15 acceptance)."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from tests.live import postgres_database, require_postgres
from translator.ingest import ingest_text
from translator.introspect import introspect_schema
from translator.tenancy import resolve_tenancy
from translator.workload import default_workload

pytestmark = pytest.mark.live

# Expressions written the ways people write them; the catalog prints each differently (pg_get_expr adds
# parentheses and ::text casts), so equality here checks the normal form, not a copy of the text.
# (A sub-query's columns are printed qualified by the catalog: written qualified, they compare equal.)
EXTRA = """
CREATE TABLE docs (org_id uuid NOT NULL, doc_id bigint NOT NULL, owner text NOT NULL, body text,
                   PRIMARY KEY (org_id, doc_id));
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Docs Org" ON docs AS PERMISSIVE FOR ALL TO PUBLIC
    USING ((org_id = (current_setting('app.org_id'::text))::uuid))
    WITH CHECK (org_id = current_setting('app.org_id')::uuid AND (owner = current_user OR body IS NULL));
CREATE POLICY docs_owner ON docs AS RESTRICTIVE FOR DELETE USING (owner = CURRENT_USER);
CREATE POLICY docs_read ON docs FOR SELECT USING (org_id IN (SELECT d.org_id FROM docs d WHERE d.doc_id > 0));
"""


def test_live_policies_and_flags_equal_the_ddl():
    params = require_postgres()
    text = (SAMPLES / "saas.sql").read_text(encoding="utf-8") + EXTRA
    ddl = ingest_text(text, "postgres", name="saas+docs.sql")
    with postgres_database(params, text) as url:
        live = introspect_schema(url)
    assert len(ddl.policies) == 10
    assert sorted(map(repr, live.policies)) == sorted(map(repr, ddl.policies))

    def flags(schema):
        return {e.key: (e.row_security, e.force_row_security) for e in schema.entities}

    assert flags(live) == flags(ddl)
    assert flags(ddl)["issues"] == (True, True) and flags(ddl)["users"] == (True, False)
    # the same tenant, from the same policies
    live_tenancy = resolve_tenancy(live, default_workload(live))
    ddl_tenancy = resolve_tenancy(ddl, default_workload(ddl))
    assert live_tenancy.columns == ddl_tenancy.columns
    assert ddl_tenancy.column("docs").attribute == "org_id"
    assert ddl_tenancy.column("docs").policies == ("Docs Org",)
    assert {c.source for c in ddl_tenancy.columns} == {"policy"}
