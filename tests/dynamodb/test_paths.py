"""Issue 11, DynamoDB acceptance: patterns across relationships, each proved on moto by `verify_design`
(no Scan, no second request, no mismatch with SQL), plus the defects found in review."""

from __future__ import annotations

import datetime as dt

from tests.dynamodb.schema_builders import attr, fk, read, shop_schema, write
from translator.ir import Cardinality, Entity, Index, Relationship, Schema
from translator.sample_rows import sample_rows
from translator.targets.dynamodb import TARGET, rows_to_items
from translator.targets.dynamodb.verify import verify_design
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    Direction,
    EntityStats,
    Hop,
    OrderTerm,
    PatternKind,
    Statistics,
    Workload,
)


def _passes(schema, workload, design, ddb, rows=None):
    report = verify_design(schema, workload, design, rows or sample_rows(schema, 10, seed=3), ddb)
    assert report.ok and all(r.status == "pass" for r in report.results), report.results
    return {r.id: r for r in report.results}


def _hop(source, target, rel, to_many):
    return Hop(source, target, (rel,), to_many)


def test_orders_found_by_the_customers_email_are_one_query_on_a_gsi(ddb):
    schema = shop_schema()
    email = AttributeRef("customers", "email", (_hop("orders", "customers", "orders_customer_fk", False),))
    workload = Workload(
        (
            AccessPattern(
                "orders-by-email",
                "orders",
                equality=(email,),
                rate=50,
                order_by=(OrderTerm(AttributeRef("orders", "placed_at"), Direction.DESC),),
            ),
            write("change-customer", "customers", "update", ["customer_id"], rate=2),
            write("new-order", "orders", rate=20),
        )
    )
    design = TARGET.design(schema, workload)
    plans = {p.id: p for p in design.access_patterns}
    plan = plans["orders-by-email"]
    assert plan.operation == "Query" and plan.index and not plan.flagged and plan.scan_forward is False
    orders = design.entity("orders")
    copy = next(c for c in orders.copies if (c.source, c.column) == ("customers", "email"))
    assert orders.path_on(plan.index).partition.parts == (copy.part,)
    # the writes that must maintain the copy say so
    assert plans["change-customer"].also_writes == ("orders",)
    assert "customers" in plans["new-order"].reason
    results = _passes(schema, workload, design, ddb)
    assert "copied item(s) found by their GSI" in results["change-customer"].detail


def _shipping_schema() -> Schema:
    orders = Entity("orders", (attr("order_id", "integer"), attr("placed_at", "timestamp")), primary_key=("order_id",))
    shipments = Entity(
        "shipments",
        (attr("shipment_id", "integer"), attr("order_id", "integer"), attr("carrier", "string", length=20)),
        primary_key=("shipment_id",),
    )
    lines = Entity(
        "shipment_lines",
        (attr("line_id", "integer"), attr("shipment_id", "integer"), attr("quantity", "integer")),
        primary_key=("line_id",),
    )
    notes = Entity(
        "notes",
        (attr("note_id", "integer"), attr("order_id", "integer"), attr("text", "string", length=50)),
        primary_key=("note_id",),
    )
    return Schema(
        (orders, shipments, lines, notes),
        (
            fk("ship_order_fk", "shipments", ("order_id",), "orders", ("order_id",)),
            fk("line_ship_fk", "shipment_lines", ("shipment_id",), "shipments", ("shipment_id",)),
            fk("note_order_fk", "notes", ("order_id",), "orders", ("order_id",)),
        ),
    )


def test_an_order_with_its_shipments_and_their_lines_is_one_query_on_the_orders_partition(ddb):
    schema = _shipping_schema()
    down1 = _hop("orders", "shipments", "ship_order_fk", True)
    down2 = _hop("shipments", "shipment_lines", "line_ship_fk", True)
    workload = Workload(
        (
            AccessPattern(
                "order-with-shipments",
                "orders",
                with_=("shipments", "shipment_lines"),
                equality=(AttributeRef("orders", "order_id"),),
                rate=100,
                paths=((down1,), (down1, down2)),
            ),
            read("lines-of-shipment", "shipment_lines", ["shipment_id"], rate=30),
            read("notes-of-order", "notes", ["order_id"], rate=10),
            write("new-line", "shipment_lines", rate=40),
        )
    )
    design = TARGET.design(schema, workload)
    plans = {p.id: p for p in design.access_patterns}
    plan = plans["order-with-shipments"]
    assert plan.operation == "Query" and plan.index is None and not plan.flagged, plan
    assert set(plan.returns) == {"orders", "shipments", "shipment_lines"}
    orders, lines = design.entity("orders"), design.entity("shipment_lines")
    assert lines.base.partition.prefix == orders.base.partition.prefix == "ORDERS"
    # the lines' sort key continues their shipment's, with their own tag: begins_with selects each level
    assert lines.base.sort.text() == "SHIPMENTS#<shipment_id>#SHIPMENT_LINES#<line_id>"
    assert design.entity("shipments").base.sort.text() == "SHIPMENTS#<shipment_id>"
    assert plans["lines-of-shipment"].operation == "Query"
    _passes(schema, workload, design, ddb)


