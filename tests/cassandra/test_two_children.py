"""Regression (issue 12, the hypothesis finding): a parent read with two children, whose clustering names
collide (both keyed `k`), lost the second child's rows.

The first child becomes clustering rows under one parent per partition; the second, a frozen list of a UDT,
belongs to the parent's row. It was a regular column, written into no clustering row (and dropped for a
parent without rows of the first child), so Cassandra answered with an empty list where SQL had rows. The
list is now STATIC, like the parent's own attributes in that layout.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cassandra.cqlcheck import statement_failures
from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.strategies import rows_for
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.cql import render_cql
from translator.targets.cassandra.rows import QueryParams, check_pattern
from translator.types import CanonicalType
from translator.workload.model import AccessPattern, AttributeRef, RelationshipStats, Statistics, Workload

INT = CanonicalType.of("integer", bits=64)


def _schema() -> Schema:
    parent = Entity("p", (Attribute("id", INT), Attribute("name", INT)), primary_key=("id",))
    first = Entity("c1", (Attribute("k", INT), Attribute("p_id", INT), Attribute("x", INT)), primary_key=("k",))
    second = Entity("c2", (Attribute("k", INT), Attribute("p_id", INT), Attribute("y", INT)), primary_key=("k",))
    return Schema(
        (parent, first, second),
        (
            Relationship("c1_p", "c1", ("p_id",), "p", ("id",), Cardinality.MANY_TO_ONE, False),
            Relationship("c2_p", "c2", ("p_id",), "p", ("id",), Cardinality.MANY_TO_ONE, False),
        ),
    )


ROWS = {
    "p": [{"id": 1, "name": 10}, {"id": 2, "name": 20}],
    "c1": [{"k": 1, "p_id": 1, "x": 1}, {"k": 2, "p_id": 1, "x": 2}],
    "c2": [{"k": 1, "p_id": 1, "y": 5}, {"k": 3, "p_id": 2, "y": 6}, {"k": 4, "p_id": 2, "y": 7}],
}


@pytest.mark.parametrize("parent_id", [1, 2], ids=["with-both-children", "without-clustered-children"])
def test_parent_with_two_children_keeps_both_childrens_rows(parent_id: int) -> None:
    schema = _schema()
    pattern = AccessPattern("q", "p", with_=("c1", "c2"), equality=(AttributeRef("p", "id"),))
    design = TARGET.design(schema, Workload((pattern,)))
    (table,) = design.tables
    layouts = {c.entity: c.layout for c in table.children}
    assert layouts == {"c1": "rows", "c2": "udt-list"}
    list_column = next(c.column for c in table.children if c.layout == "udt-list")
    assert list_column in table.static

    result = check_pattern(
        design, schema, ROWS, rows_to_tables(design, schema, ROWS), pattern, QueryParams({"id": parent_id})
    )
    assert result.ok, (result.reason, result.cql, result.sql)
    ((_, nested),) = result.cql
    expected = sum(1 for row in ROWS["c2"] if row["p_id"] == parent_id)
    assert len(dict(nested)["c2"]) == expected


def test_static_list_renders_as_cql_static() -> None:
    schema = _schema()
    pattern = AccessPattern("q", "p", with_=("c1", "c2"), equality=(AttributeRef("p", "id"),))
    cql = render_cql(TARGET.design(schema, Workload((pattern,))))
    assert statement_failures(cql) == []
    assert "frozen<list<c2_row>> STATIC" in cql


@st.composite
def _families(draw):
    """A parent with two or three children whose attribute names are drawn from a small pool (so they
    collide), with or without fan-out statistics that make the first child clustering rows."""
    pool = ["k", "id", "x", "y"]
    children = []
    for i in range(draw(st.integers(2, 3))):
        names = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        key = tuple(draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True)))
        attrs = tuple(Attribute(n, INT) for n in names) + (Attribute("p_id", INT),)
        children.append(Entity(f"c{i + 1}", attrs, primary_key=key))
    parent = Entity("p", (Attribute("id", INT), Attribute("name", INT)), primary_key=("id",))
    rels = tuple(
        Relationship(f"{c.key}_p", c.key, ("p_id",), "p", ("id",), Cardinality.MANY_TO_ONE, False) for c in children
    )
    schema = Schema((parent, *children), rels)
    fan = draw(st.sampled_from([None, 3.0, 1e5]))
    stats = (
        Statistics(relationships={f"{c.key}.p_id": RelationshipStats(avg=fan, p99=fan, max=fan) for c in children})
        if fan
        else Statistics()
    )
    with_ = tuple(draw(st.permutations([c.key for c in children])))
    pattern = AccessPattern("q", "p", with_=with_, equality=(AttributeRef("p", "id"),))
    return schema, Workload((pattern,), stats), draw(rows_for(schema, min_rows=1, max_rows=5))


@settings(max_examples=60)
@given(_families(), st.data())
def test_every_childs_rows_survive_a_read_of_several_children(family, data) -> None:
    schema, workload, rows = family
    design = TARGET.design(schema, workload)
    (pattern,) = workload.access_patterns
    parent_id = data.draw(st.sampled_from([r["id"] for r in rows["p"]]))
    result = check_pattern(
        design, schema, rows, rows_to_tables(design, schema, rows), pattern, QueryParams({"id": parent_id})
    )
    assert result.ok, (result.reason, result.cql, result.sql)
