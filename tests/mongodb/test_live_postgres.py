"""Real driver values: rows read back from a live PostgreSQL (samples/ecommerce.sql) become documents that
validate and come back unchanged. Skips when PostgreSQL is unreachable (fails under POLYSCHEMA_REQUIRE_LIVE=1).

This covers what generated rows do not: psycopg's own value types for jsonb (dict), enum (str),
timestamptz (aware datetime), numeric (Decimal) and uuid (UUID), and a self-referencing table.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import bson
import pytest

from tests.conftest import SAMPLES
from tests.live import postgres_database, require_postgres
from translator.sources import load_schema
from translator.targets.mongodb import TARGET, document_errors, documents_to_rows, rows_to_documents
from translator.workload import load_workload

pytestmark = pytest.mark.live

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)  # milliseconds only: BSON dates keep no more

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


@pytest.mark.parametrize("uuid_representation", ["binData", "string"])
def test_rows_from_live_postgres_round_trip_through_validated_documents(uuid_representation: str) -> None:
    import psycopg
    from psycopg.rows import dict_row

    params = require_postgres()
    ddl = (SAMPLES / "ecommerce.sql").read_text()
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    design = TARGET.design(
        schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema), uuid_representation=uuid_representation
    )
    with postgres_database(params, ddl) as url:
        with psycopg.connect(url, row_factory=dict_row) as conn:
            for table, columns, values in INSERTS:
                marks = ", ".join(["%s"] * len(columns))
                conn.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
            rows = {e.key: conn.execute(f"SELECT * FROM {e.name}").fetchall() for e in schema.entities}
    assert isinstance(rows["products"][0]["attributes"] or rows["products"][1]["attributes"], dict)  # jsonb -> dict
    documents = rows_to_documents(design, rows)
    stored = {name: [bson.decode(bson.encode(doc)) for doc in docs] for name, docs in documents.items()}
    for coll in design.collections:
        for doc in stored[coll.name]:
            assert document_errors(doc, coll.validator) == [], (coll.name, doc)
    products = {d["_id"]: d for d in stored["products"]}
    assert len(products[100]["reviews_latest"]) == 10  # the subset copy keeps the newest 10 of 15
    assert [i["line_no"] for i in {d["_id"]: d for d in stored["orders"]}[1000]["order_items"]] == [1, 2]
    back = documents_to_rows(design, stored)
    for entity in schema.entities:
        key = lambda r: sorted((k, repr(v)) for k, v in r.items())  # noqa: E731
        assert sorted(back[entity.key], key=key) == sorted(rows[entity.key], key=key), entity.key
