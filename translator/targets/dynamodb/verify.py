"""verify: run every access pattern of a design on a DynamoDB-compatible endpoint and compare the items
with the same question answered by SQL over the source rows (an in-memory SQLite copy).

By default a moto server is started on 127.0.0.1 for the run. Tables are created with a run-specific
suffix and deleted afterwards, so an existing endpoint's tables are never touched.
"""

from __future__ import annotations

import contextlib
import random
import socket
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from translator.errors import ConnectionProblem
from translator.ir import Schema
from translator.targets.dynamodb.items import (
    Related,
    encode_key_value,
    items_to_rows,
    normalize_row,
    rows_to_items,
    to_attribute_value,
)
from translator.targets.dynamodb.model import DynamoDesign, EntityMapping, PatternPlan, ValueBinding
from translator.targets.dynamodb.parts import part_type
from translator.targets.dynamodb.render import create_table_request
from translator.targets.dynamodb.verify_sql import load_sqlite, need_for, parameter_sets, run_sql
from translator.workload.model import Workload

__all__ = ["PatternResult", "VerifyReport", "dynamodb_client", "local_endpoint", "verify_design", "run_dynamodb",
           "binding_value"]


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


def binding_value(schema: Schema, mapping: EntityMapping, binding: ValueBinding, params: dict[str, Any], sep: str,
                   shard: int = 0) -> Any:
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


def run_dynamodb(client: Any, schema: Schema, design: DynamoDesign, plan: PatternPlan, tables: dict[str, str],
                  params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the plan as designed; a write-sharded plan runs once per suffix and merges by the sort key."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    ser, de = TypeSerializer(), TypeDeserializer()
    mapping = design.entity(plan.entity)
    path = mapping.path_on(plan.index) or mapping.base
    items: list[dict[str, Any]] = []
    for shard in range(plan.shards):
        values = {b.placeholder: binding_value(schema, mapping, b, params, "#", shard) for b in plan.values}
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
        if plan.limit and not plan.filter:
            request["Limit"] = plan.limit
        while True:
            page = client.query(**request)
            items += [{k: de.deserialize(v) for k, v in item.items()} for item in page.get("Items", [])]
            if (plan.limit and not plan.filter) or "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    if plan.shards > 1:
        items.sort(key=lambda item: item.get(path.sort.attribute, ""), reverse=not plan.scan_forward)
    return items[: plan.limit] if plan.limit and len(plan.returns) == 1 else items


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
        related = Related(schema, rows)
        for table, items in rows_to_items(schema, design, rows).items():
            for start in range(0, len(items), 25):
                batch = [{"PutRequest": {"Item": {k: ser.serialize(v) for k, v in item.items()}}} for item in items[start:start + 25]]
                pending = {tables[table]: batch}
                while pending:
                    pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            loaded += len(items)
        db = load_sqlite(schema, rows)
        rng = random.Random(seed)
        for plan in design.access_patterns:
            if plan.kind != "read" and not (plan.flagged and plan.key_condition is None):
                from translator.targets.dynamodb.verify_writes import check_write

                results.append(check_write(client, schema, workload, design, plan, tables, rows, related, rng))
            else:
                results.append(_check(client, db, schema, workload, design, plan, tables, rows, related, rng,
                                      checks_per_pattern))
    finally:
        if not keep_tables:
            for name in created:
                with contextlib.suppress(Exception):
                    client.delete_table(TableName=name)
    return VerifyReport(endpoint, loaded, tuple(results))


def _check(client: Any, db: sqlite3.Connection, schema: Schema, workload: Workload, design: DynamoDesign,
           plan: PatternPlan, tables: dict[str, str], rows: Mapping[str, list[dict[str, Any]]], related: Related,
           rng: random.Random, count: int) -> PatternResult:
    if plan.flagged and plan.key_condition is None:
        return PatternResult(plan.id, "fail", plan.operation, 0, f"flagged: {plan.reason}")
    pattern = workload.pattern(plan.id)
    entity = schema.entity(plan.entity)
    mapping = design.entity(entity.key)
    need = need_for(schema, mapping, pattern)
    param_sets = parameter_sets(need, mapping, schema, rows.get(entity.key, []), related, rng, count)
    if not param_sets:
        return PatternResult(plan.id, "skip", plan.operation, 0, f"no {entity.key} rows to ask about")
    for params in param_sets:
        items = run_dynamodb(client, schema, design, plan, tables, params)
        got = items_to_rows(schema, design, items)
        expected = run_sql(db, schema, design, plan, pattern, need, params)
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
    shards = f", {plan.shards} Queries merged" if plan.shards > 1 else ""
    return PatternResult(plan.id, "pass", plan.operation, len(param_sets),
                         f"{len(param_sets)} parameter set(s) gave the same rows as SQL{shards}{note}")
