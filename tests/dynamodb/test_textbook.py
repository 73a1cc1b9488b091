"""Published DynamoDB designs (not the ones in samples/), asserted decision by decision and run on moto.

Sources (paraphrased; the schemas are rebuilt from the books' entity charts, not copied):
- Alex DeBrie, "The DynamoDB Book" (2020), chapter 18 "Building a session store" and chapter 19
  "Building an e-commerce application".
- AWS, Amazon DynamoDB Developer Guide, "Best practices for managing many-to-many relationships"
  (adjacency list design pattern: invoices and bills, with an inverted index).
"""

from __future__ import annotations

from tests.dynamodb.schema_builders import attr, fk, read, write
from translator.ir import Entity, Schema
from translator.sample_rows import sample_rows
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.verify import verify_design
from translator.workload.model import AccessPattern, AttributeRef, Direction, Hop, OrderTerm, Workload


def _verified(schema, workload, design, ddb):
    report = verify_design(schema, workload, design, sample_rows(schema, 10, seed=11), ddb)
    assert report.ok, [r for r in report.results if r.status == "fail"]


def test_debrie_session_store(ddb):
    """Ch. 18: a session by its token is a GetItem on the simple key; a user's sessions come from a
    secondary index on the username; expiry uses DynamoDB's TTL."""
    sessions = Entity(
        "sessions",
        (
            attr("session_token", "uuid"),
            attr("username", "string", length=40),
            attr("created_at", "timestamp"),
            attr("expires_at", "timestamp"),
        ),
        primary_key=("session_token",),
    )
    schema = Schema((sessions,))
    workload = Workload(
        (
            read("get-session", "sessions", ["session_token"], rate=1000),
            write("delete-user-sessions", "sessions", "delete", ["username"], rate=1),
        )
    )
    design = TARGET.design(schema, workload)
    plans = {p.id: p for p in design.access_patterns}
    assert plans["get-session"].operation == "GetItem"
    assert plans["delete-user-sessions"].operation == "Query+DeleteItem" and plans["delete-user-sessions"].index
    assert design.tables[0].ttl and design.entity("sessions").ttl_column == "expires_at"
    _verified(schema, workload, design, ddb)


def _shop() -> Schema:
    customers = Entity(
        "customers",
        (attr("username", "string", length=30), attr("email", "string", length=80), attr("name", "string", length=60)),
        primary_key=("username",),
        unique_keys=(("email",),),
    )
    orders = Entity(
        "orders",
        (
            attr("order_id", "string", length=27),
            attr("username", "string", length=30),
            attr("created_at", "timestamp"),
            attr("status", "string", length=10),
        ),
        primary_key=("order_id",),
    )
    items = Entity(
        "order_items",
        (
            attr("order_id", "string", length=27),
            attr("item_id", "string", length=27),
            attr("price", "decimal", precision=10, scale=2),
        ),
        primary_key=("order_id", "item_id"),
    )
    return Schema(
        (customers, orders, items),
        (
            fk("orders_customer", "orders", ("username",), "customers", ("username",)),
            fk("items_order", "order_items", ("order_id",), "orders", ("order_id",)),
        ),
    )


def test_debrie_ecommerce(ddb):
    """Ch. 19, decision by decision:
    1. a customer by username is a GetItem on CUSTOMER#<username>;
    2. orders live in their customer's item collection, so "customer and most recent orders" is one Query;
    3. "order and its items" is one Query on a GSI keyed by the order id that holds the order and its
       items (the book's GSI1, ORDER#<orderId>).
    The book keys each item's *table* key by order and item; here the items sit in the customer's
    collection and are reached through that GSI, which serves the same patterns."""
    schema = _shop()
    to_orders = Hop("customers", "orders", ("orders_customer",), True)
    to_items = Hop("orders", "order_items", ("items_order",), True)
    workload = Workload(
        (
            read("customer", "customers", ["username"], rate=100),
            AccessPattern(
                "customer-with-orders",
                "customers",
                with_=("orders",),
                paths=((to_orders,),),
                rate=50,
                equality=(AttributeRef("customers", "username"),),
                order_by=(OrderTerm(AttributeRef("customers", "username"), Direction.DESC),),
            ),
            AccessPattern(
                "order-with-items",
                "orders",
                with_=("order_items",),
                paths=((to_items,),),
                rate=40,
                equality=(AttributeRef("orders", "order_id"),),
            ),
            write("place-order", "orders", rate=10),
        )
    )
    design = TARGET.design(schema, workload)
    plans = {p.id: p for p in design.access_patterns}
    assert plans["customer"].operation == "GetItem"
    assert design.entity("customers").base.partition.text() == "CUSTOMERS#<username>"
    assert design.entity("orders").placement == "item collection of customers"
    assert plans["customer-with-orders"].operation == "Query" and plans["customer-with-orders"].index is None
    with_items = plans["order-with-items"]
    assert with_items.operation == "Query" and with_items.index and not with_items.flagged
    gsi = design.entity("orders").path_on(with_items.index)
    assert gsi.partition.text() == "ORDERS#<order_id>"
    assert design.entity("order_items").path_on(with_items.index).partition.prefix == "ORDERS"
    _verified(schema, workload, design, ddb)


def test_aws_adjacency_list_invoices_and_bills(ddb):
    """AWS guide: invoice and bill items in one table; the invoice's partition holds its bill edges, and an
    inverted GSI (sort key as partition key) answers "invoices of a bill"."""
    invoices = Entity(
        "invoices",
        (attr("invoice_id", "integer"), attr("amount", "decimal", precision=10, scale=2)),
        primary_key=("invoice_id",),
    )
    bills = Entity("bills", (attr("bill_id", "integer"), attr("due", "date")), primary_key=("bill_id",))
    edges = Entity(
        "invoice_bills",
        (attr("invoice_id", "integer"), attr("bill_id", "integer"), attr("share", "decimal", precision=5, scale=2)),
        primary_key=("invoice_id", "bill_id"),
    )
    schema = Schema(
        (invoices, bills, edges),
        (
            fk("edge_invoice", "invoice_bills", ("invoice_id",), "invoices", ("invoice_id",)),
            fk("edge_bill", "invoice_bills", ("bill_id",), "bills", ("bill_id",)),
        ),
    )
    workload = Workload(
        (
            read("bills-of-invoice", "invoice_bills", ["invoice_id"], rate=20),
            read("invoices-of-bill", "invoice_bills", ["bill_id"], rate=10),
        )
    )
    design = TARGET.design(schema, workload)
    plans = {p.id: p for p in design.access_patterns}
    edges_map = design.entity("invoice_bills")
    assert edges_map.base.partition.prefix == "INVOICES" and plans["bills-of-invoice"].index is None
    inverted = edges_map.path_on(plans["invoices-of-bill"].index)
    assert inverted.rule == "adjacency-inverted" and inverted.partition.prefix == "BILLS"
    _verified(schema, workload, design, ddb)
