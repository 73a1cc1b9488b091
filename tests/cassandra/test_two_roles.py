"""Issue 11 (Chebotko's mapping rules along paths): one entity reached along two foreign keys is two
copies, one per role, never one copy for both.

A flight has an origin and a destination airport ("flights from city A to city B by departure"): the
table is partitioned by both cities, each copied as a column named by its role. An issue has a reporter
and an assignee (samples/saas.sql): read with both, both users are copied (before, one of them was
silently dropped). The answers are checked against SQLite running the equivalent join, over generated rows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from translator.sources import load_schema
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, answer_cql, check_pattern
from translator.workload import parse_workload

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[2]
ORIGIN, DEST = "airports(fk_flights_origin_id).city", "airports(fk_flights_dest_id).city"


def _airline(*patterns: dict):
    schema = load_schema([str(DATA / "two_roles.sql")])
    workload = parse_workload({"version": 1, "access_patterns": list(patterns)}, schema)
    return schema, workload, TARGET.design(schema, workload)


BETWEEN_CITIES = {
    "id": "Q1",
    "entity": "flights",
    "equality": ["airports(origin_id).city", "airports(dest_id).city"],
    "range": "departs",
    "order_by": ["departs"],
}
WITH_BOTH = {"id": "Q2", "entity": "flights", "with": ["airports(origin_id)", "airports(dest_id)"],
             "equality": ["flight_id"]}
CITY_CHANGES = {"id": "W1", "entity": "airports", "kind": "update"}


def test_flights_between_two_cities_are_partitioned_by_both_roles():
    _, _, design = _airline(BETWEEN_CITIES, CITY_CHANGES)
    table = design.table(design.read("Q1").table)
    assert table.partition_key == ("origin_city", "dest_city")
    assert [table.column(c).source for c in table.partition_key] == [ORIGIN, DEST]
    assert [(c.column, c.order) for c in table.clustering] == [("departs", "ASC"), ("flight_id", "ASC")]
    assert {table.column(c).path for c in table.partition_key} == {("fk_flights_origin_id",), ("fk_flights_dest_id",)}
    assert not table.static, "one partition holds many flights: neither airport is fixed by it"
    write = next(w for w in design.writes if w.id == "W1")
    assert write.tables == (table.name,)
    assert "fk_flights_origin_id" in write.reason and "fk_flights_dest_id" in write.reason


def test_a_flight_read_with_both_airports_copies_both():
    _, _, design = _airline(WITH_BOTH)
    table = design.table(design.read("Q2").table)
    copies = {c.name: c.path for c in table.columns if c.entity == "airports"}
    assert copies == {
        "origin_code": ("fk_flights_origin_id",), "origin_city": ("fk_flights_origin_id",),
        "dest_code": ("fk_flights_dest_id",), "dest_city": ("fk_flights_dest_id",),
    }
    assert {"origin_city", "dest_city"} <= set(design.read("Q2").columns)


def test_an_issue_read_with_its_reporter_and_assignee_keeps_both_users():
    schema = load_schema([str(ROOT / "samples" / "saas.sql")])
    workload = parse_workload({"version": 1, "access_patterns": [{
        "id": "R1", "entity": "issues", "with": ["users(reporter_id)", "users(assignee_id)"],
        "equality": ["tenant_id", "issue_id"]}]}, schema)
    design = TARGET.design(schema, workload)
    table = design.table(design.read("R1").table)
    names = {c.name for c in table.columns if c.entity == "users"}
    assert {"reporter_email", "assignee_email"} <= names
    rows = {
        "users": [
            {"tenant_id": 1, "user_id": 1, "email": "rep@x", "full_name": "Rep", "is_admin": False,
             "created_at": dt.datetime(2024, 1, 1)},
            {"tenant_id": 1, "user_id": 2, "email": "asg@x", "full_name": "Asg", "is_admin": True,
             "created_at": dt.datetime(2024, 1, 2)},
        ],
        "issues": [{"tenant_id": 1, "issue_id": 7, "project_id": 1, "number": 1, "title": "t", "body": None,
                    "status": "open", "priority": 1, "reporter_id": 1, "assignee_id": 2, "labels": None,
                    "created_at": dt.datetime(2024, 2, 1), "updated_at": dt.datetime(2024, 2, 1)}],
    }
    data = rows_to_tables(design, schema, rows)
    stored = next(iter(data.tables[table.name].values()))
    (row,) = stored.rows.values()
    assert (row["reporter_email"], row["assignee_email"]) == ("rep@x", "asg@x")
    pattern = workload.access_patterns[0]
    result = check_pattern(design, schema, rows, data, pattern, QueryParams({"tenant_id": 1, "issue_id": 7}))
    assert result.ok and len(result.cql) == 1
    values = dict(result.cql[0][0])
    assert values["users(fk_issues_tenant_id_reporter_id).email"] == "rep@x"
    assert values["users(fk_issues_tenant_id_assignee_id).email"] == "asg@x"


CITIES = ("ams", "bcn", "cdg")


@st.composite
def airline_rows(draw):
    airports = [{"airport_id": i, "code": f"A{i}", "city": draw(st.sampled_from(CITIES))} for i in range(4)]
    flights = [
        {"flight_id": i, "origin_id": draw(st.integers(0, 4)), "dest_id": draw(st.integers(0, 4)),
         "departs": dt.datetime(2024, 1, 1) + dt.timedelta(hours=draw(st.integers(0, 5))), "number": f"F{i}"}
        for i in range(draw(st.integers(1, 8)))
    ]  # airport 4 does not exist: a dangling foreign key, a row Cassandra cannot key by its city
    return {"airports": airports, "flights": flights, "tickets": []}


def _sqlite(rows) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE airports (airport_id, code, city)")
    db.execute("CREATE TABLE flights (flight_id, origin_id, dest_id, departs, number)")
    db.executemany("INSERT INTO airports VALUES (?, ?, ?)", [tuple(a.values()) for a in rows["airports"]])
    db.executemany("INSERT INTO flights VALUES (?, ?, ?, ?, ?)",
                   [(f["flight_id"], f["origin_id"], f["dest_id"], f["departs"].isoformat(), f["number"])
                    for f in rows["flights"]])
    return db


@settings(max_examples=40, deadline=None)
@given(airline_rows(), st.sampled_from(CITIES), st.sampled_from(CITIES), st.integers(0, 5), st.integers(0, 5))
def test_flights_between_cities_answer_as_sqlite_does(rows, origin, dest, low, high):
    schema, workload, design = _airline(BETWEEN_CITIES)
    low, high = sorted((low, high))
    bounds = tuple(dt.datetime(2024, 1, 1) + dt.timedelta(hours=h) for h in (low, high))
    params = QueryParams({ORIGIN: origin, DEST: dest}, bounds)
    data = rows_to_tables(design, schema, rows)
    pattern = workload.access_patterns[0]
    assert check_pattern(design, schema, rows, data, pattern, params).ok
    got = [dict(item[0])["flights.flight_id"] for item in answer_cql(design, data, pattern, params, schema)]
    sql = _sqlite(rows).execute(
        "SELECT f.flight_id FROM flights f JOIN airports o ON o.airport_id = f.origin_id "
        "JOIN airports d ON d.airport_id = f.dest_id WHERE o.city = ? AND d.city = ? "
        "AND f.departs BETWEEN ? AND ? ORDER BY f.departs, f.flight_id",
        (origin, dest, *(b.isoformat() for b in bounds)),
    )
    assert got == [r[0] for r in sql]
    assert Counter(got) == Counter(set(got)), "one row per flight"
