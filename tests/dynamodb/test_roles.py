"""One parent reached by two foreign keys (a flight's origin and destination airports, an issue's reporter
and assignee): copies, key labels and decisions name each role, and verify compares each role's rows.

Every test here fails before roles existed: the copies were `airports.city` / `airports.city_2`, the
decisions said "copies of airports, airports", and verify kept one role's rows (the last), so a wrong
first role went unnoticed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from translator.ingest import ingest_text
from translator.sources import load_schema
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.items import rows_to_items
from translator.targets.dynamodb.roles import role
from translator.targets.dynamodb.verify import _carried_rows, verify_design
from translator.workload import parse_workload

AIRLINE = """
CREATE TABLE airports (airport_id INT PRIMARY KEY, code CHAR(3) NOT NULL, city VARCHAR(50) NOT NULL);
CREATE TABLE flights (flight_id INT PRIMARY KEY, origin_id INT NOT NULL REFERENCES airports(airport_id),
  dest_id INT NOT NULL REFERENCES airports(airport_id), departs TIMESTAMP NOT NULL, number VARCHAR(8) NOT NULL);
CREATE TABLE tickets (ticket_id INT PRIMARY KEY, flight_id INT NOT NULL REFERENCES flights(flight_id),
  seat VARCHAR(4) NOT NULL, price DECIMAL(8,2));
"""

ROLES_WORKLOAD = """
version: 1
access_patterns:
  - id: Q1
    entity: flights
    equality: ["airports(origin_id).city", "airports(dest_id).city"]
    range: departs
    order_by: [departs]
    rate: 100
  - id: Q2
    entity: flights
    with: ["airports(origin_id)", "airports(dest_id)"]
    equality: [flight_id]
    rate: 50
"""

DEST_READ = """  - {id: Q0, entity: flights, with: ["airports(dest_id)"], equality: [dest_id], rate: 500}
"""

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def airline():
    return ingest_text(AIRLINE, "postgres")


def airline_rows():
    import datetime as dt

    airports = [{"airport_id": i, "code": f"A{i:02d}", "city": f"city{i % 3}"} for i in range(1, 6)]
    flights = [
        {
            "flight_id": f,
            "origin_id": 1 + f % 5,
            "dest_id": 1 + (f * 2 + 1) % 5,
            "departs": dt.datetime(2024, 1, 1 + f % 4, 8 + f),
            "number": f"F{f}",
        }
        for f in range(1, 9)
    ]
    seats = ["1A", "1B", "1A", "2A"]  # one flight has several tickets in seat 1A
    tickets = [{"ticket_id": t, "flight_id": 1 + t % 8, "seat": seats[t % 4], "price": None} for t in range(1, 25)]
    return {"airports": airports, "flights": flights, "tickets": tickets}


def _design(schema, text):
    workload = parse_workload(yaml.safe_load(text), schema)
    return workload, TARGET.design(schema, workload)


def test_copies_keys_and_decisions_name_each_role():
    schema = airline()
    _, design = _design(schema, ROLES_WORKLOAD)
    flights = design.entity("flights")
    copies = {c.part: (c.role, c.column) for c in flights.copies}
    assert copies["origin.city"] == ("origin", "city") and copies["dest.city"] == ("dest", "city")
    q1 = next(p for p in design.access_patterns if p.id == "Q1")
    assert q1.values[0].text() == "FLIGHTS_ORIGIN_CITY_DEST_CITY#<origin.city>#<dest.city>"
    q2 = next(p for p in design.access_patterns if p.id == "Q2")
    assert [c.label for c in q2.carried] == ["airports (origin)", "airports (dest)"]
    assert dict(q2.carried[1].columns)["city"] == "dest.city"
    text = [f"{d.choice}; {d.reason}" for d in design.decisions]
    assert any(t.startswith("copies of airports (origin), airports (dest);") for t in text), text
    # A flight joins one airport's collection at most, so Q2 (both airports) does not place it: copies
    # serve Q2 as a GetItem on the flight's own key (before: placed under the origin for nothing, plus a GSI).
    assert any("not placed with airports (origin), airports (dest) for Q2" in t for t in text), text
    assert (flights.placement, q2.operation, q2.index) == ("own partition", "GetItem", None)
    assert design.to_dict()["entities"][1]["copies"][0]["role"] in ("origin", "dest")
    # A placement along one of the two foreign keys names its role.
    _, by_dest = _design(schema, ROLES_WORKLOAD + DEST_READ)
    assert by_dest.entity("flights").placement == "item collection of airports (dest)"
    text = [f"{d.choice}; {d.reason}" for d in by_dest.decisions]
    assert "item collection of airports (dest); Q0 reads flights and airports (dest) together" in " ".join(text)


def test_a_role_leaves_out_the_tenant_and_the_shared_columns_and_falls_back_to_the_relationship_name():
    saas = load_schema([str(SAMPLES / "saas.sql")])
    reporter = next(r for r in saas.relationships_from("issues") if "reporter_id" in r.from_attributes)
    assert role(saas, reporter) == "reporter"
    assert role(saas, reporter, {"issues": "tenant_id"}) == "reporter"
    alike = ingest_text(
        "CREATE TABLE p (id INT PRIMARY KEY);"
        "CREATE TABLE c (id INT PRIMARY KEY, p_id INT REFERENCES p(id), p INT REFERENCES p(id));",
        "postgres",
    )
    rels = alike.relationships_from("c")
    assert {role(alike, r) for r in rels} == {r.name for r in rels}  # both would read "p"


def test_verify_compares_each_role_and_catches_a_wrong_first_role(ddb):
    schema = airline()
    workload, design = _design(schema, ROLES_WORKLOAD)
    rows = airline_rows()
    report = verify_design(schema, workload, design, rows, ddb, checks_per_pattern=5)
    assert report.ok, report.to_dict()
    q2 = next(p for p in design.access_patterns if p.id == "Q2")
    items = rows_to_items(schema, design, rows)["app"]
    got = _carried_rows(schema, design, q2, items)
    assert set(got) == {"airports (origin)", "airports (dest)"}
    assert got["airports (origin)"] != got["airports (dest)"]
    # The origin role wired to the destination's copies must fail (before, only the last role was compared).
    origin, dest = q2.carried
    wrong = dataclasses.replace(origin, columns=dest.columns, witness=dest.witness)
    plans = tuple(dataclasses.replace(p, carried=(wrong, dest)) if p.id == "Q2" else p for p in design.access_patterns)
    broken = dataclasses.replace(design, access_patterns=plans)
    report = verify_design(schema, workload, broken, rows, ddb, checks_per_pattern=5)
    assert {r.id: r.status for r in report.results}["Q2"] == "fail", report.to_dict()


def test_an_issue_with_its_reporter_and_assignee_rebuilds_both_users(ddb):
    from translator.sample_rows import sample_rows

    saas = load_schema([str(SAMPLES / "saas.sql")])
    text = """
version: 1
access_patterns:
  - id: R1
    entity: issues
    with: ["users(reporter_id)", "users(assignee_id)"]
    equality: [tenant_id, issue_id]
    rate: 20
"""
    workload, design = _design(saas, text)
    r1 = design.access_patterns[0]
    assert not r1.flagged and r1.operation in ("GetItem", "Query")
    assert [c.label for c in r1.carried] == ["users (reporter)", "users (assignee)"]
    parts = {c.part for c in design.entity("issues").copies}
    assert {"reporter.email", "assignee.email"} <= parts
    report = verify_design(saas, workload, design, sample_rows(saas, 12, seed=3), ddb, checks_per_pattern=5)
    assert report.ok and report.results[0].status == "pass", report.to_dict()
