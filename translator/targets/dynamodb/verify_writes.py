"""verify, writes: replay each write pattern on one existing row, and, where other entities hold copies of
what it changes, the copy maintenance the design prescribes.

The maintenance of a copy: Query the GSI keyed on the copy by the old value, and rewrite every item it
finds with the new value (its GSI key changes with it). The check: the Query finds exactly the items
whose copy the new row changes (none missed, none extra), and after the rewrite each of them equals the
item built from the updated rows. Every item touched is put back afterwards, so later reads match SQL.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from translator.ir import Schema
from translator.targets.dynamodb.items import Related, items_to_rows, row_to_item
from translator.targets.dynamodb.model import DynamoDesign, EntityMapping, PatternPlan
from translator.targets.dynamodb.verify_run import PatternResult, binding_value, run_dynamodb
from translator.targets.dynamodb.verify_sql import need_for, part_values
from translator.workload.model import Workload

__all__ = ["check_write"]


def _wire(item: Mapping[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeSerializer

    ser = TypeSerializer()
    return {k: ser.serialize(v) for k, v in item.items()}


def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer

    de = TypeDeserializer()
    return {k: de.deserialize(v) for k, v in item.items()}


def _table_key(mapping: EntityMapping, item: Mapping[str, Any]) -> dict[str, Any]:
    return {t.attribute: {"S": item[t.attribute]} for t in (mapping.base.partition, mapping.base.sort)}


def _maintain_copies(
    client: Any,
    schema: Schema,
    design: DynamoDesign,
    source: str,
    column: str,
    old_rows: Mapping[str, list[dict[str, Any]]],
    new_rows: Mapping[str, list[dict[str, Any]]],
    tables: dict[str, str],
    saved: dict[tuple[str, str, str], dict[str, Any]],
) -> tuple[bool, str]:
    old_related, new_related = Related(schema, old_rows), Related(schema, new_rows)
    checked = 0
    for holder in design.entities:
        for spec in holder.copies:
            if spec.source != source or spec.column != column:
                continue
            gsi = next((p for p in holder.paths[1:] if spec.part in p.partition.parts), None)
            before = [
                row_to_item(schema, design, holder, r, old_related, i)
                for i, r in enumerate(old_rows.get(holder.entity, []))
            ]
            after = [
                row_to_item(schema, design, holder, r, new_related, i)
                for i, r in enumerate(new_rows.get(holder.entity, []))
            ]
            changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
            if gsi is None or not changed:
                continue
            # Every changed item copies the same source row, so they share one old GSI key, or none when the
            # old value was NULL (those items were not in the sparse GSI; they are found by their foreign key).
            old_key = next((b[gsi.partition.attribute] for b, _ in changed if gsi.partition.attribute in b), None)
            found = (
                []
                if old_key is None
                else client.query(
                    TableName=tables[holder.table],
                    IndexName=gsi.index,
                    KeyConditionExpression="#p = :v",
                    ExpressionAttributeNames={"#p": gsi.partition.attribute},
                    ExpressionAttributeValues={":v": {"S": old_key}},
                ).get("Items", [])
            )
            found_keys = {
                (f[holder.base.partition.attribute]["S"], f[holder.base.sort.attribute]["S"])
                for f in found
                if _plain(f).get(design.table(holder.table).entity_type_attribute) == holder.type_value
            }
            wanted = {
                (b[holder.base.partition.attribute], b[holder.base.sort.attribute])
                for b, _ in changed
                if old_key is not None and b.get(gsi.partition.attribute) == old_key
            }
            if found_keys != wanted:
                return False, (
                    f"the {gsi.index} Query by the old {spec.part} found {len(found_keys)} {holder.entity} "
                    f"item(s), {len(wanted)} hold the copy"
                )
            for b, a in changed:
                saved.setdefault((holder.table, b[holder.base.partition.attribute], b[holder.base.sort.attribute]), b)
                client.put_item(TableName=tables[holder.table], Item=_wire(a))
                got = client.get_item(
                    TableName=tables[holder.table], Key=_table_key(holder, a), ConsistentRead=True
                ).get("Item")
                if got is None or _plain(got) != a:
                    return False, f"the rewritten {holder.entity} item does not hold the new {spec.part}"
            checked += len(changed)
    return True, f"; {checked} copied item(s) found by their GSI and rewritten" if checked else ""


def check_write(
    client: Any,
    schema: Schema,
    workload: Workload,
    design: DynamoDesign,
    plan: PatternPlan,
    tables: dict[str, str],
    rows: Mapping[str, list[dict[str, Any]]],
    related: Related,
    rng: random.Random,
) -> PatternResult:
    """Replay a write on one existing row: the operation must reach that row's item and leave the expected
    item behind; the original items are put back afterwards so later reads still match SQL."""
    entity = schema.entity(plan.entity)
    mapping = design.entity(entity.key)
    candidates = rows.get(entity.key) or []
    if not candidates:
        return PatternResult(plan.id, "skip", plan.operation, 0, f"no {entity.key} rows to write")
    ordinal = rng.randrange(len(candidates))
    row = candidates[ordinal]
    item = row_to_item(schema, design, mapping, row, related, ordinal)
    table = tables[mapping.table]
    key = _table_key(mapping, item)
    saved: dict[tuple[str, str, str], dict[str, Any]] = {}

    def stored() -> list[dict[str, Any]]:
        found = client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        return items_to_rows(schema, design, [_plain(found)]).get(entity.key, []) if found else []

    try:
        pattern = workload.pattern(plan.id)
        need = need_for(schema, mapping, pattern)
        values_of_row = part_values(schema, mapping, row, related)
        params = {part: values_of_row[part] for part in need.eq}
        if plan.operation == "PutItem":
            client.delete_item(TableName=table, Key=key)
            client.put_item(TableName=table, Item=_wire(item))
            ok, what = stored() == [row], "PutItem then GetItem by the table key returned the row"
        elif plan.operation.startswith("Query+"):
            query = PatternPlan(
                **{**{f: getattr(plan, f) for f in PatternPlan.__slots__}, "operation": "Query", "limit": None}
            )
            found = items_to_rows(schema, design, run_dynamodb(client, schema, design, query, tables, params))
            ok, what = row in found.get(entity.key, []), "the Query finds the item to write"
        else:
            values = {b.placeholder: binding_value(schema, mapping, b, params, "#") for b in plan.values}
            base = mapping.base
            reached = {base.partition.attribute: {"S": values[":pk"]}, base.sort.attribute: {"S": values[":sk"]}}
            if reached != key:
                return PatternResult(
                    plan.id, "fail", plan.operation, 1, f"the plan's key {reached} is not the row's key {key}"
                )
            if plan.operation == "DeleteItem":
                client.delete_item(TableName=table, Key=reached)
                ok, what = stored() == [], "DeleteItem by the plan's key removed the item"
            else:
                ok, what = _update(
                    client, schema, design, mapping, plan, row, ordinal, item, reached, tables, rows, saved, stored
                )
    finally:
        client.put_item(TableName=table, Item=_wire(item))  # put the original back
        for (holder_table, _pk, _sk), original in saved.items():
            client.put_item(TableName=tables[holder_table], Item=_wire(original))
    return PatternResult(plan.id, "pass" if ok else "fail", plan.operation, 1, what if ok else f"not so: {what}")


def _update(
    client: Any,
    schema: Schema,
    design: DynamoDesign,
    mapping: EntityMapping,
    plan: PatternPlan,
    row: dict[str, Any],
    ordinal: int,
    item: dict[str, Any],
    reached: dict[str, Any],
    tables: dict[str, str],
    rows: Mapping[str, list[dict[str, Any]]],
    saved: dict,
    stored: Any,
) -> tuple[bool, str]:
    """SET (or REMOVE) one non-key column, preferring one that other entities copy; then maintain the copies."""
    from boto3.dynamodb.types import TypeSerializer

    in_keys = {c for p in mapping.paths for t in (p.partition, p.sort) for c in t.parts}
    copied = {s.column for h in design.entities for s in h.copies if s.source == mapping.entity}
    free = [a for a in mapping.attributes if a.column not in in_keys]
    column = next((a for a in free if a.column in copied), free[0] if free else None)
    if column is None:
        return True, "every column is part of a key (nothing to update)"
    candidates = rows[mapping.entity]
    other = next((r[column.column] for r in candidates if r[column.column] != row[column.column]), row[column.column])
    new_row = {**row, column.column: other}
    table = tables[mapping.table]
    if other is None:
        client.update_item(
            TableName=table,
            Key=reached,
            UpdateExpression="REMOVE #c",
            ExpressionAttributeNames={"#c": column.attribute},
        )
    else:
        value = TypeSerializer().serialize(
            row_to_item(schema, design, mapping, new_row, None, ordinal)[column.attribute]
        )
        client.update_item(
            TableName=table,
            Key=reached,
            UpdateExpression="SET #c = :v",
            ExpressionAttributeNames={"#c": column.attribute},
            ExpressionAttributeValues={":v": value},
        )
    ok, what = stored() == [new_row], f"UpdateItem by the plan's key changed {column.column}"
    if not ok or column.column not in copied:
        return ok, what
    new_rows = {
        k: ([new_row if i == ordinal else r for i, r in enumerate(v)] if k == mapping.entity else v)
        for k, v in rows.items()
    }
    done, note = _maintain_copies(client, schema, design, mapping.entity, column.column, rows, new_rows, tables, saved)
    return done, what + note if done else note
