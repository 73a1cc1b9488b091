"""Issue 15 for DynamoDB: on samples/saas.sql (row-level security policies), every partition key of a
tenant-scoped entity, in the table and in every GSI, leads with TENANT#<tenant_id>; a pattern that does
not fix the tenant is an error unless it is admin; the CloudFormation output carries an IAM policy whose
dynamodb:LeadingKeys condition names the tenant prefix (checked against a JSON schema of the IAM policy
grammar's shape, and created in moto's IAM); a diagnostic names the RLS policies it replaces."""

from __future__ import annotations

import json
import uuid

import jsonschema
import pytest

from tests.conftest import SAMPLES
from translator.sources import load_schema
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.tenant import isolation_policy
from translator.workload import load_workload
from translator.workload.model import AccessPattern, AttributeRef, PatternKind, Workload

#: The shape of an identity policy as the IAM JSON policy reference describes it (Version, Statement with
#: Effect / Action / Resource / Condition), narrowed to what the tenant policy must say.
POLICY_SCHEMA = {
    "type": "object",
    "required": ["Version", "Statement"],
    "properties": {
        "Version": {"const": "2012-10-17"},
        "Statement": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["Effect", "Action", "Resource", "Condition"],
                "properties": {
                    "Effect": {"const": "Allow"},
                    "Action": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^dynamodb:[A-Za-z]+$"},
                        "not": {"contains": {"const": "dynamodb:Scan"}},
                    },
                    "Resource": {"type": "array", "minItems": 1},
                    "Condition": {
                        "type": "object",
                        "required": ["ForAllValues:StringLike"],
                        "properties": {
                            "ForAllValues:StringLike": {
                                "type": "object",
                                "required": ["dynamodb:LeadingKeys"],
                                "properties": {
                                    "dynamodb:LeadingKeys": {
                                        "type": "array",
                                        "minItems": 1,
                                        "items": {
                                            "type": "string",
                                            "pattern": r"^TENANT#\$\{aws:PrincipalTag/[A-Za-z_]+\}#\*$",
                                        },
                                    }
                                },
                            }
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def saas():
    schema = load_schema([str(SAMPLES / "saas.sql")])
    workload = load_workload(str(SAMPLES / "saas.workload.yaml"), schema)
    return schema, workload, TARGET.design(schema, workload)


def test_every_partition_key_of_a_tenant_entity_leads_with_the_tenant(saas):
    schema, _, design = saas
    assert design.isolation, "saas.sql's policies name the tenant column"
    columns = dict(design.isolation)
    for mapping in design.entities:
        if mapping.entity not in columns:
            continue
        for path in mapping.paths:
            assert path.partition.prefix == "TENANT", (mapping.entity, path.index)
            assert path.partition.parts[0] in (columns[mapping.entity], *[c.part for c in mapping.copies])
            assert path.partition.text().startswith("TENANT#<")


def test_the_cloudformation_output_has_the_leading_keys_policy(saas):
    _, _, design = saas
    template = json.loads(TARGET.render(design, "cloudformation"))
    policy = template["Resources"]["TenantIsolationPolicy"]
    assert policy["Type"] == "AWS::IAM::ManagedPolicy"
    jsonschema.validate(policy["Properties"]["PolicyDocument"], POLICY_SCHEMA)
    resources = policy["Properties"]["PolicyDocument"]["Statement"][0]["Resource"]
    assert {"Fn::GetAtt": [design.tables[0].logical_id, "Arn"]} in resources  # the table and its indexes


def test_the_policy_is_accepted_by_moto_iam(moto_endpoint):
    import boto3

    iam = boto3.client(
        "iam", endpoint_url=moto_endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    document = isolation_policy(
        [
            "arn:aws:dynamodb:us-east-1:123456789012:table/app",
            "arn:aws:dynamodb:us-east-1:123456789012:table/app/index/*",
        ]
    )
    jsonschema.validate(document, POLICY_SCHEMA)
    created = iam.create_policy(PolicyName=f"tenant-{uuid.uuid4().hex[:6]}", PolicyDocument=json.dumps(document))
    arn = created["Policy"]["Arn"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId=created["Policy"]["DefaultVersionId"])
    stored = version["PolicyVersion"]["Document"]
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["Statement"][0]["Condition"] == document["Statement"][0]["Condition"]
    with pytest.raises(iam.exceptions.MalformedPolicyDocumentException):
        iam.create_policy(PolicyName="broken", PolicyDocument=json.dumps({"Version": "2012-10-17"}))


def test_a_diagnostic_names_the_row_level_security_policies_replaced(saas):
    _, _, design = saas
    notes = [d.message for d in design.diagnostics if d.code == "dynamodb-tenant-isolation"]
    assert len(notes) == 1 and "issues_tenant_isolation" in notes[0] and "TenantIsolationPolicy" in notes[0]


def test_a_pattern_without_the_tenant_is_an_error_unless_admin(saas):
    schema, workload, _ = saas
    by_status = (AttributeRef("issues", "status"),)
    extra = (
        AccessPattern("all-open", "issues", equality=by_status),
        AccessPattern("ops-report", "issues", equality=by_status, admin=True),
        AccessPattern("bulk", "issues", PatternKind.DELETE, equality=by_status),
    )
    design = TARGET.design(
        schema, Workload((*workload.access_patterns, *extra), workload.statistics, workload.source, workload.tenant)
    )
    plans = {p.id: p for p in design.access_patterns}
    assert plans["all-open"].flagged and "crosses tenants" in plans["all-open"].reason
    assert plans["bulk"].flagged
    admin = plans["ops-report"]
    assert admin.operation == "Scan" and not admin.flagged and admin.rule == "admin-scan"
    errors = {d.subject for d in design.diagnostics if d.code == "dynamodb-unserved-pattern"}
    assert errors == {"all-open", "bulk"}
    assert any(d.code == "dynamodb-admin-scan" and d.subject == "ops-report" for d in design.diagnostics)
