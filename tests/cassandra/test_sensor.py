"""The textbook sensor network (Chebotko et al.): the design must give the textbook tables."""

from __future__ import annotations

import datetime as dt

from tests.cassandra.cqlcheck import bind_literals, statement_failures, table_failures, type_failures
from tests.cassandra.schema_builders import read, sensor_schema, sensor_statistics, sensor_workload, write
from translator.diagnostics import Severity
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, check_pattern


def _design(*extra):
    return TARGET.design(sensor_schema(), sensor_workload(*extra))


def _table_of(design, pattern_id):
    return design.table(design.read(pattern_id).table)


def test_measurements_by_sensor_and_date_newest_first():
    design = _design()
    table = _table_of(design, "Q1")
    assert table.partition_key == ("sensor_id", "date")
    assert [(c.column, c.order) for c in table.clustering] == [("ts", "DESC")]
    assert table.bucketing is None
    assert not table.estimate.over_limits
    assert table.estimate.rows_max == 86_400  # one reading a second for a day
    assert design.read("Q1").partitions == "single"


def test_sensors_by_network_clustered_by_sensor():
    table = _table_of(_design(), "Q2")
    assert table.partition_key == ("network_id",)
    assert [(c.column, c.order) for c in table.clustering] == [("sensor_id", "ASC")]


def test_all_networks_in_one_bucket_clustered_by_name():
    design = _design()
    table = _table_of(design, "Q3")
    assert table.bucketing is not None and table.bucketing.kind == "single"
    assert table.partition_key == (table.bucketing.column,)
    assert table.clustering[0].column == "name" and table.clustering[0].order == "ASC"
    assert "= 0" in design.read("Q3").query


def test_raw_measurements_by_sensor_is_flagged_and_time_bucketed():
    design = _design(read("Q4", "measurements", equality=("sensor_id",), order=(("ts", "desc"),), limit=100))
    table = _table_of(design, "Q4")
    assert table.unbucketed_estimate is not None and "rows" in table.unbucketed_estimate.over_limits
    assert table.bucketing.kind == "time" and table.bucketing.attribute == "ts"
    assert table.partition_key == ("sensor_id", table.bucketing.column)
    assert not table.estimate.over_limits and table.estimate.rows_max < table.unbucketed_estimate.rows_max
    assert design.read("Q4").partitions == "in-buckets" and " IN " in design.read("Q4").query
    assert any(d.code == "cassandra-partition-bucketed" and d.severity is Severity.WARNING for d in design.diagnostics)


def test_sensor_cql_parses_and_has_no_errors():
    design = _design(
        read("Q4", "measurements", equality=("sensor_id",), order=(("ts", "desc"),), limit=100),
        write("W1", "measurements"),
    )
    cql = TARGET.render(design, "cql")
    assert "PRIMARY KEY ((sensor_id, date), ts)" in cql and "CLUSTERING ORDER BY (ts DESC)" in cql
    assert statement_failures(cql.split("\n\n")[1]) == []  # the keyspace
    assert table_failures(design) == [] and type_failures(design) == []
    assert all(statement_failures(bind_literals(r.query)) == [] for r in design.reads)
    assert not [d for d in design.diagnostics if d.severity is Severity.ERROR]
    w1 = next(w for w in design.writes if w.id == "W1")
    assert len(w1.tables) == 2 and w1.logged_batch


def test_time_bucketed_reads_match_sql():
    design = _design(read("Q4", "measurements", equality=("sensor_id",), range_="ts", order=(("ts", "desc"),), limit=5))
    base = dt.datetime(2024, 3, 1, 22, 50, tzinfo=dt.UTC)
    rows = {
        "networks": [
            {"network_id": 1, "name": "north", "region": None},
            {"network_id": 2, "name": "east", "region": "eu"},
        ],
        "sensors": [{"sensor_id": s, "network_id": 1 + s % 2, "kind": "t", "location": None} for s in (10, 11)],
        "measurements": [
            {
                "sensor_id": 10 + i % 2,
                "date": (base + dt.timedelta(minutes=7 * i)).date(),
                "ts": base + dt.timedelta(minutes=7 * i),
                "value": float(i),
            }
            for i in range(40)
        ],
    }
    schema = sensor_schema()
    data = rows_to_tables(design, schema, rows)
    pattern = next(p for p in sensor_workload().access_patterns if p.id == "Q3")
    assert check_pattern(design, schema, rows, data, pattern, QueryParams({})).ok
    q4 = design.read("Q4")
    pattern = next(p for p in _workload_with_q4().access_patterns if p.id == "Q4")
    params = QueryParams({"sensor_id": 10}, (base + dt.timedelta(minutes=30), base + dt.timedelta(hours=3)))
    result = check_pattern(design, schema, rows, data, pattern, params)
    assert result.ok and len(result.cql) == 5, result
    assert q4.partitions == "in-buckets"


