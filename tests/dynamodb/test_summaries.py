"""The plain-data summaries `plan` reads (key candidates, serving, sizes), and the simulate commands the
human output prints, run as printed through the real CLI."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.dynamodb.schema_builders import read, shop_schema, shop_workload, write
from translator.cli import main
from translator.targets.dynamodb import TARGET
from translator.workload.model import Workload

# Refusals that are the simulator's, not this target's (reported to the simulator's owner): a key on an
# attribute the workload gives no statistics or pattern for is "unknown", and PyYAML reads `1.0e6` as text.
_SIMULATOR_GAPS = (re.compile(r"unknown field"), re.compile(r"invalid literal for int\(\)"))


def test_key_candidates_name_entity_attributes_and_the_dynamodb_store():
    design = TARGET.design(shop_schema(), shop_workload())
    candidates = TARGET.key_candidates(design)
    schema = shop_schema()
    assert {c.entity for c in candidates} == {e.key for e in schema.entities}
    for candidate in candidates:
        assert candidate.store == "dynamodb" and candidate.partitioning == "hashed"
        assert set(candidate.fields) <= set(schema.entity(candidate.entity).attribute_names)
        assert candidate.simulate_key == ",".join(candidate.fields) and "_id" != candidate.simulate_key
    items = [c for c in candidates if c.entity == "order_items"]
    assert items[0].rank == 0 and items[0].fields == ("order_id",)  # the child lives in its order's partition


def test_serving_counts_requests_partitions_and_write_amplification():
    workload = Workload(
        (
            *shop_workload().access_patterns,
            write("new-order", "orders", rate=7),
            read("all-products", "products", order=[("price", "asc"), ("title", "desc")]),
        )
    )
    design = TARGET.design(shop_schema(), workload)
    served = {s.pattern: s for s in TARGET.serving(design)}
    assert served["customer-by-id"].access == "single-partition" and served["customer-by-id"].requests == 1
    assert served["order-with-items"].containers == ("app",)
    assert served["orders-of-customer"].containers[0].startswith("app/GSI")
    assert served["all-products"].access == "scan"
    orders = design.entity("orders")
    # a put writes the item and its copy in each GSI the item is keyed in
    assert served["new-order"].writes == len(orders.paths) and served["new-order"].rate == 7


def test_size_checks_cover_every_item_and_collection():
    design = TARGET.design(shop_schema(), shop_workload())
    checks = TARGET.size_checks(design)
    assert {c.container.split("/")[1] for c in checks if c.unit == "item"} == {e.key for e in shop_schema().entities}
    assert any(c.unit == "collection" and c.container.endswith("/orders") for c in checks)
    assert all(c.ok for c in checks) and all(c.limit_bytes == 409600 for c in checks if c.unit == "item")


def test_artifact_is_the_cloudformation_template():
    assert TARGET.artifact == ("dynamodb.cloudformation.json", "cloudformation")


def _printed_commands(args: list[str]) -> list[list[str]]:
    result = CliRunner().invoke(main, ["translate", *args, "--to", "dynamodb"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    lines = [line.split(": ", 1)[1] for line in result.output.splitlines() if ": polyschema simulate " in line]
    return [shlex.split(line)[1:] for line in lines]


def _corpus_workload(tmp_path, sql):
    """A statistics-only workload (the default patterns apply) so the printed commands carry --workload."""
    from tests.ingest.corpus_util import ingested

    schema = ingested(sql)
    path = tmp_path / f"{sql.stem}.yaml"
    path.write_text(
        "version: 1\nstatistics:\n  entities:\n"
        + "".join(f"    {e.key!r}: {{rows: 2000, avg_row_bytes: 100}}\n" for e in schema.entities)
    )
    return [str(sql), "--workload", str(path)]


def _scaled_sample(tmp_path, name):
    """The sample's workload with its row counts divided by 1,000: the same design and the same printed
    commands, but simulations of 200,000 rather than 200 million rows keep the test quick."""
    import yaml

    doc = yaml.safe_load((SAMPLES / f"{name}.workload.yaml").read_text())
    for stats in doc["statistics"]["entities"].values():
        stats["rows"] = max(10, int(float(stats["rows"]) / 1000))
    path = tmp_path / f"{name}.workload.yaml"
    path.write_text(yaml.safe_dump(doc))
    return [str(SAMPLES / f"{name}.sql"), "--workload", str(path)]


def _cases(tmp_path):
    from tests.ingest.corpus_util import CORPUS_FILES

    yield _scaled_sample(tmp_path, "ecommerce")
    yield _scaled_sample(tmp_path, "saas")
    for sql in [p for p in CORPUS_FILES if p.stem in ("chinook", "tpch")][:2]:
        yield _corpus_workload(tmp_path, sql)


def test_every_printed_simulate_command_runs_as_printed(tmp_path):
    gaps, ran = [], 0
    for case in _cases(tmp_path):
        for command in _printed_commands(case):
            assert command[:1] == ["simulate"]
            result = CliRunner().invoke(main, command)
            ran += 1
            if result.exit_code in (0, 1):  # 1: the simulator found an alarm, which is a finding, not a refusal
                continue
            text = result.output + (repr(result.exception) if result.exception else "")
            assert any(p.search(text) for p in _SIMULATOR_GAPS), (command, text)
            gaps.append(" ".join(command))
    # 20 before saas's users were keyed by tenant in the table (own-partition-by-parent): one GSI fewer
    assert ran >= 19
    if gaps:
        pytest.xfail(f"{len(gaps)} of {ran} commands refused by known simulator gaps, e.g. {gaps[0]}")
