"""Tenancy (issue 15): with a known tenant column, every partition key of a tenant-scoped entity (the
table's and each GSI's) starts with `TENANT#<tenant_id>`, so an IAM policy with the `dynamodb:LeadingKeys`
condition confines a principal to its tenant's items. A pattern that does not fix the tenant crosses
tenants: an error, unless the workload marks it `admin` (then it is a Scan for an administrative role).

The policy follows the AWS DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access
control" (`dynamodb:LeadingKeys` with a `ForAllValues:` set operator), with the tenant taken from the
principal's `tenant_id` session tag and `StringLike` because the key continues after the tenant.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from translator.ir import Schema
from translator.targets.dynamodb.model import KeyTemplate
from translator.tenancy import Tenancy

__all__ = ["TENANT_PREFIX", "tenant_columns", "lead", "isolation_policy", "template_resources", "ACTIONS"]

TENANT_PREFIX = "TENANT"
#: Item-level actions `dynamodb:LeadingKeys` can confine (Scan cannot: it reads every partition).
ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)


def tenant_columns(schema: Schema, tenancy: Tenancy) -> dict[str, str]:
    """Entity key -> its tenant column (the attribute's own spelling)."""
    out = {}
    for column in tenancy.columns:
        entity = schema.find_entity(column.entity)
        found = entity.find_attribute(column.attribute) if entity is not None else None
        if entity is not None and found is not None:
            out[entity.key] = found.name
    return out


def lead(template: KeyTemplate, column: str) -> KeyTemplate:
    """`template` led by `TENANT#<column>#`, its old prefix kept as a literal tag after the tenant."""
    if template.prefix == TENANT_PREFIX and template.parts[:1] == (column,):
        return template
    rest = tuple(p for p in template.parts if p != column)
    return replace(template, prefix=TENANT_PREFIX, parts=(column, *rest), literals=((1, template.prefix),), shards=1)


def template_resources(table_logical_ids: list[str]) -> list[Any]:
    """Each table and its indexes, as CloudFormation references."""
    out: list[Any] = []
    for lid in table_logical_ids:
        out += [{"Fn::GetAtt": [lid, "Arn"]}, {"Fn::Sub": "${" + lid + ".Arn}/index/*"}]
    return out


def isolation_policy(resources: list[Any], tag: str = "tenant_id") -> dict[str, Any]:
    """The IAM policy document confining a principal to the items whose partition key starts with its
    tenant (the principal's `tag` session tag holds the tenant id as the key encodes it)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TenantItemsOnly",
                "Effect": "Allow",
                "Action": list(ACTIONS),
                "Resource": resources,
                "Condition": {
                    "ForAllValues:StringLike": {
                        "dynamodb:LeadingKeys": [f"{TENANT_PREFIX}#${{aws:PrincipalTag/{tag}}}#*"]
                    }
                },
            }
        ],
    }
