"""Design decisions: item collections, overloaded GSIs, adjacency lists, flags, renames, heat, TTL."""

from __future__ import annotations

import dataclasses

import pytest

from tests.dynamodb.schema_builders import (
    attr,
    read,
    shop_schema,
    shop_workload,
    tagging_schema,
    write,
)
from translator.errors import DesignError
from translator.ir import Entity, Schema
from translator.targets.dynamodb import TARGET
from translator.workload.model import EntityStats, Statistics, Workload


def _plans(design):
    return {p.id: p for p in design.access_patterns}


def test_shop_example_is_one_table_with_at_most_two_gsis_and_four_key_reads():
    design = TARGET.design(shop_schema(), shop_workload())
    assert len(design.tables) == 1
    assert len(design.tables[0].gsis) <= 2
    plans = _plans(design)
    for plan in plans.values():
        assert not plan.flagged, plan
        assert plan.operation in ("GetItem", "Query"), plan
        assert plan.filter is None
    # A lookup by the full primary key is the cheaper GetItem; the docs explain why that counts as "a key read".
    assert plans["customer-by-id"].operation == "GetItem"
    assert plans["orders-of-customer"].key_condition.endswith("BETWEEN :lo AND :hi")
    assert plans["orders-of-customer"].scan_forward is False
    # Parent with children is ONE Query on the shared partition, returning both item types.
    with_items = plans["order-with-items"]
    assert with_items.index is None and with_items.key_condition == "PK = :pk"
    assert set(with_items.returns) == {"orders", "order_items"}
    assert plans["orders-with-product"].index is not None


def test_children_share_parent_partition_and_keys_are_overloaded():
    design = TARGET.design(shop_schema(), shop_workload())
    orders, items = design.entity("orders"), design.entity("order_items")
    assert items.base.partition.prefix == orders.tag and items.placement == "item collection of orders"
    gsi_users = [e.entity for e in design.entities for p in e.paths[1:] if p.index == "GSI1"]
    assert len(gsi_users) >= 2  # one GSI shared by several entities' access patterns
    assert design.tables[0].gsis[0].sparse  # customers/products carry no GSI1 key


def test_many_to_many_becomes_adjacency_list_with_inverted_gsi():
    schema = tagging_schema()
    workload = Workload(
        (read("tags-of-post", "post_tags", ["post_id"]), read("posts-with-tag", "post_tags", ["tag_id"]))
    )
    design = TARGET.design(schema, workload)
    junction = design.entity("post_tags")
    parents = {design.entity("posts").tag: "tags-of-post", design.entity("tags").tag: "posts-with-tag"}
    inverted = [p for p in junction.paths if p.rule == "adjacency-inverted"]
    assert junction.base.partition.prefix in parents
    assert inverted and {junction.base.partition.prefix, inverted[0].partition.prefix} == set(parents)
    plans = _plans(design)
    assert plans[parents[junction.base.partition.prefix]].index is None
    assert plans[parents[inverted[0].partition.prefix]].index == inverted[0].index
    assert len(design.tables[0].gsis) == 1  # the pattern reuses the adjacency list's inverted GSI


def test_pattern_without_equality_is_a_query_on_a_sparse_constant_partition_gsi():
    # Before issue 11 these were Scans; now "every product" and "products by price" are one Query each on a
    # GSI whose partition is the constant PRODUCTS (only products carry it: the index is sparse).
    workload = Workload((read("all-products", "products"), read("by-price", "products", range_="price")))
    design = TARGET.design(shop_schema(), workload)
    for plan in design.access_patterns:
        assert not plan.flagged and plan.operation == "Query" and plan.index is not None, plan
        path = design.entity("products").path_on(plan.index)
        assert path.partition.parts == () and path.partition.prefix == "PRODUCTS"
    assert design.access_patterns[1].key_condition.endswith("BETWEEN :lo AND :hi")
    assert not [d for d in design.diagnostics if d.severity == "error"]
    assert any(g.sparse for g in design.tables[0].gsis)


def test_an_order_in_two_directions_is_still_a_flagged_scan_with_its_cost():
    workload = Workload((read("odd-order", "products", order=[("price", "asc"), ("title", "desc")]),))
    design = TARGET.design(shop_schema(), workload)
    plan = design.access_patterns[0]
    assert plan.flagged and plan.operation == "Scan" and "RCU/s" in plan.reason
    costs = [d for d in design.decisions if d.rule == "scan-vs-gsi"]
    assert costs and {"scan_rcu_per_s", "gsi_extra_wcu_per_s", "gsi_storage_bytes"} <= dict(costs[0].numbers).keys()
    codes = [d.code for d in design.diagnostics if d.severity == "error"]
    assert codes == ["dynamodb-unserved-pattern"]


