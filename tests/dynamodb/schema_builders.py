"""Small IR builders for the DynamoDB tests: the issue's e-commerce example, a many-to-many, pattern shorthands."""

from __future__ import annotations

import functools

from tests import builders
from tests.builders import attr, fk, ref
from translator.ir import Entity, Schema
from translator.workload.model import Workload

__all__ = ["attr", "fk", "ref", "read", "write", "shop_schema", "shop_workload", "tagging_schema", "in_dynamodb_range"]


def shop_schema() -> Schema:
    """customers 1:N orders 1:N order_items N:1 products (the issue's acceptance example)."""
    customers = Entity(
        "customers",
        (
            attr("customer_id", "integer", bits=64),
            attr("email", "string", length=200),
            attr("name", "string", length=100),
        ),
        primary_key=("customer_id",),
    )
    products = Entity(
        "products",
        (
            attr("product_id", "integer", bits=64),
            attr("title", "string", length=100),
            attr("price", "decimal", precision=10, scale=2),
        ),
        primary_key=("product_id",),
    )
    orders = Entity(
        "orders",
        (
            attr("order_id", "integer", bits=64),
            attr("customer_id", "integer", bits=64),
            attr("placed_at", "timestamp", with_timezone=True),
            attr("total", "decimal", precision=12, scale=2),
        ),
        primary_key=("order_id",),
    )
    items = Entity(
        "order_items",
        (
            attr("order_id", "integer", bits=64),
            attr("line_no", "integer", bits=16),
            attr("product_id", "integer", bits=64),
            attr("quantity", "integer", bits=32),
        ),
        primary_key=("order_id", "line_no"),
    )
    return Schema(
        (customers, products, orders, items),
        (
            fk("orders_customer_fk", "orders", ("customer_id",), "customers", ("customer_id",)),
            fk("items_order_fk", "order_items", ("order_id",), "orders", ("order_id",)),
            fk("items_product_fk", "order_items", ("product_id",), "products", ("product_id",)),
        ),
    )


#: DynamoDB's tests read and write at 10 per second unless they say otherwise.
read = functools.partial(builders.read, rate=10.0)
write = functools.partial(builders.write, rate=10.0)


def shop_workload() -> Workload:
    return Workload(
        (
            read("customer-by-id", "customers", ["customer_id"], rate=200),
            read(
                "orders-of-customer",
                "orders",
                ["customer_id"],
                range_="placed_at",
                order=[("placed_at", "desc")],
                rate=500,
            ),
            read("order-with-items", "orders", ["order_id"], with_=["order_items"], rate=300),
            read("orders-with-product", "order_items", ["product_id"], rate=20),
        )
    )


def tagging_schema() -> Schema:
    """posts N:M tags through post_tags (a junction whose key is both foreign keys)."""
    posts = Entity(
        "posts", (attr("post_id", "integer", bits=64), attr("title", "string", length=100)), primary_key=("post_id",)
    )
    tags = Entity(
        "tags", (attr("tag_id", "integer", bits=32), attr("label", "string", length=40)), primary_key=("tag_id",)
    )
    junction = Entity(
        "post_tags",
        (
            attr("post_id", "integer", bits=64),
            attr("tag_id", "integer", bits=32),
            attr("added_at", "timestamp", with_timezone=True),
        ),
        primary_key=("post_id", "tag_id"),
    )
    return Schema(
        (posts, tags, junction),
        (
            fk("pt_post_fk", "post_tags", ("post_id",), "posts", ("post_id",)),
            fk("pt_tag_fk", "post_tags", ("tag_id",), "tags", ("tag_id",)),
        ),
    )


def in_dynamodb_range(rows) -> bool:
    """False when a generated float lies outside DynamoDB's number range (those rows cannot be items)."""
    for entity_rows in rows.values():
        for row in entity_rows:
            for value in row.values():
                if isinstance(value, float) and value != 0 and not 1e-130 <= abs(value) < 1e125:
                    return False
    return True
