"""A range on the parent's own attribute, when the parent is fixed by the partition key and its children
are the clustering rows: the range filters the parent's STATIC value (found by the SQL-agreement property)."""

from __future__ import annotations

from tests.cassandra.schema_builders import attr, read
from translator.ir import Cardinality, Entity, Relationship, Schema
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, check_pattern
from translator.workload.model import Workload


def _case():
    parent = Entity("a", (attr("a", "integer", bits=16), attr("score", "integer", bits=32, nullable=True)),
                    primary_key=("a",))
    child = Entity("kid", (attr("kid_id", "integer", bits=32), attr("a", "integer", bits=16)), primary_key=("kid_id",))
    rel = Relationship("kid_a_fk", "kid", ("a",), "a", ("a",), Cardinality.MANY_TO_ONE, False)
    schema = Schema((parent, child), (rel,))
    pattern = read("q", "a", equality=["a"], range_="score", with_=["kid"])
    return schema, Workload((pattern,)), pattern


def test_range_on_a_static_parent_column_filters_the_partition():
    schema, workload, pattern = _case()
    design = TARGET.design(schema, workload)
    plan = design.read("q")
    table = design.table(plan.table)
    assert any(c.layout == "rows" for c in table.children), "the case needs children as clustering rows"
    assert "score" in table.static
    assert "score >= ? AND score <= ?" in plan.query.replace('"', "")
    assert plan.query.rstrip(";").endswith("ALLOW FILTERING")
    rows = {"a": [{"a": 0, "score": None}, {"a": 1, "score": 5}], "kid": [{"kid_id": 7, "a": 1}]}
    stored = rows_to_tables(design, schema, rows)
    for equality, bounds in (({"a": 0}, (0, 9)), ({"a": 1}, (0, 9)), ({"a": 1}, (6, 9))):
        result = check_pattern(design, schema, rows, stored, pattern, QueryParams(equality, bounds))
        assert result.ok, (equality, bounds, result.reason)


def test_the_filtering_query_is_valid_cql():
    from tests.cassandra.cqlcheck import bind_literals, statement_failures

    schema, workload, _ = _case()
    query = TARGET.design(schema, workload).read("q").query
    assert statement_failures(bind_literals(query)) == []
