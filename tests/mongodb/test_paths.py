"""Issue 11 (MongoDB): access patterns along relationship paths, and the defects found on the way."""

from __future__ import annotations

from typing import Any

import bson

from tests.mongodb.cases import decision, design_for
from translator.targets.mongodb import documents_to_rows, rows_to_documents

ORDERS = """
CREATE TABLE customers (customer_id bigint PRIMARY KEY, name varchar(100) NOT NULL, email varchar(200) NOT NULL);
CREATE TABLE products (product_id bigint PRIMARY KEY, name varchar(100) NOT NULL, price numeric(10,2) NOT NULL,
  description text, stock integer NOT NULL);
CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (customer_id),
  order_date timestamp NOT NULL);
CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (order_id), line_no integer NOT NULL,
  product_id bigint NOT NULL REFERENCES products (product_id), qty integer NOT NULL,
  PRIMARY KEY (order_id, line_no));
"""


def _orders_workload(max_lines: float, with_: list[str] | None = None, product_updates: float = 1) -> dict[str, Any]:
    return {
        "version": 1,
        "access_patterns": [
            {
                "id": "R1",
                "description": "An order with its lines and each line's product name and price",
                "entity": "orders",
                "with": with_ or ["order_lines", "products"],
                "equality": ["order_id"],
                "rate": 500,
            },
            {"id": "W1", "entity": "orders", "kind": "write", "rate": 50},
            {"id": "U1", "entity": "products", "kind": "update", "equality": ["product_id"], "rate": product_updates},
        ],
        "statistics": {
            "entities": {
                "orders": {"rows": 1e6},
                "order_lines": {"rows": 4e6},
                "products": {"rows": 1e4},
                "customers": {"rows": 1e5},
            },
            "relationships": {
                "order_lines.order_id": {"avg": 4, "p99": min(10, max_lines), "max": max_lines},
                "order_lines.product_id": {"avg": 400, "p99": 2000, "max": 50000},
                "orders.customer_id": {"avg": 10, "p99": 100, "max": 1000},
            },
        },
    }


def test_acceptance_order_with_lines_and_each_lines_product_read_together() -> None:
    """Issue 11's MongoDB acceptance: orders embed an array of lines, each line with an extended
    reference to its product; each decision's reason gives its rule and its numbers."""
    _, _, design = design_for(ORDERS, _orders_workload(max_lines=40))
    lines = decision(design, "order_lines", "orders")
    assert (lines.choice, lines.rule) == ("embed-array", "embed-one-to-few")
    assert "500/s (R1)" in lines.reason and "40 per orders (<= 100)" in lines.reason and "16 MiB" in lines.reason
    assert dict(lines.numbers)["fanout_max"] == 40 and dict(lines.numbers)["estimated_document_bytes"] > 0
    product = decision(design, "order_lines", "products")
    # products has four fields besides its key (> extended_reference_max_fields = 3): an extended reference
    assert (product.choice, product.rule) == ("extended-reference", "extended-reference-read-with-parent")
    numbers = dict(product.numbers)
    assert numbers["child_with_parent_rate"] == 500 and numbers["parent_update_rate"] == 1
    assert "name" in numbers["copied_fields"] and "price" in numbers["copied_fields"]
    assert "500/s (R1)" in product.reason and "changes at 1/s" in product.reason
    orders = design.collection("orders")
    assert [(e.entity, e.path, e.shape) for e in orders.embedded] == [("order_lines", "order_lines", "array")]
    ref = next(r for r in orders.references if r.to_collection == "products")
    assert ref.style == "extended" and "order_lines.products.name" in ref.copied_fields
    r1 = next(p for p in design.access_patterns if p.id == "R1")
    assert r1.query["embedded"] == ["order_lines", "order_lines.products"] and "lookup" not in r1.query
    # the documents hold what the pattern reads, and give the rows back
    rows = {
        "customers": [{"customer_id": 1, "name": "Ann", "email": "a@x"}],
        "products": [
            {
                "product_id": 7,
                "name": "Pen",
                "price": __import__("decimal").Decimal("1.50"),
                "description": None,
                "stock": 3,
            }
        ],
        "orders": [{"order_id": 10, "customer_id": 1, "order_date": __import__("datetime").datetime(2024, 1, 2)}],
        "order_lines": [{"order_id": 10, "line_no": 1, "product_id": 7, "qty": 2}],
    }
    docs = rows_to_documents(design, rows)
    (line,) = docs["orders"][0]["order_lines"]
    assert line["products"]["name"] == "Pen" and str(line["products"]["price"]) == "1.50"
    stored = {n: [bson.decode(bson.encode(d)) for d in ds] for n, ds in docs.items()}
    back = documents_to_rows(design, stored)
    assert back["order_lines"] == rows["order_lines"] and back["orders"] == rows["orders"]


def test_dotted_with_path_means_the_same_read() -> None:
    _, _, design = design_for(ORDERS, _orders_workload(max_lines=40, with_=["order_lines", "order_lines.products"]))
    assert decision(design, "order_lines", "products").choice == "extended-reference"


