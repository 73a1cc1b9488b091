"""Output formats: aws-cli JSON is accepted by CreateTable (on moto), CloudFormation and Workbench shapes."""

from __future__ import annotations

import json
import shlex
import uuid

import pytest

from tests.dynamodb.schema_builders import shop_schema, shop_workload
from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.mapping import check_rules, rules


@pytest.mark.parametrize("mode", ["single-table", "per-entity"])
def test_aws_cli_json_is_accepted_by_create_table(ddb, mode):
    design = TARGET.design(shop_schema(), shop_workload(), mode=mode)
    script = TARGET.render(design, "aws-cli")
    commands = [shlex.split(line) for line in script.splitlines() if line.startswith("aws ")]
    assert all(c[:4] == ["aws", "dynamodb", "create-table", "--cli-input-json"] and len(c) == 5 for c in commands)
    requests = [json.loads(c[4]) for c in commands]
    assert len(requests) == len(design.tables)
    for request in requests:
        request["TableName"] += "-" + uuid.uuid4().hex[:6]
        created = ddb.create_table(**request)["TableDescription"]
        try:
            assert created["TableName"] == request["TableName"]
            assert len(created.get("GlobalSecondaryIndexes", [])) == len(request.get("GlobalSecondaryIndexes", []))
        finally:
            ddb.delete_table(TableName=request["TableName"])


def test_cloudformation_template_declares_each_table():
    design = TARGET.design(shop_schema(), shop_workload())
    template = json.loads(TARGET.render(design, "cloudformation"))
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    tables = [r for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(tables) == 1
    props = tables[0]["Properties"]
    assert props["TableName"] == design.tables[0].name
    assert [g["IndexName"] for g in props["GlobalSecondaryIndexes"]] == [g.name for g in design.tables[0].gsis]


def test_workbench_model_has_the_documented_shape(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    design = TARGET.design(shop_schema(), shop_workload())
    model = json.loads(TARGET.render(design, "workbench"))
    assert set(model) == {"ModelName", "ModelMetadata", "DataModel"}
    assert model["ModelMetadata"]["AWSService"] == "Amazon DynamoDB"
    table = model["DataModel"][0]
    assert table["KeyAttributes"]["PartitionKey"] == {"AttributeName": "PK", "AttributeType": "S"}
    assert {f["FacetName"] for f in table["TableFacets"]} == {e.entity for e in design.entities}
    assert [g["IndexName"] for g in table["GlobalSecondaryIndexes"]] == [g.name for g in design.tables[0].gsis]
    names = [a["AttributeName"] for a in table["NonKeyAttributes"]]
    assert len(names) == len(set(names)) and "PK" not in names
    assert TARGET.render(design, "workbench") == TARGET.render(design, "workbench")  # reproducible


def test_human_output_names_every_pattern_and_operation():
    design = TARGET.design(shop_schema(), shop_workload())
    text = TARGET.render(design, "human")
    for plan in design.access_patterns:
        assert f"{plan.id}: {plan.operation}" in text


def test_reserved_words_are_dynamodbs_documented_list():
    from pathlib import Path

    import moto

    shipped = Path(moto.__file__).parent / "dynamodb" / "parsing" / "reserved_keywords.txt"
    assert rules().reserved_words == {w.strip().upper() for w in shipped.read_text().split() if w.strip()}
    assert rules().needs_placeholder("status") and rules().needs_placeholder("a-b")
    assert not rules().needs_placeholder("GSI1PK")


def test_mapping_with_an_unknown_canonical_kind_is_refused():
    data = json.loads(json.dumps(load_mapping("dynamodb.toml")))
    data["attribute_types"]["geometry"] = "S"
    with pytest.raises(MappingError, match="geometry"):
        check_rules(data)
    data = json.loads(json.dumps(load_mapping("dynamodb.toml")))
    del data["attribute_types"]["uuid"]
    with pytest.raises(MappingError, match="uuid"):
        check_rules(data)


def test_reserved_attribute_names_go_through_expression_attribute_names():
    from tests.dynamodb.schema_builders import attr, read
    from translator.ir import Entity, Schema
    from translator.workload.model import Workload

    events = Entity(
        "events",
        (attr("event_id", "integer"), attr("status", "string", length=10), attr("date", "timestamp")),
        primary_key=("event_id",),
    )
    plan = TARGET.design(
        Schema((events,)), Workload((read("q", "events", ["status"], order=[("date", "asc")]),))
    ).access_patterns[0]
    assert plan.operation == "Query" and not plan.flagged
    # the key attributes are the generic GSI names; the reserved column names live only inside key strings
    assert "status" not in plan.key_condition and "date" not in plan.key_condition
