"""Issue 11 acceptance, Cassandra: the airline booking example (airports 1:N flights, flights 1:N tickets,
passengers 1:N tickets), with patterns that filter and read across relationships.

Statistics (tests/cassandra/data/airline.workload.yaml): 4,000 airports in 3,500 cities, 400 million flights
over 20 years (7,300 departure dates), 30 billion tickets. One city alone holds ~114,000 flights, over the
100,000-row guidance, so the city and the date together partition Q1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from translator.sources import load_schema
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, check_pattern
from translator.workload import load_workload

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def airline():
    schema = load_schema([str(DATA / "airline.sql")])
    workload = load_workload(str(DATA / "airline.workload.yaml"), schema)
    return schema, workload, TARGET.design(schema, workload)


def test_flights_leaving_a_city_on_a_date(airline):
    _, _, design = airline
    table = design.table(design.read("Q1").table)
    assert table.entity == "flights"
    assert [table.column(c).source for c in table.partition_key] == ["airports.city", "flights.departure_date"]
    assert [(table.column(c.column).source, c.order) for c in table.clustering] == [
        ("flights.departure_time", "ASC"), ("flights.flight_id", "ASC")]
    city = next(c for c in table.columns if c.source == "airports.city")
    assert len(city.path) == 1  # copied through flights -> airports
    copy = next(d for d in table.decisions if d.rule == "MR-copy")
    assert copy.subject == "airports" and "every write that changes it must update this table" in copy.reason
    partition = next(d for d in table.decisions if d.rule == "MR-eq")
    assert partition.numbers and dict(partition.numbers)["rows_max"] < 50_000


def test_a_passengers_tickets_with_each_flight(airline):
    _, _, design = airline
    table = design.table(design.read("Q2").table)
    assert table.entity == "tickets" and table.partition_key == ("passenger_id",)
    copied = {c.attribute for c in table.columns if c.entity == "flights"}
    assert {"flight_number", "departure_time", "arrival_time"} <= copied
    assert not set(table.static) & {c.name for c in table.columns if c.entity == "flights"}, \
        "a passenger's partition holds many flights: their columns vary per row"


def test_writes_that_change_an_airports_city_list_both_tables(airline):
    _, _, design = airline
    w1 = next(w for w in design.writes if w.id == "W1")
    assert set(w1.tables) == {design.read("Q1").table, design.read("Q3").table}
    assert "moves each row" in w1.reason  # city is a partition key column: delete and re-insert


def test_answers_equal_sql_on_rows(airline):
    schema, workload, design = airline
    day = dt.date(2026, 3, 1)
    rows = {
        "airports": [{"airport_id": 1, "code": "LHR", "city": "London", "country": "UK"},
                     {"airport_id": 2, "code": "LGW", "city": "London", "country": "UK"},
                     {"airport_id": 3, "code": "CDG", "city": "Paris", "country": "FR"}],
        "flights": [{"flight_id": i, "flight_number": f"BA{i}", "departure_airport_id": 1 + i % 3,
                     "departure_date": day + dt.timedelta(days=i % 2),
                     "departure_time": dt.datetime(2026, 3, 1, 6 + i), "arrival_time": dt.datetime(2026, 3, 1, 8 + i)}
                    for i in range(8)],
        "passengers": [{"passenger_id": 1, "name": "Ada", "email": "ada@example.org"}],
        "tickets": [{"ticket_id": 10 + i, "flight_id": i, "passenger_id": 1, "seat": f"{i}A", "price": None}
                    for i in range(0, 8, 3)],
    }
    stored = rows_to_tables(design, schema, rows)
    q1, q2 = workload.pattern("Q1"), workload.pattern("Q2")
    result = check_pattern(design, schema, rows, stored, q1, QueryParams({"airports.city": "London",
                                                                         "departure_date": day}))
    assert result.ok and len(result.cql) == 3, result
    result = check_pattern(design, schema, rows, stored, q2, QueryParams({"passenger_id": 1}))
    assert result.ok and len(result.cql) == 3, result
