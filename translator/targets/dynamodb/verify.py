"""verify: run every access pattern of a design on a DynamoDB-compatible endpoint and compare the items
with the same question answered by SQL over the source rows (an in-memory SQLite copy).

By default a moto server is started on 127.0.0.1 for the run. Tables are created with a run-specific
suffix and deleted afterwards, so an existing endpoint's tables are never touched.
"""

from __future__ import annotations

import contextlib
import decimal
import json
import random
import socket
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from translator.errors import ConnectionProblem
from translator.ir import Entity, Schema
from translator.targets.dynamodb.items import (
    _iso,
    encode_key_value,
    items_to_rows,
    key_type,
    normalize_row,
    row_to_item,
    rows_to_items,
)
from translator.targets.dynamodb.model import DynamoDesign, PatternPlan, ValueBinding
from translator.targets.dynamodb.render import create_table_request
from translator.types import TypeKind
from translator.workload.model import AccessPattern, Workload

__all__ = ["PatternResult", "VerifyReport", "dynamodb_client", "local_endpoint", "verify_design"]


@dataclass(frozen=True, slots=True)
class PatternResult:
    id: str
    status: str  # pass | fail | skip
    operation: str
    checks: int
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "operation": self.operation, "checks": self.checks,
                "detail": self.detail}