def test_every_open_game_is_a_query_on_a_sparse_gsi_and_write_shards_when_hot(ddb):
    games = Entity(
        "games",
        (attr("game_id", "integer"), attr("map", "string", length=20), attr("open_since", "timestamp", nullable=True)),
        primary_key=("game_id",),
    )
    players = Entity(
        "players", (attr("player_id", "integer"), attr("name", "string", length=20)), primary_key=("player_id",)
    )
    schema = Schema((games, players))
    for writes, shards in ((10, 1), (5000, 13)):
        workload = Workload(
            (
                read("open-games", "games", range_="open_since", order=[("open_since", "asc")], rate=20),
                read("player", "players", ["player_id"]),
                write("new-game", "games", rate=writes),
            ),
            Statistics(entities={"games": EntityStats(10_000, 1500)}),
        )
        design = TARGET.design(schema, workload)
        plan = design.access_patterns[0]
        gsi = next(g for g in design.tables[0].gsis if g.name == plan.index)
        assert plan.operation == "Query" and not plan.flagged and gsi.sparse and gsi.entities == ("games",)
        path = design.entity("games").path_on(plan.index)
        assert path.partition.parts == () and path.partition.shards == shards == plan.shards
        served = next(s for s in TARGET.serving(design) if s.pattern == "open-games")
        assert served.requests == shards
        results = _passes(schema, workload, design, ddb)
        assert ("Queries merged" in results["open-games"].detail) == (shards > 1)


def test_a_table_without_a_primary_key_is_keyed_by_its_unique_index(ddb):
    sessions = Entity(
        "sessions",
        (attr("token", "string", length=40), attr("user_id", "integer"), attr("seen_at", "timestamp")),
        indexes=(Index("sessions_token", ("token",), unique=True),),
    )
    schema = Schema((sessions,))
    workload = Workload((read("by-token", "sessions", ["token"]), read("of-user", "sessions", ["user_id"])))
    design = TARGET.design(schema, workload)
    mapping = design.entity("sessions")
    assert mapping.base.partition.parts == ("token",) and mapping.generated_id is None
    assert design.access_patterns[0].operation == "GetItem"
    assert any(d.rule == "unique-key-identity" for d in design.decisions)
    _passes(schema, workload, design, ddb)


def test_a_table_without_any_key_gets_a_generated_id_so_equal_rows_never_overwrite(ddb):
    log = Entity("log", (attr("level", "string", length=8), attr("message", "string", length=40)))
    schema = Schema((log,))
    workload = Workload((read("by-level", "log", ["level"]),))
    design = TARGET.design(schema, workload)
    assert design.entity("log").generated_id == "ItemId"
    assert any(d.code == "dynamodb-generated-id" for d in design.diagnostics)
    rows = {"log": [{"level": "info", "message": "same"}] * 3}
    items = rows_to_items(schema, design, rows)["app"]
    assert len({(i["PK"], i["SK"]) for i in items}) == 3
    _passes(schema, workload, design, ddb, rows)


def test_patterns_are_placed_by_rate_then_file_position_not_by_id_spelling():
    a = Entity("a", (attr("a_id", "integer"),), primary_key=("a_id",))
    b = Entity("b", (attr("b_id", "integer"),), primary_key=("b_id",))
    x = Entity("x", (attr("x_id", "integer"), attr("a_id", "integer"), attr("b_id", "integer")), primary_key=("x_id",))
    schema = Schema((a, b, x), (fk("x_a", "x", ("a_id",), "a", ("a_id",)), fk("x_b", "x", ("b_id",), "b", ("b_id",))))
    first = TARGET.design(schema, Workload((read("AP8", "x", ["a_id"]), read("AP13", "x", ["b_id"]))))
    assert first.entity("x").placement == "item collection of a"  # "AP13" < "AP8" as text must not matter
    busier = TARGET.design(schema, Workload((read("AP8", "x", ["a_id"]), read("AP13", "x", ["b_id"], rate=99))))
    assert busier.entity("x").placement == "item collection of b"


