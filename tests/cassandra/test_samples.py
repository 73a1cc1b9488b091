"""Acceptance on samples/ through the real CLI: JSON shape, CQL accepted by cqlsh's grammar, no errors,
every read pattern served by exactly one table from one partition (or a documented IN over buckets)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.cassandra.cqlcheck import bind_literals, name_failures, statement_failures, table_failures, type_failures
from tests.cassandra.serving import assert_served
from tests.conftest import SAMPLES
from translator.cli import main
from translator.sources import load_schema
from translator.targets.cassandra import TARGET
from translator.workload import load_workload

NAMES = ("ecommerce", "saas")


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module", params=NAMES)
def sample(request):
    schema = load_schema([str(SAMPLES / f"{request.param}.sql")])
    workload = load_workload(str(SAMPLES / f"{request.param}.workload.yaml"), schema)
    return request.param, schema, workload, TARGET.design(schema, workload)


def test_sample_design(sample):
    name, schema, workload, design = sample
    assert not [d for d in design.diagnostics if d.severity == "error"]
    assert_served(design, workload)
    cql = TARGET.render(design, "cql")
    assert table_failures(design) == []
    assert type_failures(design) == [] and name_failures(design, cql) == []
    assert all(statement_failures(bind_literals(r.query)) == [] for r in design.reads)
    keyspace_and_types = "\n".join(
        block for block in cql.split("\n\n") if block.startswith(("CREATE KEYSPACE", "CREATE TYPE"))
    )
    assert statement_failures(keyspace_and_types) == []


@pytest.mark.parametrize("name", NAMES)
def test_cli_json_shape(name):
    result = _cli(
        "translate",
        str(SAMPLES / f"{name}.sql"),
        "--to",
        "cassandra",
        "--workload",
        str(SAMPLES / f"{name}.workload.yaml"),
        "--format",
        "json",
        "--keyspace",
        "shop",
        "--replication",
        "DC1:3,DC2:2",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # format_version 2: the shared envelope (target, format_version, assumed ... diagnostics) replaced "format".
    # saas declares its tenant by row-level security policies: the design adds its isolation section.
    isolation = ["isolation"] if name == "saas" else []
    assert list(data) == [
        "target",
        "format_version",
        "assumed",
        "keyspace",
        "udts",
        "tables",
        "reads",
        "writes",
        "partial",
        "unserved",
        *isolation,
        "diagnostics",
    ]
    assert data["target"] == "cassandra" and data["format_version"] == 2 and isinstance(data["assumed"], list)
    for table in data["tables"]:
        for decision in table["decisions"]:
            assert list(decision) == ["subject", "choice", "rule", "reason", "numbers", "assumed"]
    assert data["keyspace"] == {"name": "shop", "replication": {"class": "NetworkTopologyStrategy", "DC1": 3, "DC2": 2}}
    for table in data["tables"]:
        assert {
            "name",
            "serves",
            "partition_key",
            "clustering",
            "static",
            "columns",
            "partition_estimate",
            "bucketing",
        } <= set(table)
        assert set(table["partition_estimate"]) >= {"rows_avg", "rows_max", "bytes_avg", "bytes_max", "cells_max"}
        assert all(set(c) == {"name", "type", "source"} for c in table["columns"])
        assert all(c["order"] in ("ASC", "DESC") for c in table["clustering"])
    assert all({"id", "tables"} <= set(w) for w in data["writes"])


def test_cli_cql_and_human():
    cql = _cli(
        "translate",
        str(SAMPLES / "ecommerce.sql"),
        "--to",
        "cassandra",
        "--workload",
        str(SAMPLES / "ecommerce.workload.yaml"),
        "--format",
        "cql",
    )
    assert cql.exit_code == 0 and "CREATE KEYSPACE IF NOT EXISTS ecommerce" in cql.output
    assert "'class': 'NetworkTopologyStrategy', 'dc1': 3" in cql.output
    human = _cli(
        "translate", str(SAMPLES / "saas.sql"), "--to", "cassandra", "--workload", str(SAMPLES / "saas.workload.yaml")
    )
    assert human.exit_code == 0 and "serves Q2" in human.output and "static:" in human.output


def test_ecommerce_textbook_choices():
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    design = TARGET.design(schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema))
    orders = design.table(design.read("Q2").table)
    assert orders.partition_key == ("customer_id",)
    assert [(c.column, c.order) for c in orders.clustering][:1] == [("order_date", "DESC")]
    with_items = design.table(design.read("Q3").table)
    assert with_items.partition_key == ("order_id",) and "customer_id" in with_items.static
    assert [c.column for c in with_items.clustering] == ["line_no"]
    # 500,000 order lines for the most popular product exceed 100,000 rows: hash buckets, IN over them.
    by_product = design.table(design.read("Q4").table)
    assert by_product.bucketing.kind == "hash" and by_product.unbucketed_estimate.over_limits == ("rows",)
    assert not by_product.estimate.over_limits
    place_order = next(w for w in design.writes if w.id == "W1")
    assert set(place_order.tables) == {orders.name, with_items.name} and place_order.logged_batch