@dataclass(frozen=True, slots=True)
class VerifyReport:
    endpoint: str
    items_loaded: int
    results: tuple[PatternResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.status != "fail" for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"target": "dynamodb", "endpoint": self.endpoint, "items_loaded": self.items_loaded, "ok": self.ok,
                "results": [r.to_dict() for r in self.results]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def local_endpoint() -> Iterator[str]:
    """A moto DynamoDB server on 127.0.0.1 for the duration of the block; yields its URL."""
    import logging

    from moto.server import ThreadedMotoServer

    # werkzeug logs every request to stderr; the pass/fail lines are the output that matters.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def dynamodb_client(endpoint_url: str) -> Any:
    """A boto3 client for `endpoint_url`, failing fast with a one-line `ConnectionProblem` if it is down."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session()
    credentials = {} if session.get_credentials() else {"aws_access_key_id": "polyschema", "aws_secret_access_key": "polyschema"}
    client = session.client("dynamodb", endpoint_url=endpoint_url, region_name=session.region_name or "us-east-1",
                            config=Config(connect_timeout=3, read_timeout=20, retries={"max_attempts": 1}), **credentials)
    try:
        client.list_tables(Limit=1)
    except (BotoCoreError, ClientError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise ConnectionProblem(f"cannot reach DynamoDB endpoint {endpoint_url}: {reason}") from None
    return client


def _sqlite_value(entity: Entity, column: str, value: Any) -> Any:
    if value is None:
        return None
    type_ = entity.attribute(column).type
    if type_.kind in (TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP):
        return _iso(type_, value)  # SQLite compares ISO-8601 text chronologically
    if type_.kind is TypeKind.DECIMAL:
        # Scaled to an integer when that is exact in SQLite's 64 bits, so equality and order stay exact.
        if type_.scale is not None and (type_.precision or 99) <= 18:
            return int(decimal.Decimal(value).scaleb(type_.scale, context=decimal.Context(prec=1000)))
        return float(value)
    if type_.kind in (TypeKind.INTEGER, TypeKind.FLOAT, TypeKind.BOOLEAN):
        return value
    if type_.kind is TypeKind.BINARY:
        return bytes(value)
    if type_.kind in (TypeKind.JSON, TypeKind.ARRAY):
        return json.dumps(value, default=str)
    return str(value)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _load_sqlite(schema: Schema, rows: Mapping[str, list[dict[str, Any]]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for key, entity_rows in rows.items():
        entity = schema.entity(key)
        cols = [a.name for a in entity.attributes]
        db.execute(f"CREATE TABLE {_q(entity.key)} (__row INTEGER, {', '.join(_q(c) for c in cols)})")
        db.executemany(f"INSERT INTO {_q(entity.key)} VALUES (?, {', '.join('?' for _ in cols)})",
                       [(i, *(_sqlite_value(entity, c, r.get(c)) for c in cols)) for i, r in enumerate(entity_rows)])
    return db


def _binding_value(schema: Schema, entity: Entity, binding: ValueBinding, params: dict[str, Any], sep: str) -> str:
    parts = [binding.prefix]
    for column, role in binding.parts:
        value = params[column] if role == "eq" else params[f"{column}.{role}"]
        parts.append(encode_key_value(key_type(schema, entity, column), value))
    return sep.join(parts) + (sep if binding.trailing_separator else "") + binding.suffix


def _parameter_sets(pattern: AccessPattern, rows: list[dict[str, Any]], rng: random.Random, count: int) -> list[dict[str, Any]]:
    eq = [r.attribute for r in pattern.equality]
    usable = [r for r in rows if all(r.get(c) is not None for c in eq)]
    out = []
    for row in rng.sample(usable, min(count, len(usable))):
        params = {c: row[c] for c in eq}
        if pattern.range is not None:
            column = pattern.range.attribute
            values = sorted(r[column] for r in usable if all(r[c] == row[c] for c in eq) and r.get(column) is not None)
            if not values:
                continue
            low, high = sorted((rng.choice(values), rng.choice(values)))
            params[f"{column}.low"], params[f"{column}.high"] = low, high
        out.append(params)
    return out


def _run_dynamodb(client: Any, schema: Schema, design: DynamoDesign, plan: PatternPlan, tables: dict[str, str],
                  params: dict[str, Any]) -> list[dict[str, Any]]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    ser, de = TypeSerializer(), TypeDeserializer()
    entity = schema.entity(plan.entity)
    sep = "#"
    values = {b.placeholder: _binding_value(schema, entity, b, params, sep) if b.parts or b.placeholder in (":pk", ":sk", ":lo", ":hi")
              else b.prefix for b in plan.values}
    mapping = design.entity(entity.key)
    path = mapping.path_on(plan.index) or mapping.base
    if plan.operation == "GetItem":
        key = {path.partition.attribute: {"S": values[":pk"]}, path.sort.attribute: {"S": values[":sk"]}}
        found = client.get_item(TableName=tables[plan.table], Key=key).get("Item")
        return [{k: de.deserialize(v) for k, v in found.items()}] if found else []
    request: dict[str, Any] = {"TableName": tables[plan.table], "KeyConditionExpression": plan.key_condition,
                               "ExpressionAttributeValues": {k: ser.serialize(v) for k, v in values.items()},
                               "ScanIndexForward": plan.scan_forward}
    if plan.index:
        request["IndexName"] = plan.index
    if plan.names:
        request["ExpressionAttributeNames"] = dict(plan.names)
    if plan.filter:
        request["FilterExpression"] = plan.filter
    if plan.limit:
        request["Limit"] = plan.limit
    items: list[dict[str, Any]] = []
    while True:
        page = client.query(**request)
        items += [{k: de.deserialize(v) for k, v in item.items()} for item in page.get("Items", [])]
        if plan.limit or "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _run_sql(db: sqlite3.Connection, schema: Schema, design: DynamoDesign, plan: PatternPlan, pattern: AccessPattern,
             params: dict[str, Any]) -> dict[str, list[int]]:
    """Row numbers per entity that answer the pattern; ties in the order are broken by the sort key."""
    entity = schema.entity(plan.entity)
    where = [f"{_q(c)} = ?" for c in (r.attribute for r in pattern.equality)]
    args = [_sqlite_value(entity, r.attribute, params[r.attribute]) for r in pattern.equality]
    if pattern.range is not None:
        column = pattern.range.attribute
        where.append(f"{_q(column)} BETWEEN ? AND ?")
        args += [_sqlite_value(entity, column, params[f"{column}.low"]), _sqlite_value(entity, column, params[f"{column}.high"])]
    sql = f"SELECT __row FROM {_q(entity.key)} WHERE {' AND '.join(where) or '1=1'}"
    if pattern.order_by or pattern.limit:
        path = design.entity(entity.key).path_on(plan.index) or design.entity(entity.key).base
        eq = {r.attribute for r in pattern.equality}
        direction = "ASC" if plan.scan_forward else "DESC"
        order = [c for c in path.sort.parts if c not in eq] or list(entity.primary_key)
        sql += " ORDER BY " + ", ".join(f"{_q(c)} {direction}" for c in order)
    if pattern.limit:
        sql += f" LIMIT {int(pattern.limit)}"
    found = {entity.key: [r[0] for r in db.execute(sql, args)]}
    for child_name in pattern.with_:
        child = schema.entity(child_name)
        rel = next(r for r in schema.relationships_from(child.key) if r.to_entity == entity.key)
        numbers: list[int] = []
        for parent_row in found[entity.key]:
            keys = db.execute(f"SELECT {', '.join(_q(c) for c in rel.to_attributes)} FROM {_q(entity.key)} WHERE __row = ?",
                              (parent_row,)).fetchone()
            cond = " AND ".join(f"{_q(c)} = ?" for c in rel.from_attributes)
            numbers += [r[0] for r in db.execute(f"SELECT __row FROM {_q(child.key)} WHERE {cond}", keys)]
        found[child.key] = numbers
    return found


def _canon(rows: list[dict[str, Any]]) -> list[str]:
    return [repr(sorted(r.items())) for r in rows]


def verify_design(schema: Schema, workload: Workload, design: DynamoDesign, rows: Mapping[str, list[dict[str, Any]]],
                  client: Any, *, endpoint: str = "", seed: int = 0, checks_per_pattern: int = 5,
                  keep_tables: bool = False) -> VerifyReport:
    """Create the tables, load `rows` as items, run every pattern and compare with SQL on the rows.

    An endpoint error (refused request, lost connection) is a one-line `ConnectionProblem`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return _verify(schema, workload, design, rows, client, endpoint, seed, checks_per_pattern, keep_tables)
    except (BotoCoreError, ClientError) as exc:
        raise ConnectionProblem(f"DynamoDB endpoint {endpoint or '(client)'} failed during verify: "
                                + " ".join(str(exc).split())) from None


def _verify(schema: Schema, workload: Workload, design: DynamoDesign, rows: Mapping[str, list[dict[str, Any]]],
            client: Any, endpoint: str, seed: int, checks_per_pattern: int, keep_tables: bool) -> VerifyReport:
    rows = {schema.entity(k).key: [normalize_row(schema.entity(k), r) for r in v] for k, v in rows.items()}
    run = uuid.uuid4().hex[:8]
    tables = {t.name: f"{t.name}-verify-{run}" for t in design.tables}
    from boto3.dynamodb.types import TypeSerializer

    ser = TypeSerializer()
    created: list[str] = []
    results: list[PatternResult] = []
    loaded = 0
    try:
        for table in design.tables:
            request = create_table_request(table)
            request["TableName"] = tables[table.name]
            client.create_table(**request)
            created.append(tables[table.name])
            client.get_waiter("table_exists").wait(TableName=tables[table.name], WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        for table, items in rows_to_items(schema, design, rows).items():
            for start in range(0, len(items), 25):
                batch = [{"PutRequest": {"Item": {k: ser.serialize(v) for k, v in item.items()}}} for item in items[start:start + 25]]
                pending = {tables[table]: batch}
                while pending:
                    pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            loaded += len(items)
        db = _load_sqlite(schema, rows)
        rng = random.Random(seed)
        for plan in design.access_patterns:
            results.append(_check(client, db, schema, workload, design, plan, tables, rows, rng, checks_per_pattern))
    finally:
        if not keep_tables:
            for name in created:
                with contextlib.suppress(Exception):
                    client.delete_table(TableName=name)
    return VerifyReport(endpoint, loaded, tuple(results))


def _check(client: Any, db: sqlite3.Connection, schema: Schema, workload: Workload, design: DynamoDesign,
           plan: PatternPlan, tables: dict[str, str], rows: Mapping[str, list[dict[str, Any]]], rng: random.Random,
           count: int) -> PatternResult:
    if plan.flagged and plan.key_condition is None:
        return PatternResult(plan.id, "fail", plan.operation, 0, f"flagged: {plan.reason}")
    if plan.kind != "read":
        return _check_write(client, schema, workload, design, plan, tables, rows, rng)
    pattern = workload.pattern(plan.id)
    entity = schema.entity(plan.entity)
    param_sets = _parameter_sets(pattern, rows.get(entity.key, []), rng, count)
    if not param_sets:
        return PatternResult(plan.id, "skip", plan.operation, 0, f"no {entity.key} rows to ask about")
    for params in param_sets:
        items = _run_dynamodb(client, schema, design, plan, tables, params)
        got = items_to_rows(schema, design, items)
        expected = _run_sql(db, schema, design, plan, pattern, params)
        for key in {*got, *expected}:
            want = [rows[key][i] for i in expected.get(key, [])]
            have = got.get(key, [])
            ordered = key == entity.key and bool(pattern.order_by)
            same = _canon(have) == _canon(want) if ordered else sorted(_canon(have)) == sorted(_canon(want))
            if pattern.limit and not pattern.order_by and key == entity.key:
                same = len(have) == len(want) and set(_canon(have)) <= set(_canon(rows[key]))
            if not same:
                shown = {k: str(v) for k, v in params.items()}
                return PatternResult(plan.id, "fail", plan.operation, len(param_sets),
                                     f"{key}: DynamoDB returned {len(have)} item(s), SQL {len(want)} row(s) for {shown}")
    note = f" (flagged: {plan.reason})" if plan.flagged else ""
    return PatternResult(plan.id, "pass", plan.operation, len(param_sets),
                         f"{len(param_sets)} parameter set(s) gave the same rows as SQL{note}")


def _check_write(client: Any, schema: Schema, workload: Workload, design: DynamoDesign, plan: PatternPlan,
                 tables: dict[str, str], rows: Mapping[str, list[dict[str, Any]]], rng: random.Random) -> PatternResult:
    """Replay a write on one existing row: the operation must reach that row's item and leave the expected
    item behind; the original item is put back afterwards so later reads still match SQL."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    ser, de = TypeSerializer(), TypeDeserializer()
    entity = schema.entity(plan.entity)
    mapping = design.entity(entity.key)
    candidates = rows.get(entity.key) or []
    if not candidates:
        return PatternResult(plan.id, "skip", plan.operation, 0, f"no {entity.key} rows to write")
    row = rng.choice(candidates)
    item = row_to_item(schema, design, mapping, row)
    table, base = tables[plan.table], mapping.base
    key = {t.attribute: {"S": item[t.attribute]} for t in (base.partition, base.sort)}
    wire = {k: ser.serialize(v) for k, v in item.items()}

    def stored() -> list[dict[str, Any]]:
        found = client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
        return items_to_rows(schema, design, [{k: de.deserialize(v) for k, v in found.items()}]).get(entity.key, []) if found else []

    try:
        if plan.operation == "PutItem":
            client.delete_item(TableName=table, Key=key)
            client.put_item(TableName=table, Item=wire)
            ok, what = stored() == [row], "PutItem then GetItem by the table key returned the row"
        elif plan.operation.startswith("Query+"):
            pattern = workload.pattern(plan.id)
            params = {r.attribute: row[r.attribute] for r in pattern.equality}
            query = PatternPlan(**{**{f: getattr(plan, f) for f in PatternPlan.__slots__}, "operation": "Query", "limit": None})
            found = items_to_rows(schema, design, _run_dynamodb(client, schema, design, query, tables, params)).get(entity.key, [])
            ok, what = row in found, "the Query finds the item to write"
        else:
            pattern = workload.pattern(plan.id)
            params = {r.attribute: row[r.attribute] for r in pattern.equality}
            sep = "#"
            values = {b.placeholder: _binding_value(schema, entity, b, params, sep) for b in plan.values}
            reached = {base.partition.attribute: {"S": values[":pk"]}, base.sort.attribute: {"S": values[":sk"]}}
            if reached != key:
                return PatternResult(plan.id, "fail", plan.operation, 1, f"the plan's key {reached} is not the row's key {key}")
            if plan.operation == "DeleteItem":
                client.delete_item(TableName=table, Key=reached)
                ok, what = stored() == [], "DeleteItem by the plan's key removed the item"
            else:
                in_keys = {c for p in mapping.paths for t in (p.partition, p.sort) for c in t.parts}
                column = next((a for a in mapping.attributes if a.column not in in_keys), None)
                if column is None:
                    return PatternResult(plan.id, "skip", plan.operation, 0, "every column is part of a key")
                other = next((r[column.column] for r in candidates if r[column.column] != row[column.column]), row[column.column])
                value = ser.serialize(item.get(column.attribute) if other is None else
                                      row_to_item(schema, design, mapping, {**row, column.column: other})[column.attribute])
                if other is None:
                    client.update_item(TableName=table, Key=reached, UpdateExpression="REMOVE #c",
                                       ExpressionAttributeNames={"#c": column.attribute})
                else:
                    client.update_item(TableName=table, Key=reached, UpdateExpression="SET #c = :v",
                                       ExpressionAttributeNames={"#c": column.attribute}, ExpressionAttributeValues={":v": value})
                ok, what = stored() == [{**row, column.column: other}], f"UpdateItem by the plan's key changed {column.column}"
    finally:
        client.put_item(TableName=table, Item=wire)  # put the original back
    return PatternResult(plan.id, "pass" if ok else "fail", plan.operation, 1, what if ok else f"not so: {what}")