def test_with_on_a_parent_not_holding_the_child_is_flagged():
    # per-entity mode has no item collections: "order with its items" needs two requests
    design = TARGET.design(shop_schema(), shop_workload(), mode="per-entity")
    plan = _plans(design)["order-with-items"]
    assert plan.flagged and "item collection" in plan.reason
    assert {t.name for t in design.tables} == {"customers", "products", "orders", "order_items"}


def test_write_patterns_use_the_full_key_or_say_they_query_first():
    workload = Workload(
        (
            *shop_workload().access_patterns,
            write("new-order", "orders"),
            write("change-item", "order_items", "update", ["order_id", "line_no"]),
            write("drop-customer", "customers", "delete", ["customer_id"]),
        )
    )
    plans = _plans(TARGET.design(shop_schema(), workload))
    assert plans["new-order"].operation == "PutItem"
    assert (
        plans["drop-customer"].operation == "DeleteItem"
        and plans["drop-customer"].key_condition == "PK = :pk AND SK = :sk"
    )
    assert plans["change-item"].operation in ("UpdateItem", "Query+UpdateItem")


def test_names_breaking_dynamodb_rules_are_renamed_with_a_diagnostic():
    odd = Entity(
        "x y",
        (
            attr("id", "integer"),
            attr("PK", "string", length=10),
            attr("aws:tag", "string", length=5),
            attr("n" * 300, "integer", nullable=True),
        ),
        primary_key=("id",),
    )
    design = TARGET.design(Schema((odd,)), Workload((read("by-id", "x y", ["id"]),)), mode="per-entity")
    mapping = design.entities[0]
    stored = {a.column: a.attribute for a in mapping.attributes}
    assert stored["PK"] != "PK" and not stored["aws:tag"].startswith("aws:")
    assert len(stored["n" * 300].encode()) <= 255
    assert design.tables[0].name == "x_y"
    renamed = [d for d in design.diagnostics if d.code == "dynamodb-renamed"]
    assert len(renamed) == 4


def test_table_name_option_is_checked():
    design = TARGET.design(shop_schema(), shop_workload(), table_name="a")
    assert design.tables[0].name == "a__"
    assert any(d.code == "dynamodb-renamed" for d in design.diagnostics)


def test_hot_partition_gets_a_write_sharding_proposal():
    base = shop_workload()
    hot = Workload(
        (*base.access_patterns, write("orders-burst", "orders", rate=5_000_000)),
        Statistics(entities={"orders": EntityStats(1000, 2000)}),
    )
    design = TARGET.design(shop_schema(), hot)
    over = [f for f in design.limits if f.check == "partition-wcu" and not f.ok]
    assert over and "suffix" in over[0].proposal and "Queries" in over[0].proposal
    assert any(d.code == "dynamodb-hot-partition" for d in design.diagnostics)
    calm = TARGET.design(shop_schema(), base)
    assert all(f.ok for f in calm.limits if f.check.startswith("partition-"))


def test_expiry_column_becomes_the_ttl_attribute():
    sessions = Entity(
        "sessions",
        (attr("session_id", "uuid"), attr("expires_at", "timestamp", with_timezone=True)),
        primary_key=("session_id",),
    )
    design = TARGET.design(Schema((sessions,)), Workload((read("s", "sessions", ["session_id"]),)))
    assert design.tables[0].ttl == "ExpiresAt" and design.entities[0].ttl_column == "expires_at"


def test_item_size_over_400kb_is_an_error():
    schema = shop_schema()
    workload = Workload(shop_workload().access_patterns, Statistics(entities={"products": EntityStats(10, 500_000)}))
    design = TARGET.design(schema, workload)
    assert any(d.code == "dynamodb-item-too-large" for d in design.diagnostics)
    assert not next(f for f in design.limits if f.check == "item-size" and f.subject == "products").ok


@pytest.mark.parametrize(
    "kwargs, fragment",
    [({"mode": "multi"}, "mode='multi' is invalid"), ({"tablename": "x"}, "tablename='x' is not an option")],
)
def test_bad_options_name_the_argument_not_a_cli_flag(kwargs, fragment):
    with pytest.raises(DesignError, match=fragment) as caught:
        TARGET.design(shop_schema(), shop_workload(), **kwargs)
    assert "--" not in str(caught.value)


def test_build_design_checks_the_mode_itself():
    from translator.targets.dynamodb import build_design

    with pytest.raises(DesignError, match="mode='x' is invalid"):
        build_design(shop_schema(), shop_workload(), mode="x")


