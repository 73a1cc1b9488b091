"""`simulate SOURCE... --entity E`: fields, rows and sizes come from the schema and its workload."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main
from translator.cli.simulate_schema import entity_spec_from_schema, key_fields
from translator.sources import load_schema
from translator.workload import load_workload
from translator.workload.stats import StatsView

ECOMMERCE = str(SAMPLES / "ecommerce.sql")
WORKLOAD = str(SAMPLES / "ecommerce.workload.yaml")


def run(*args: str):
    return CliRunner().invoke(main, ["simulate", *args], catch_exceptions=False)


def test_any_attribute_of_the_entity_is_a_key_field_with_the_designs_row_count() -> None:
    result = run(ECOMMERCE, "--workload", WORKLOAD, "--entity", "products", "--store", "mongodb-hashed",
                 "--key", "hashed(category_id)", "--format", "json")
    assert result.exit_code == 0, result.output
    schema = load_schema([ECOMMERCE])
    rows = StatsView(schema, load_workload(WORKLOAD, schema).statistics).entity("products").rows
    candidate = json.loads(result.output)["candidates"][0]
    assert candidate["rows"] == int(rows) and candidate["key"] == "hashed(category_id)"


def test_a_foreign_key_takes_its_parents_row_count_as_distinct_values() -> None:
    schema = load_schema([ECOMMERCE])
    workload = load_workload(WORKLOAD, schema)
    spec = entity_spec_from_schema(schema, workload, "products", ["category_id"])
    parent_rows = StatsView(schema, workload.statistics).entity("categories").rows
    assert spec.attributes["category_id"]["distinct"] == parent_rows
    assert set(spec.attributes) == {"category_id"} | {f for _, fields in spec.patterns for f in fields}


def test_key_fields_reads_the_key_grammar() -> None:
    assert key_fields(["tenant_id,hashed(id)", "ts"]) == {"tenant_id", "id", "ts"}


def test_unknown_entity_and_field_are_one_line_errors_with_a_hint() -> None:
    result = run(ECOMMERCE, "--entity", "prodcts", "--store", "cassandra", "--key", "product_id")
    assert result.exit_code == 2 and "did you mean 'products'" in result.output
    result = run(ECOMMERCE, "--entity", "products", "--store", "cassandra", "--key", "categry_id")
    assert result.exit_code == 2 and "did you mean 'category_id'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = run(ECOMMERCE, "--store", "cassandra", "--key", "product_id")
    assert result.exit_code == 2 and "entity" in result.output


def test_a_yaml_count_written_1_0e6_is_a_number_not_a_traceback(tmp_path) -> None:
    # YAML 1.1 reads 1.0e6 as the string '1.0e6'; the samples write counts that way.
    path = tmp_path / "w.yaml"
    path.write_text("statistics:\n  entities:\n    orders: {rows: 1000}\n  attributes:\n"
                    "    orders.customer_id: {distinct: 1.0e2}\n", encoding="utf-8")
    result = run("--workload", str(path), "--entity", "orders", "--store", "cassandra", "--key", "customer_id",
                 "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.output)["candidates"][0]["key_characteristics"]["distinct_values"] <= 100
    path.write_text("statistics:\n  entities:\n    orders: {rows: 1000}\n  attributes:\n"
                    "    orders.customer_id: {distinct: lots}\n", encoding="utf-8")
    result = run("--workload", str(path), "--entity", "orders", "--store", "cassandra", "--key", "customer_id")
    assert result.exit_code == 2 and "distinct must be a number" in result.output