def _workload_with_q4():
    return sensor_workload(
        read("Q4", "measurements", equality=("sensor_id",), range_="ts", order=(("ts", "desc"),), limit=5)
    )


def _small_rows():
    return {
        "networks": [{"network_id": n, "name": f"net{n}", "region": None if n == 2 else "eu"} for n in (1, 2, 3)],
        "sensors": [
            {"sensor_id": s, "network_id": 1 + s % 2, "kind": "t" if s % 3 else "h", "location": None}
            for s in range(10, 17)
        ],
        "measurements": [],
    }


def test_parent_with_is_static_and_few_children_are_a_udt_list():
    from dataclasses import replace

    from translator.workload.model import RelationshipStats, Workload

    stats = sensor_statistics()
    few = replace(stats, relationships={**stats.relationships, "sensors.network_id": RelationshipStats(4, 8, 10)})
    patterns = (
        read("S1", "sensors", equality=("network_id",), with_=("networks",)),
        read("S2", "networks", equality=("network_id",), with_=("sensors",)),
    )
    design = TARGET.design(sensor_schema(), Workload(patterns, few))
    s1 = design.table(design.read("S1").table)
    assert {"networks_name", "networks_region"} <= set(s1.static)
    s2 = design.table(design.read("S2").table)
    assert [c.layout for c in s2.children] == ["udt-list"] and design.udts
    udt = design.udts[0]
    assert s2.column(s2.children[0].column).type == f"frozen<list<{udt.name}>>"
    cql = TARGET.render(design, "cql")
    assert (
        statement_failures("\n".join(b for b in cql.split("\n\n") if b.startswith(("CREATE KEYSPACE", "CREATE TYPE"))))
        == []
    )
    assert table_failures(design) == [] and type_failures(design) == []
    rows, schema = _small_rows(), sensor_schema()
    data = rows_to_tables(design, schema, rows)
    for pattern, params in (
        (patterns[0], QueryParams({"network_id": 1})),
        (patterns[1], QueryParams({"network_id": 2})),
        (patterns[1], QueryParams({"network_id": 3})),
    ):
        result = check_pattern(design, schema, rows, data, pattern, params)
        assert result.ok, result
    in_network_1 = sum(s["network_id"] == 1 for s in rows["sensors"])
    assert (
        len(check_pattern(design, schema, rows, data, patterns[0], QueryParams({"network_id": 1})).cql) == in_network_1
    )


def test_checker_notices_a_wrong_table():
    """The checker is not vacuous: a table whose clustering drops the key loses rows, and it says so."""
    from dataclasses import replace

    design = _design()
    table = _table_of(design, "Q2")
    broken = replace(design, tables=tuple(replace(t, clustering=()) if t is table else t for t in design.tables))
    rows, schema = _small_rows(), sensor_schema()
    pattern = next(p for p in sensor_workload().access_patterns if p.id == "Q2")
    result = check_pattern(
        broken, schema, rows, rows_to_tables(broken, schema, rows), pattern, QueryParams({"network_id": 1})
    )
    assert (
        not result.ok and len(result.cql) == 1 and len(result.sql) == sum(s["network_id"] == 1 for s in rows["sensors"])
    )


def test_all_networks_too_many_for_one_bucket_are_hash_bucketed():
    from dataclasses import replace

    from translator.workload.model import EntityStats, Workload

    stats = sensor_statistics()
    many = replace(stats, entities={**stats.entities, "networks": EntityStats(5e8, 120)})
    design = TARGET.design(sensor_schema(), Workload(sensor_workload().access_patterns, many))
    table = _table_of(design, "Q3")
    assert table.bucketing.kind == "hash" and table.bucketing.count > 1
    assert table.partition_key == (table.bucketing.column,)
    assert not table.estimate.over_limits and table.unbucketed_estimate.over_limits
    assert design.read("Q3").partitions == "in-buckets"
    rows, schema = _small_rows(), sensor_schema()
    pattern = next(p for p in sensor_workload().access_patterns if p.id == "Q3")
    assert check_pattern(design, schema, rows, rows_to_tables(design, schema, rows), pattern, QueryParams({})).ok