def test_multi_level_lookup_reads_each_collection_it_names() -> None:
    """Regression (issue 11): a two-level read rendered `{"from": "order_lines", ..., "as": "products"}`."""
    # too many lines to embed, and products change too often to copy: two $lookup stages
    _, _, design = design_for(ORDERS, _orders_workload(max_lines=50000, product_updates=1000))
    assert decision(design, "order_lines", "orders").choice != "embed-array"
    assert decision(design, "order_lines", "products").choice == "reference"
    r1 = next(p for p in design.access_patterns if p.id == "R1")
    lookups = r1.query["lookup"]
    assert lookups[0] == {"from": "order_lines", "localField": "_id", "foreignField": "order_id", "as": "order_lines"}
    second = lookups[1]
    assert second["from"] == "products" and second["localField"] == "order_lines.product_id"
    assert second["foreignField"] == "_id"
    assert len(lookups) == 2


SMALL_PRODUCT = """
CREATE TABLE products (product_id bigint PRIMARY KEY, name varchar(100) NOT NULL, price numeric(10,2) NOT NULL);
CREATE TABLE orders (order_id bigint PRIMARY KEY);
CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (order_id), line_no integer NOT NULL,
  product_id bigint NOT NULL REFERENCES products (product_id), PRIMARY KEY (order_id, line_no));
"""


def test_a_small_parent_read_with_its_child_is_embedded_as_a_whole_object() -> None:
    workload = _orders_workload(max_lines=40)
    workload["access_patterns"] = workload["access_patterns"][:1]
    workload["statistics"]["entities"] = {"orders": {"rows": 1e6}}
    del workload["statistics"]["relationships"]["orders.customer_id"]
    _, _, design = design_for(SMALL_PRODUCT, workload)
    d = decision(design, "order_lines", "products")
    assert (d.choice, d.rule) == ("parent-object-copy", "embed-parent-read-with-child")
    assert dict(d.numbers)["copied_fields"] == "name, price" and "whole products object" in d.reason


NULLABLE = """
CREATE TABLE person (person_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE address (address_id bigint PRIMARY KEY, person_id bigint REFERENCES person (person_id),
  city varchar(100) NOT NULL);
"""
NULLABLE_WORKLOAD = {
    "version": 1,
    "access_patterns": [{"id": "P1", "entity": "person", "with": ["address"], "equality": ["person_id"], "rate": 500}],
    "statistics": {"relationships": {"address.person_id": {"avg": 1.5, "p99": 4, "max": 8}}},
}


def test_nullable_foreign_key_embeds_and_keeps_orphans_in_their_own_collection() -> None:
    """Regression (issue 11): a nullable foreign key alone used to block embedding."""
    _, _, design = design_for(NULLABLE, NULLABLE_WORKLOAD)
    d = decision(design, "address")
    assert d.choice == "embed-array" and "may be NULL" in d.reason and "collection of its own" in d.reason
    orphans = next(c for c in design.collections if c.orphans_of is not None)
    assert (orphans.name, orphans.source_entity, orphans.orphans_of) == (
        "address_orphans",
        "address",
        "fk_address_person_id",
    )
    assert any(x.code == "mongodb-orphans-collection" for x in design.diagnostics)
    rows = {
        "person": [{"person_id": 1, "name": "Ann"}],
        "address": [
            {"address_id": 5, "person_id": 1, "city": "Oslo"},
            {"address_id": 6, "person_id": None, "city": "Bergen"},
        ],
    }
    docs = rows_to_documents(design, rows)
    assert [a["city"] for a in docs["person"][0]["address"]] == ["Oslo"]
    assert docs["address_orphans"] == [{"_id": 6, "person_id": None, "city": "Bergen"}]
    back = documents_to_rows(design, docs)
    assert sorted(back["address"], key=lambda r: r["address_id"]) == rows["address"]


def test_assumed_fanout_follows_the_rules_of_thumb_and_says_what_measurements_would_change() -> None:
    workload = {"version": 1, "access_patterns": NULLABLE_WORKLOAD["access_patterns"]}  # no statistics
    _, _, design = design_for(NULLABLE, workload)
    d = decision(design, "address")
    numbers = dict(d.numbers)
    # the default fan-out is avg 10, p99 100, max 1000: one-to-few by its p99, sized at its max
    assert d.choice == "embed-array" and numbers["fanout_class"] == "few" and numbers["fanout_compared"] == 100
    assert "fanout" in d.assumed and "Rules of Thumb" in d.reason and "measured" in d.reason
    assert numbers["estimated_document_bytes"] > 1000 * 50  # sized with the max: a thousand addresses


def test_a_lookup_shared_by_two_paths_is_made_once_and_copies_ride_along() -> None:
    _, _, design = design_for(ORDERS, _orders_workload(max_lines=50000))
    assert decision(design, "order_lines", "products").choice == "extended-reference"
    r1 = next(p for p in design.access_patterns if p.id == "R1")
    # the looked-up lines carry their products' copies: nothing more to look up
    assert [s["from"] for s in r1.query["lookup"]] == ["order_lines"]
