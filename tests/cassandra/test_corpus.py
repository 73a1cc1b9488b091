"""Acceptance on the shared corpus with default workloads: no error diagnostics, every read served by one
table from one partition (or IN over buckets), types and names the driver accepts, CQL cqlsh's grammar accepts.

cqlshlib's parser takes time exponential in a statement's column count, so CREATE TABLE statements are
parsed for the files in `PARSED_TABLES` (every dialect, ~200 tables); the queries, keyspace and UDTs of
every file are parsed, and every file's types and identifiers are checked with cassandra-driver.
"""

from __future__ import annotations

import pytest

from tests.cassandra.cqlcheck import bind_literals, name_failures, statement_failures, table_failures, type_failures
from tests.cassandra.serving import assert_served
from tests.conftest import corpus_files, corpus_params
from translator.sources import load_schema
from translator.targets.cassandra import TARGET
from translator.targets.cassandra.cql import keyspace_cql, udt_cql
from translator.workload import load_workload

FILES = corpus_files()
PARSED_TABLES = {"mysql/chinook.sql", "mysql/employees.sql", "oracle/hr.sql", "oracle/customer_orders.sql",
                 "other/tpch.sql", "postgres/northwind.sql", "postgres/citus_ad_analytics.sql", "sqlite/sakila.sql",
                 "tsql/chinook.sql"}


def _id(path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_corpus_present(corpus):
    assert len(FILES) >= 25, f"expected the shared corpus under {corpus}"


@pytest.mark.parametrize("path", corpus_params(FILES, _id))
def test_corpus_design(path):
    schema = load_schema([str(path)])
    workload = load_workload(None, schema)
    design = TARGET.design(schema, workload)
    assert not [str(d) for d in design.diagnostics if d.severity == "error"]
    assert_served(design, workload)
    assert type_failures(design) == []
    cql = TARGET.render(design, "cql")
    assert name_failures(design, cql) == []
    assert statement_failures(keyspace_cql(design)) == []
    assert [f for u in design.udts for f in statement_failures(udt_cql(design.keyspace.name, u))] == []
    assert [f for r in design.reads for f in statement_failures(bind_literals(r.query))] == []
    if _id(path) in PARSED_TABLES:
        assert table_failures(design, chunk=2) == []
