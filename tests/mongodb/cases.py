"""Small DDL + workload cases for the MongoDB tests, run through the real ingest and workload loader."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from translator.ingest import ingest_text
from translator.ir import Schema
from translator.targets.mongodb import TARGET, MongoDesign
from translator.workload import parse_workload
from translator.workload.model import Workload


def design_for(ddl: str, workload: dict[str, Any] | None, **options: Any) -> tuple[Schema, Workload, MongoDesign]:
    schema = ingest_text(ddl, "postgres", name="<test>")
    from translator.workload import default_workload

    wl = parse_workload(workload, schema) if workload is not None else default_workload(schema)
    return schema, wl, TARGET.design(schema, wl, **options)


def decision(design: MongoDesign, relationship_child: str, parent: str | None = None) -> Any:
    found = [
        d
        for d in design.decisions
        if dict(d.numbers).get("child") == relationship_child
        and (parent is None or dict(d.numbers).get("parent") == parent)
    ]
    assert len(found) == 1, f"expected one decision for {relationship_child}->{parent}, got {found}"
    return found[0]


PERSON_ADDRESSES = """
CREATE TABLE person (person_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE address (
  address_id bigint PRIMARY KEY,
  person_id bigint NOT NULL REFERENCES person (person_id),
  street varchar(200) NOT NULL,
  city varchar(100) NOT NULL
);
"""
PERSON_ADDRESSES_WORKLOAD = {
    "version": 1,
    "access_patterns": [
        {"id": "P1", "entity": "person", "with": ["address"], "equality": ["person_id"], "rate": 500},
        {"id": "W1", "entity": "address", "kind": "write", "rate": 5},
    ],
    "statistics": {"relationships": {"address.person_id": {"avg": 1.5, "p99": 4, "max": 8}}},
}

PRODUCT_PARTS = """
CREATE TABLE product (product_id bigint PRIMARY KEY, name varchar(200) NOT NULL);
CREATE TABLE part (
  part_id bigint PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES product (product_id),
  part_no varchar(40) NOT NULL UNIQUE,
  qty integer NOT NULL,
  cost numeric(10, 2) NOT NULL
);
"""
PRODUCT_PARTS_WORKLOAD = {
    "version": 1,
    "access_patterns": [
        {"id": "P1", "entity": "product", "with": ["part"], "equality": ["product_id"], "rate": 100},
        {"id": "P2", "entity": "part", "equality": ["part_no"], "rate": 400},
        {"id": "U1", "entity": "part", "kind": "update", "equality": ["part_id"], "rate": 200},
    ],
    "statistics": {"relationships": {"part.product_id": {"avg": 200, "p99": 600, "max": 900}}},
}

HOST_LOGS = """
CREATE TABLE host (host_id integer PRIMARY KEY, hostname varchar(255) NOT NULL UNIQUE);
CREATE TABLE log_message (
  log_id bigint PRIMARY KEY,
  host_id integer NOT NULL REFERENCES host (host_id),
  logged_at timestamptz NOT NULL,
  message text NOT NULL
);
"""
HOST_LOGS_WORKLOAD = {
    "version": 1,
    "access_patterns": [
        {
            "id": "L1",
            "entity": "log_message",
            "equality": ["host_id"],
            "range": ["logged_at"],
            "order_by": ["logged_at desc"],
            "rate": 50,
        },
        {"id": "L2", "entity": "host", "with": ["log_message"], "equality": ["host_id"], "rate": 1},
        {"id": "W1", "entity": "log_message", "kind": "write", "rate": 20000},
    ],
    "statistics": {"relationships": {"log_message.host_id": {"avg": 1.0e7, "p99": 1.0e8, "max": 1.0e9}}},
}

PERSON_TASKS = """
CREATE TABLE person (person_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE task (task_id bigint PRIMARY KEY, title varchar(200) NOT NULL);
CREATE TABLE person_task (
  person_id bigint NOT NULL REFERENCES person (person_id),
  task_id bigint NOT NULL REFERENCES task (task_id),
  PRIMARY KEY (person_id, task_id)
);
"""
PERSON_TASKS_WORKLOAD = {
    "version": 1,
    "access_patterns": [
        {"id": "T1", "entity": "person", "with": ["task"], "equality": ["person_id"], "rate": 100},
        {"id": "T2", "entity": "task", "with": ["person"], "equality": ["task_id"], "rate": 80},
    ],
    "statistics": {
        "relationships": {
            "person_task.person_id": {"avg": 10, "p99": 50, "max": 200},
            "person_task.task_id": {"avg": 3, "p99": 10, "max": 40},
        }
    },
}


UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)  # milliseconds only: BSON dates keep no more

#: Rows of samples/ecommerce.sql for the live round trips (PostgreSQL, and MongoDB when one is reachable).
INSERTS = [
    (
        "customers",
        ["customer_id", "email", "full_name", "created_at"],
        [(1, "ann@example.com", "Ann", T0), (2, "bob@example.com", "Bob", T0)],
    ),
    (
        "addresses",
        ["address_id", "customer_id", "kind", "line1", "city", "postal_code", "country"],
        [(10, 1, "billing", "1 Main St", "Oslo", "0150", "NO"), (11, 1, "shipping", "2 Side St", "Oslo", "0151", "NO")],
    ),
    ("categories", ["category_id", "name", "parent_id"], [(1, "Books", None), (2, "Databases", 1)]),
    (
        "products",
        ["product_id", "sku", "name", "description", "price", "category_id", "attributes", "created_at"],
        [
            (
                100,
                "SKU-1",
                "NoSQL Distilled",
                None,
                decimal.Decimal("29.90"),
                2,
                '{"pages": 192, "tags": ["nosql"]}',
                T0,
            ),
            (101, "SKU-2", "SQL Antipatterns", "A classic", decimal.Decimal("35.00"), 2, None, T0),
        ],
    ),
    (
        "orders",
        ["order_id", "customer_id", "status", "order_date", "total", "shipping_address_id"],
        [(1000, 1, "paid", T0, decimal.Decimal("64.90"), 11), (1001, 2, "pending", T0, decimal.Decimal("0.00"), None)],
    ),
    (
        "order_items",
        ["order_id", "line_no", "product_id", "quantity", "unit_price"],
        [(1000, 1, 100, 1, decimal.Decimal("29.90")), (1000, 2, 101, 1, decimal.Decimal("35.00"))],
    ),
    (
        "payments",
        ["payment_id", "order_id", "provider", "amount", "paid_at"],
        [(uuid.UUID("6f1c2a9e-0d4b-4c1e-9a51-3f7b2d8e9c10"), 1000, "card", decimal.Decimal("64.90"), T0)],
    ),
    (
        "reviews",
        ["review_id", "product_id", "customer_id", "rating", "body", "created_at"],
        [(5000 + i, 100, 1 + i % 2, 1 + i % 5, f"review {i}", T0 + dt.timedelta(days=i)) for i in range(15)],
    ),
]
