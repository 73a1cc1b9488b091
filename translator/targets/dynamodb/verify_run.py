"""Running one plan exactly as designed on an endpoint (GetItem, or Query with its index, key condition,
values, names, direction and limit; all pages; one Query per write shard, merged by the sort key)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.ir import Schema
from translator.targets.dynamodb.items import encode_key_value, to_attribute_value
from translator.targets.dynamodb.model import DynamoDesign, EntityMapping, PatternPlan, ValueBinding
from translator.targets.dynamodb.parts import part_type

__all__ = ["PatternResult", "binding_value", "run_dynamodb"]


@dataclass(frozen=True, slots=True)
class PatternResult:
    id: str
    status: str  # pass | fail | skip
    operation: str
    checks: int
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "operation": self.operation,
            "checks": self.checks,
            "detail": self.detail,
        }


def binding_value(
    schema: Schema, mapping: EntityMapping, binding: ValueBinding, params: dict[str, Any], sep: str, shard: int = 0
) -> Any:
    """The expression value of `binding` for `params`: a key string, or an attribute value (role `value`)."""
    if any(role == "value" for _, role in binding.parts):
        column = binding.parts[0][0]
        return to_attribute_value(part_type(schema, mapping, column), params[column])
    if not binding.parts and binding.placeholder not in (":pk", ":sk", ":lo", ":hi"):
        return binding.prefix  # a literal such as an entity type
    parts = [binding.prefix]
    for value, role in binding.parts:
        if role == "lit":
            parts.append(value)
        elif role == "shard":
            parts.append(str(shard))
        else:
            raw = params[value] if role == "eq" else params[f"{value}.{role}"]
            parts.append(encode_key_value(part_type(schema, mapping, value), raw))
    return sep.join(parts) + (sep if binding.trailing_separator else "") + binding.suffix


def run_dynamodb(
    client: Any, schema: Schema, design: DynamoDesign, plan: PatternPlan, tables: dict[str, str], params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run the plan as designed; a write-sharded plan runs once per suffix and merges by the sort key."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    ser, de = TypeSerializer(), TypeDeserializer()
    mapping = design.entity(plan.items_of or plan.entity)
    path = mapping.path_on(plan.index) or mapping.base
    items: list[dict[str, Any]] = []
    for shard in range(plan.shards):
        values = {b.placeholder: binding_value(schema, mapping, b, params, "#", shard) for b in plan.values}
        if plan.operation == "GetItem":
            key = {path.partition.attribute: {"S": values[":pk"]}, path.sort.attribute: {"S": values[":sk"]}}
            found = client.get_item(TableName=tables[mapping.table], Key=key).get("Item")
            return [{k: de.deserialize(v) for k, v in found.items()}] if found else []
        request: dict[str, Any] = {
            "TableName": tables[mapping.table],
            "KeyConditionExpression": plan.key_condition,
            "ExpressionAttributeValues": {k: ser.serialize(v) for k, v in values.items()},
            "ScanIndexForward": plan.scan_forward,
        }
        if plan.index:
            request["IndexName"] = plan.index
        if plan.names:
            request["ExpressionAttributeNames"] = dict(plan.names)
        if plan.filter:
            request["FilterExpression"] = plan.filter
        if plan.limit and not plan.filter and not plan.items_of:  # child items: Limit would count children
            request["Limit"] = plan.limit
        while True:
            page = client.query(**request)
            items += [{k: de.deserialize(v) for k, v in item.items()} for item in page.get("Items", [])]
            if "Limit" in request or "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    if plan.shards > 1:
        items.sort(key=lambda item: item.get(path.sort.attribute, ""), reverse=not plan.scan_forward)
    alone = len(plan.returns) - len(plan.carried) == 1  # parents carried in the items are no items of their own
    return items[: plan.limit] if plan.limit and alone and not plan.items_of else items