def test_a_child_read_with_its_parent_is_one_query_not_a_scan(ddb):
    schema = shop_schema()
    up = _hop("order_items", "orders", "items_order_fk", False)
    workload = Workload(
        (
            AccessPattern(
                "lines-with-order",
                "order_items",
                with_=("orders",),
                equality=(AttributeRef("order_items", "order_id"),),
                paths=((up,),),
                rate=40,
            ),
            AccessPattern(
                "line-with-order",
                "order_items",
                with_=("orders",),
                paths=((up,),),
                rate=30,
                equality=(AttributeRef("order_items", "order_id"), AttributeRef("order_items", "line_no")),
            ),
        )
    )
    design = TARGET.design(schema, workload)
    for plan in design.access_patterns:
        assert plan.operation == "Query" and plan.index is None and plan.key_condition.startswith("PK = :pk"), plan
        assert set(plan.returns) == {"order_items", "orders"}
    _passes(schema, workload, design, ddb)


def test_a_descending_pattern_is_read_backwards_everywhere(ddb):
    schema = shop_schema()
    down = _hop("orders", "order_items", "items_order_fk", True)
    workload = Workload(
        (
            read("recent-orders", "orders", ["customer_id"], order=[("placed_at", "desc")]),
            AccessPattern(
                "order-with-items-desc",
                "orders",
                with_=("order_items",),
                paths=((down,),),
                equality=(AttributeRef("orders", "order_id"),),
                order_by=(OrderTerm(AttributeRef("orders", "placed_at"), Direction.DESC),),
            ),
        )
    )
    design = TARGET.design(schema, workload)
    assert all(p.scan_forward is False for p in design.access_patterns)
    _passes(schema, workload, design, ddb)


def test_a_one_to_one_child_lives_in_its_parents_collection():
    users = Entity("users", (attr("user_id", "integer"), attr("name", "string", length=20)), primary_key=("user_id",))
    profiles = Entity(
        "profiles", (attr("user_id", "integer"), attr("bio", "string", length=80)), primary_key=("user_id",)
    )
    schema = Schema(
        (users, profiles),
        (Relationship("profile_user", "profiles", ("user_id",), "users", ("user_id",), Cardinality.ONE_TO_ONE, False),),
    )
    design = TARGET.design(schema, Workload((read("user", "users", ["user_id"]),)))
    assert design.entity("profiles").placement == "item collection of users"
    assert any(d.rule == "item-collection-one-to-one" for d in design.decisions)


def test_copy_values_follow_the_rows_into_items():
    schema = shop_schema()
    email = AttributeRef("customers", "email", (_hop("orders", "customers", "orders_customer_fk", False),))
    design = TARGET.design(schema, Workload((AccessPattern("q", "orders", equality=(email,)),)))
    rows = {
        "customers": [{"customer_id": 1, "email": "a@x", "name": "A"}],
        "orders": [
            {"order_id": 9, "customer_id": 1, "placed_at": dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "total": 5}
        ],
    }
    order = next(i for i in rows_to_items(schema, design, rows)["app"] if i["EntityType"] == "orders")
    part = design.entity("orders").copies[0].part
    assert order[part] == "a@x" and order["GSI1PK"].endswith("#a@x")
    assert PatternKind.READ  # the pattern kind enum is the workload's own


def test_a_range_on_the_value_an_equality_already_fixes_is_flagged_not_a_crash():
    """Found by benchmarks/bench_design.py: the equality on categories.category_id (through products) and the
    range on products.category_id are one value; `_gsi_read` stopped on an assertion (a traceback)."""
    from tests.conftest import SAMPLES
    from translator.ingest import ingest_sources
    from translator.workload import parse_workload

    schema = ingest_sources([str(SAMPLES / "ecommerce.sql")], dialect="postgres")
    pattern = {
        "id": "X",
        "entity": "order_items",
        "with": ["products.categories"],
        "equality": ["categories.category_id"],
        "range": ["products.category_id"],
        "rate": 5,
    }
    # the same one value through a child filter: categories by their products' category_id, re-read on products
    across = {"id": "X", "entity": "categories", "equality": ["category_id"], "range": ["products.category_id"]}
    for spec in (pattern, across):
        design = TARGET.design(schema, parse_workload({"version": 1, "access_patterns": [spec]}, schema))
        [error] = [d for d in design.diagnostics if d.severity.value == "error"]
        assert error.subject == "X" and "both an equality and the range attribute" in error.message
