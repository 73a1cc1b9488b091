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
from translator.ir import Entity, Schema
from translator.targets.dynamodb.codecs import from_attribute_value
from translator.targets.dynamodb.items import (
    Related,
    items_to_rows,
    normalize_row,
    rows_to_items,
)
from translator.targets.dynamodb.model import DynamoDesign, PatternPlan
from translator.targets.dynamodb.render import create_table_request
from translator.targets.dynamodb.verify_run import PatternResult, run_dynamodb
from translator.targets.dynamodb.verify_sql import load_sqlite, parameter_sets, read_need, run_sql, with_labels
from translator.targets.dynamodb.verify_writes import check_write
from translator.workload.model import Direction, Workload

__all__ = ["PatternResult", "VerifyReport", "dynamodb_client", "local_endpoint", "verify_design"]


@dataclass(frozen=True, slots=True)
class VerifyReport:
    endpoint: str
    items_loaded: int
    results: tuple[PatternResult, ...]

    @property
    def ok(self) -> bool:
        return all(r.status != "fail" for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": "dynamodb",
            "endpoint": self.endpoint,
            "items_loaded": self.items_loaded,
            "ok": self.ok,
            "results": [r.to_dict() for r in self.results],
        }


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
    credentials = (
        {} if session.get_credentials() else {"aws_access_key_id": "polyschema", "aws_secret_access_key": "polyschema"}
    )
    client = session.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name=session.region_name or "us-east-1",
        config=Config(connect_timeout=3, read_timeout=20, retries={"max_attempts": 1}),
        **credentials,
    )
    try:
        client.list_tables(Limit=1)
    except (BotoCoreError, ClientError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise ConnectionProblem(f"cannot reach DynamoDB endpoint {endpoint_url}: {reason}") from None
    return client


def _in_order(entity: Entity, rows: list[dict[str, Any]], column: str, direction: Direction) -> list[dict[str, Any]]:
    """`rows` by `column` (NULLs first ascending, as the keys write them), then by identity (the sort key's
    tie-break), in `direction`."""

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        value = row.get(column)
        return ((value is not None, value), *((row.get(c) is not None, row.get(c)) for c in entity.primary_key))

    return sorted(rows, key=key, reverse=direction is Direction.DESC)


def _canon(rows: list[dict[str, Any]]) -> list[str]:
    return [repr(sorted(r.items())) for r in rows]


def verify_design(
    schema: Schema,
    workload: Workload,
    design: DynamoDesign,
    rows: Mapping[str, list[dict[str, Any]]],
    client: Any,
    *,
    endpoint: str = "",
    seed: int = 0,
    checks_per_pattern: int = 5,
    keep_tables: bool = False,
) -> VerifyReport:
    """Create the tables, load `rows` as items, run every pattern and compare with SQL on the rows.

    An endpoint error (refused request, lost connection) is a one-line `ConnectionProblem`."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return _verify(schema, workload, design, rows, client, endpoint, seed, checks_per_pattern, keep_tables)
    except (BotoCoreError, ClientError) as exc:
        raise ConnectionProblem(
            f"DynamoDB endpoint {endpoint or '(client)'} failed during verify: " + " ".join(str(exc).split())
        ) from None


def _verify(
    schema: Schema,
    workload: Workload,
    design: DynamoDesign,
    rows: Mapping[str, list[dict[str, Any]]],
    client: Any,
    endpoint: str,
    seed: int,
    checks_per_pattern: int,
    keep_tables: bool,
) -> VerifyReport:
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
            client.get_waiter("table_exists").wait(
                TableName=tables[table.name], WaiterConfig={"Delay": 1, "MaxAttempts": 60}
            )
        related = Related(schema, rows)
        for table_name, items in rows_to_items(schema, design, rows).items():
            for start in range(0, len(items), 25):
                batch = [
                    {"PutRequest": {"Item": {k: ser.serialize(v) for k, v in item.items()}}}
                    for item in items[start : start + 25]
                ]
                pending = {tables[table_name]: batch}
                while pending:
                    pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            loaded += len(items)
        db = load_sqlite(schema, rows)
        rng = random.Random(seed)
        for plan in design.access_patterns:
            if plan.kind != "read" and plan.key_condition is not None or plan.operation == "PutItem":
                results.append(check_write(client, schema, workload, design, plan, tables, rows, related, rng))
            else:
                results.append(
                    _check(client, db, schema, workload, design, plan, tables, rows, related, rng, checks_per_pattern)
                )
    finally:
        if not keep_tables:
            for name in created:
                with contextlib.suppress(Exception):
                    client.delete_table(TableName=name)
    return VerifyReport(endpoint, loaded, tuple(results))


def _carried_rows(
    schema: Schema, design: DynamoDesign, plan: PatternPlan, items: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The parents a child read returns from its items' copies: one row per distinct parent, none for an
    item whose foreign key along the way is NULL (it has no parent)."""
    mapping = design.entity(plan.items_of or plan.entity)
    type_attribute = design.table(mapping.table).entity_type_attribute
    own = {a.column: a.attribute for a in mapping.attributes}
    out: dict[str, list[dict[str, Any]]] = {}  # by Carried.label: two roles of one entity stay apart
    for carried in plan.carried:
        parent = schema.entity(carried.entity)
        seen: dict[str, dict[str, Any]] = {}
        for item in items:
            if item.get(type_attribute) != mapping.type_value:
                continue
            if any(item.get(own.get(part, part)) is None for part in carried.witness):
                continue
            row = {
                column: from_attribute_value(parent.attribute(column).type, item.get(own.get(part, part)))
                for column, part in carried.columns
            }
            seen.setdefault(repr(sorted(row.items())), row)
        out[carried.label] = list(seen.values())
    return out


def _by_label(
    got: dict[str, list[dict[str, Any]]], expected: dict[str, list[int]], labels: dict[str, str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[int]]]:
    """Items come back per entity, SQL's `with` rows per label (`users (assignee)`): an entity read as
    items under one label takes that label; under several, SQL's rows of those labels are united."""
    got, expected = dict(got), dict(expected)
    for entity in [k for k in got if k not in labels]:
        mine = [label for label, e in labels.items() if e == entity and label != entity]
        if len(mine) == 1 and mine[0] not in got:
            got[mine[0]] = got.pop(entity)
        elif len(mine) > 1:
            expected[entity] = sorted({n for label in mine for n in expected.pop(label, [])})
    return got, expected


def _check(
    client: Any,
    db: sqlite3.Connection,
    schema: Schema,
    workload: Workload,
    design: DynamoDesign,
    plan: PatternPlan,
    tables: dict[str, str],
    rows: Mapping[str, list[dict[str, Any]]],
    related: Related,
    rng: random.Random,
    count: int,
) -> PatternResult:
    if plan.flagged and plan.key_condition is None:
        return PatternResult(plan.id, "fail", plan.operation, 0, f"flagged: {plan.reason}")
    if plan.rule == "admin-scan":
        return PatternResult(plan.id, "skip", plan.operation, 0, plan.reason)
    pattern = workload.pattern(plan.id)
    entity = schema.entity(plan.entity)
    read, need = read_need(schema, design, plan, pattern)  # `read`: whose items the plan reads
    param_sets = parameter_sets(need, design.entity(read), schema, rows.get(read, []), related, rng, count)
    labels = {label: target for label, target, _ in with_labels(schema, pattern)}
    labels.update({c.label: c.entity for c in plan.carried})
    if not param_sets:  # an unserved plan stays a failure, whatever the rows
        status, why = ("skip", "") if plan.served else ("fail", f"; flagged: {plan.reason}")
        return PatternResult(plan.id, status, plan.operation, 0, f"no {read} rows to ask about{why}")
    for params in param_sets:
        items = run_dynamodb(client, schema, design, plan, tables, params)
        got = items_to_rows(schema, design, items)
        if plan.items_of:  # the children's items only carry the answer; the pattern's limit counts parents
            got = {}
        got.update(_carried_rows(schema, design, plan, items))
        expected = run_sql(db, schema, design, plan, pattern, need, params)
        got, expected = _by_label(got, expected, labels)
        if plan.items_of and "+" in plan.operation:  # the first request is checked; the second is not made
            expected = {k: v for k, v in expected.items() if k in got}
        child_order = {target: (column, direction) for target, column, direction in need.child_order}
        for key in {*got, *expected}:
            want = [rows[labels.get(key, key)][i] for i in expected.get(key, [])]
            have = got.get(key, [])
            ordered = key == entity.key and bool(pattern.order_by) and not plan.items_of
            if labels.get(key, key) in child_order and key != entity.key:  # the children in the pattern's order
                label = labels.get(key, key)
                want, ordered = _in_order(schema.entity(label), want, *child_order[label]), True
            same = _canon(have) == _canon(want) if ordered else sorted(_canon(have)) == sorted(_canon(want))
            if pattern.limit and not pattern.order_by and key == entity.key:
                same = len(have) == len(want) and set(_canon(have)) <= set(_canon(rows[key]))
            if not same:
                shown = {k: str(v) for k, v in params.items()}
                return PatternResult(
                    plan.id,
                    "fail",
                    plan.operation,
                    len(param_sets),
                    f"{key}: DynamoDB returned {len(have)} item(s), SQL {len(want)} row(s) for {shown}",
                )
    if plan.items_of and "+" in plan.operation:
        return PatternResult(
            plan.id,
            "fail",
            plan.operation,
            len(param_sets),
            f"the first Query's {', '.join(sorted(got))} matched SQL in {len(param_sets)} parameter set(s), "
            f"but the pattern {plan.reason}",
        )
    note = f" (flagged: {plan.reason})" if plan.flagged else ""
    shards = f", {plan.shards} Queries merged" if plan.shards > 1 else ""
    return PatternResult(
        plan.id,
        "pass",
        plan.operation,
        len(param_sets),
        f"{len(param_sets)} parameter set(s) gave the same rows as SQL{shards}{note}",
    )
