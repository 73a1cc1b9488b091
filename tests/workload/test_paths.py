"""Workload paths: `with` as relationship paths, attributes of related entities, and their errors."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from translator.ingest import ingest_sources, ingest_text
from translator.workload import load_workload, parse_workload, workload_to_dict
from translator.workload.validate import InvalidWorkload

SHOP = ingest_sources([str(SAMPLES / "ecommerce.sql")], dialect="postgres")
SAAS = ingest_sources([str(SAMPLES / "saas.sql")], dialect="postgres")
LIBRARY = ingest_text(
    """
CREATE TABLE authors (author_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (book_id int PRIMARY KEY, title text NOT NULL, published date);
CREATE TABLE book_authors (book_id int REFERENCES books, author_id int REFERENCES authors, \
PRIMARY KEY (book_id, author_id));
""",
    "postgres",
)


def _one(schema, **pattern):
    return parse_workload({"version": 1, "access_patterns": [{"id": "Q", **pattern}]}, schema).access_patterns[0]


def _hops(path):
    return [str(h) for h in path]


def _problem(schema, **pattern) -> str:
    with pytest.raises(InvalidWorkload) as caught:
        _one(schema, **pattern)
    [problem] = caught.value.problems
    assert "\n" not in str(caught.value)
    return str(problem)


def test_dotted_path_keeps_the_end_entity_in_with():
    p = _one(SHOP, entity="orders", **{"with": ["order_items.products"]}, equality=["products.sku"])
    assert p.with_ == ("products",)
    assert [_hops(x) for x in p.paths] == [["orders->order_items", "order_items->products"]]
    assert p.paths[0][0].to_many and not p.paths[0][1].to_many
    assert (str(p.equality[0]), _hops(p.equality[0].path)) == ("products.sku", _hops(p.paths[0]))


def test_a_bare_name_goes_through_the_other_with_entries():
    p = _one(
        SHOP,
        entity="orders",
        **{"with": ["order_items", "products"]},
        equality=["sku"],
        order_by=["order_items.quantity desc"],
    )
    assert [_hops(x) for x in p.paths] == [["orders->order_items"], ["orders->order_items", "order_items->products"]]
    assert _hops(p.equality[0].path) == _hops(p.paths[1])
    assert _hops(p.order_by[0].attribute.path) == ["orders->order_items"]


def test_attributes_resolve_on_the_entity_first_then_along_the_paths():
    p = _one(SHOP, entity="products", **{"with": ["reviews"]}, equality=["product_id", "rating"])
    assert [(str(r), len(r.path)) for r in p.equality] == [("products.product_id", 0), ("reviews.rating", 1)]


def test_a_related_attribute_without_with_filters_through_an_adjacent_entity():
    p = _one(SHOP, entity="orders", equality=["customers.email"])
    assert p.with_ == () and _hops(p.equality[0].path) == ["orders->customers"]


def test_many_to_many_link_is_one_step_through_its_junction():
    p = _one(LIBRARY, entity="authors", **{"with": ["books"]}, order_by=["published desc"])
    [[hop]] = p.paths
    assert (hop.source, hop.target, hop.via, hop.to_many) == ("authors", "books", "book_authors", True)
    by_parent = {r.to_entity: r.name for r in LIBRARY.relationships_from("book_authors")}
    assert hop.relationships == (by_parent["authors"], by_parent["books"])  # the source side first


def test_unreachable_path_lists_the_paths_that_exist():
    message = _problem(SHOP, entity="orders", **{"with": ["categories"]})
    assert message.startswith("access_patterns[0].with[0]: pattern 'Q': 'categories' is not adjacent to 'orders'")
    assert "paths that exist: order_items.products.categories" in message


def test_ambiguous_step_asks_for_a_qualifier_which_then_resolves():
    message = _problem(SAAS, entity="issues", **{"with": ["users"]})
    assert "pattern 'Q'" in message and "ambiguous" in message and "users(" in message
    p = _one(SAAS, entity="issues", **{"with": ["users(assignee_id)"]}, equality=["tenant_id", "users.email"])
    [[hop]] = p.paths
    [rel] = [r for r in SAAS.relationships if r.name == hop.relationships[0] and r.from_entity == "issues"]
    assert "assignee_id" in rel.from_attributes and (hop.source, hop.target, hop.to_many) == ("issues", "users", False)
    assert _hops(p.equality[1].path) == _hops(p.paths[0])


def test_bare_attribute_on_two_entities_along_the_paths_is_ambiguous():
    message = _problem(SHOP, entity="order_items", **{"with": ["products", "products.categories"]}, equality=["name"])
    assert "attribute 'name' is on 2 entities along the with paths" in message
    assert "products.name" in message and "products.categories.name" in message


def test_unknown_attribute_keeps_its_old_message():
    assert _problem(SHOP, entity="orders", equality=["custmer_id"]).endswith(
        "unknown attribute 'custmer_id' of entity 'orders'; did you mean 'customer_id'?"
    )


@pytest.mark.parametrize(("schema", "path"), [(SHOP, "ecommerce.workload.yaml"), (SAAS, "saas.workload.yaml")])
def test_sample_workloads_keep_their_meaning(schema, path):
    workload = load_workload(SAMPLES / path, schema)
    for pattern in workload.access_patterns:
        assert len(pattern.paths) == len(pattern.with_) and all(len(p) == 1 for p in pattern.paths)
        assert all(r.entity == pattern.entity and r.path == () for r in pattern.equality)
    back = parse_workload(workload_to_dict(workload, schema), schema)
    assert back.access_patterns == workload.access_patterns and back.statistics == workload.statistics


def test_qualified_steps_survive_the_dump():
    workload = parse_workload(
        {
            "version": 1,
            "tenant": "tenant_id",
            "access_patterns": [
                {"id": "Q", "entity": "issues", "with": ["users(reporter_id)"], "equality": ["tenant_id", "email"]}
            ],
        },
        SAAS,
    )
    dumped = workload_to_dict(workload, SAAS)
    assert dumped["tenant"] == "tenant_id" and dumped["access_patterns"][0]["with"][0].startswith("users(")
    assert parse_workload(dumped, SAAS).access_patterns == workload.access_patterns


def test_given_fanout_wins_over_the_assumed_row_count():
    # Regression (issue 11): with no row count for issues, its assumed 100,000 rows were smaller than the
    # given 250,000 issues per project, and sizing discarded the fan-out (Cassandra's partition_rows kept
    # the assumed row count). A given fan-out now sets the child's rows: rows(parent) x avg.
    from translator.targets.cassandra.shapes import Ref
    from translator.targets.cassandra.sizing import partition_rows
    from translator.workload import DEFAULT_ROWS, StatsView

    given = {"version": 1, "statistics": {"relationships": {"issues.project_id": {"avg": 250000, "max": 900000}}}}
    view = StatsView(SAAS, parse_workload(given, SAAS).statistics)
    issues = view.entity("issues")
    assert issues.rows == DEFAULT_ROWS * 250000 and issues.assumed  # the parent's rows are still assumed
    rows = partition_rows(SAAS, view, "issues", (Ref("issues", "tenant_id"), Ref("issues", "project_id")))
    assert (rows.avg, rows.max) == (250000, 900000)
    with_parent = {
        "version": 1,
        "statistics": {"entities": {"projects": {"rows": 40}}, "relationships": {"issues.project_id": {"avg": 250000}}},
    }
    view = StatsView(SAAS, parse_workload(with_parent, SAAS).statistics)
    assert (view.entity("issues").rows, view.entity("issues").assumed) == (40 * 250000, False)
    assert view.entity("comments").assumed and view.entity("comments").rows == DEFAULT_ROWS  # nothing given for it


def test_one_entity_along_two_foreign_keys_is_two_with_entries():
    # An issue read with its reporter and its assignee: both are users, each through its own foreign key.
    p = _one(SAAS, entity="issues", **{"with": ["users(reporter_id)", "users(assignee_id)"]}, equality=["tenant_id"])
    assert p.with_ == ("users", "users") and p.paths[0] != p.paths[1]
    specs = p.to_dict()["with"]
    assert len(set(specs)) == 2 and all(s.startswith("users(") for s in specs)
    back = _one(SAAS, entity="issues", **{"with": specs}, equality=["tenant_id"])
    assert back.paths == p.paths


def test_the_same_path_twice_is_refused():
    message = _problem(SAAS, entity="issues", **{"with": ["users(reporter_id)", "users(reporter_id)"]})
    assert "'users' is already part of this pattern" in message
