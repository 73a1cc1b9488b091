"""Hypothesis: over generated schemas, workloads and rows, every read pattern answered from the Cassandra
tables (as Cassandra would) returns what SQL returns from the source rows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from translator.strategies import rows_for, schemas, workloads
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, check_pattern
from translator.workload.model import EntityStats, RelationshipStats, Statistics, Workload


def _huge(schema) -> Statistics:
    """Statistics that push partitions over the limits, so hash and time bucketing get exercised."""
    return Statistics(
        entities={e.key: EntityStats(rows=1e10) for e in schema.entities},
        relationships={f"{r.from_entity}.{a}": RelationshipStats(avg=1e6, p99=5e6, max=1e7)
                       for r in schema.relationships for a in r.from_attributes})


@st.composite
def cases(draw):
    schema = draw(schemas(max_entities=3))
    workload = draw(workloads(schema, max_patterns=4))
    if draw(st.booleans()):
        workload = Workload(workload.access_patterns, _huge(schema))
    rows = draw(rows_for(schema, max_rows=7))
    return schema, workload, rows


def _params(draw, pattern, rows, design):
    source = rows.get(pattern.entity, [])
    if not source:
        return None
    picked = draw(st.sampled_from(source))
    equality = {r.attribute: picked[r.attribute] for r in pattern.equality}
    # The tenant the design keys the table by (an inferred tenancy included): the application binds it.
    equality.update({name: picked[name.rsplit(".", 1)[1]] for name in design.read(pattern.id).added_equality})
    if any(v is None for v in equality.values()):
        return None  # Cassandra cannot look up NULL, and SQL's = NULL matches nothing
    bounds = None
    if pattern.range is not None:
        values = sorted({row[pattern.range.attribute] for row in source if row[pattern.range.attribute] is not None})
        if not values:
            return None
        low, high = sorted(draw(st.lists(st.sampled_from(values), min_size=2, max_size=2)))
        bounds = (low, high)
    return QueryParams(equality, bounds)


@settings(max_examples=30)
@given(cases(), st.data())
def test_cassandra_answers_as_sql_does(case, data):
    schema, workload, rows = case
    design = TARGET.design(schema, workload)
    stored = rows_to_tables(design, schema, rows)
    for pattern in (p for p in workload.access_patterns if p.is_read):
        params = _params(data.draw, pattern, rows, design)
        if params is None:
            continue
        result = check_pattern(design, schema, rows, stored, pattern, params)
        table = design.table(design.read(pattern.id).table)
        assert result.ok, (f"{pattern}\nparams={params}\ntable={table.name} pk={table.partition_key} "
                           f"ck={table.clustering} static={table.static} children={table.children} "
                           f"bucketing={table.bucketing}\n{result.reason}\ncql={result.cql}\nsql={result.sql}")


@settings(max_examples=15)
@given(cases())
def test_every_read_has_one_table_and_json_is_stable(case):
    schema, workload, _ = case
    design = TARGET.design(schema, workload)
    for pattern in (p for p in workload.access_patterns if p.is_read):
        assert sum(pattern.id in t.serves for t in design.tables) == 1
    for table in design.tables:
        assert len(table.name) <= 48
        assert len(set(table.primary_key)) == len(table.primary_key)
        assert set(table.static).isdisjoint(table.primary_key)
        assert not table.static or table.clustering, "STATIC needs clustering columns"
        est = table.estimate
        assert est.rows_avg <= est.rows_max and est.bytes_avg <= est.bytes_max
    assert design.to_dict() == TARGET.design(schema, workload).to_dict()
