"""The shared corpus through the DynamoDB design with derived (default) workloads: no crash, every plan
consistent with the tables it names, every unserved pattern flagged with a reason; chinook verified on moto."""

from __future__ import annotations

import json

import pytest

from tests.conftest import corpus_params
from tests.ingest.corpus_util import CORPUS_FILES, corpus_id, ingested
from translator.sample_rows import sample_rows
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.render import create_table_request
from translator.targets.dynamodb.verify import verify_design
from translator.workload import default_workload

SMALL = [p for p in CORPUS_FILES if p.stem in ("chinook", "northwind", "sakila", "employees", "tpch", "hr", "tpcc")]


@pytest.mark.parametrize("path", corpus_params(SMALL, corpus_id))
def test_corpus_designs_are_consistent(path):
    schema = ingested(path)
    workload = default_workload(schema)
    design = TARGET.design(schema, workload)
    json.dumps(design.to_dict(), default=str)
    tables = {t.name: t for t in design.tables}
    for plan in design.access_patterns:
        if plan.flagged:
            assert plan.reason and plan.operation in ("Scan", "Query+Query")
            continue
        assert plan.table in tables
        if plan.index is not None:
            assert plan.index in {g.name for g in tables[plan.table].gsis}
        if plan.kind == "read":
            assert plan.operation in ("GetItem", "Query") and plan.key_condition
            assert plan.values[0].placeholder == ":pk"
    for table in design.tables:
        assert len(table.gsis) <= 20
        request = create_table_request(table)
        assert {a["AttributeName"] for a in request["AttributeDefinitions"]} >= {table.partition_key, table.sort_key}


@pytest.mark.parametrize(
    "path", corpus_params([p for p in SMALL if p.stem == "chinook" and p.parent.name == "postgres"], corpus_id)
)
def test_chinook_with_derived_workload_verifies_on_moto(ddb, path):
    schema = ingested(path)
    workload = default_workload(schema)
    design = TARGET.design(schema, workload)
    report = verify_design(schema, workload, design, sample_rows(schema, 6, seed=2), ddb, checks_per_pattern=2)
    flagged = {p.id for p in design.access_patterns if p.flagged and p.key_condition is None}
    failures = [r for r in report.results if r.status == "fail" and r.id not in flagged]
    assert not failures, failures