def test_design_json_has_the_documented_keys_in_order():
    data = TARGET.design(shop_schema(), shop_workload()).to_dict()
    # format_version 2: the shared envelope (target, format_version, assumed ... diagnostics) replaced "format"
    assert list(data) == [
        "target",
        "format_version",
        "assumed",
        "mode",
        "tables",
        "entities",
        "access_patterns",
        "limits",
        "decisions",
        "isolation",
        "diagnostics",
    ]
    assert data["format_version"] == 2 and data["target"] == "dynamodb"
    # shop_workload gives no statistics: the row counts behind the limits are named as assumed
    assert "statistics:orders" in data["assumed"] and "workload" not in data["assumed"]
    decision = data["decisions"][0]
    assert list(decision) == ["subject", "choice", "rule", "reason", "numbers", "assumed"]
    assert list(data["tables"][0])[:5] == ["name", "partition_key", "sort_key", "gsis", "ttl"]
    assert list(data["access_patterns"][0])[:10] == [
        "id",
        "entity",
        "kind",
        "table",
        "index",
        "operation",
        "key_condition",
        "filter",
        "values",
        "names",
    ]
    assert data["entities"][0]["keys"]["PK"] == "CUSTOMERS#<customer_id>"


def test_design_is_deterministic():
    first = TARGET.design(shop_schema(), shop_workload()).to_dict()
    again = TARGET.design(dataclasses.replace(shop_schema()), shop_workload()).to_dict()
    assert first == again


def test_nullable_order_column_keeps_rows_in_the_index_with_nulls_first(ddb):
    """Found by the moto property: a GSI sorted on a nullable column must not drop the NULL rows."""
    from translator.targets.dynamodb.verify import verify_design

    docs = Entity(
        "docs",
        (attr("doc_id", "integer"), attr("owner", "integer"), attr("seen_at", "timestamp", nullable=True)),
        primary_key=("doc_id",),
    )
    workload = Workload((read("by-owner", "docs", ["owner"], order=[("seen_at", "asc")]),))
    schema = Schema((docs,))
    design = TARGET.design(schema, workload)
    import datetime as dt

    rows = {
        "docs": [{"doc_id": i, "owner": 1, "seen_at": None if i % 2 else dt.datetime(2024, 1, i + 1)} for i in range(6)]
    }
    report = verify_design(schema, workload, design, rows, ddb)
    assert report.ok and report.results[0].status == "pass", report


def test_collection_reads_use_a_sort_key_range_or_a_flagged_type_filter(ddb):
    """Order-with-items: `SK BETWEEN` selects exactly the asked-for types when the others sort outside them.
    A child read by its foreign key whose prefix would fall between them (ORDERS# < ORDER_EXTRAS# <
    ORDER_ITEMS#) no longer joins the order's partition (before, it did, and the busier order-with-items
    read needed a flagged type filter): it takes its own partition and a GSI. The filter remains where a
    `with` read's own member of a member shares its ancestor's prefix (notes under order items: the
    order-with-items read then drops them with a filter)."""
    from tests.dynamodb.schema_builders import fk
    from translator.sample_rows import sample_rows
    from translator.targets.dynamodb.verify import verify_design
    from translator.workload.model import Hop

    base = shop_schema()
    for child, filtered in (("order_extras", False), ("shipments", False), ("item_notes", True)):
        nested = child == "item_notes"
        extra = Entity(
            child,
            (
                attr("extra_id", "integer"),
                attr("order_id", "integer", bits=64),
                attr("line_no", "integer", bits=16),
                attr("note", "string", length=20),
            ),
            primary_key=("extra_id",),
        )
        link = (
            fk("x_fk", child, ("order_id", "line_no"), "order_items", ("order_id", "line_no"))
            if nested
            else fk("x_fk", child, ("order_id",), "orders", ("order_id",))
        )
        schema = Schema((*base.entities, extra), (*base.relationships, link))
        extra_read = read("extras-of-order", child, ["order_id"])
        if nested:
            to_items = Hop("orders", "order_items", ("items_order_fk",), True)
            extra_read = dataclasses.replace(
                read("order-with-notes", "orders", ["order_id"], rate=5),
                with_=("order_items", child),
                paths=((to_items,), (to_items, Hop("order_items", child, ("x_fk",), True))),
            )
        workload = Workload((*shop_workload().access_patterns, extra_read))
        design = TARGET.design(schema, workload)
        plan = _plans(design)["order-with-items"]
        in_orders = design.entity(child).base.partition.prefix == design.entity("orders").tag
        assert in_orders == (child != "order_extras")
        if filtered:
            assert plan.flagged and plan.filter and child in plan.reason
            assert any(d.code == "dynamodb-filter" for d in design.diagnostics)
        else:  # the partition holds only orders and their items when the extras are elsewhere: PK alone
            assert not plan.flagged and plan.filter is None and ("BETWEEN" in plan.key_condition) == in_orders
        if child == "order_extras":
            why = next(d.reason for d in design.decisions if d.subject == child and d.rule == "own-partition")
            assert "would split the run of order-with-items" in why
            extras = _plans(design)["extras-of-order"]
            assert extras.index and not extras.flagged
        report = verify_design(schema, workload, design, sample_rows(schema, 9, seed=4), ddb)
        assert report.ok, [r for r in report.results if r.status == "fail"]
        result = next(r for r in report.results if r.id == "order-with-items")
        assert result.status == "pass" and ("flagged" in result.detail) == filtered, result
