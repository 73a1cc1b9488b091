"""A filter across child rows: "flights having a ticket in seat X" is one Query on a GSI over the ticket
items, which carry copies of their flight; the flights are read distinct from the copies. Before, every
such pattern was an error ("reached through children ... no key of one item can hold it")."""

from __future__ import annotations

import yaml

from tests.dynamodb.test_roles import airline, airline_rows
from translator.ingest import ingest_text
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.verify import verify_design
from translator.targets.dynamodb.verify_sql import load_sqlite, read_need, run_sql
from translator.workload import parse_workload


def _design(schema, patterns):
    workload = parse_workload(yaml.safe_load(f"version: 1\naccess_patterns:\n{patterns}"), schema)
    return workload, TARGET.design(schema, workload)


BY_SEAT = """
  - {id: Q3, entity: flights, equality: ["tickets.seat"], rate: 5}
  - {id: Q4, entity: flights, with: ["airports(origin_id)"], equality: ["tickets.seat"], order_by: [departs], rate: 5}
  - {id: Q5, entity: airports, equality: ["flights(origin_id).tickets.seat"], rate: 5}
  - {id: Q6, entity: flights, equality: ["tickets.seat", origin_id], limit: 2, rate: 5}
  - {id: W1, entity: flights, kind: update, equality: [flight_id], rate: 1}
"""


def test_a_filter_on_a_childs_attribute_is_one_query_on_a_gsi_over_the_children():
    schema = airline()
    _, design = _design(schema, BY_SEAT)
    plans = {p.id: p for p in design.access_patterns}
    q3 = plans["Q3"]
    assert (q3.operation, q3.flagged, q3.items_of, q3.rule) == ("Query", False, "tickets", "gsi-child-filter")
    tickets = design.entity("tickets")
    gsi = tickets.path_on(q3.index)
    assert gsi is not None and gsi.partition.parts == ("seat",)
    assert q3.returns == ("flights",) and q3.carried[0].entity == "flights"
    assert dict(q3.carried[0].columns)["departs"] in {c.part for c in tickets.copies}
    assert plans["Q4"].returns == ("flights", "airports") and plans["Q4"].carried[1].label == "airports (origin)"
    assert plans["Q5"].carried[0].entity == "airports" and not plans["Q5"].flagged
    # The writes that change a flight must rewrite the tickets carrying its copies, and can find them.
    assert "tickets" in plans["W1"].also_writes
    assert any(d.rule == "gsi-copy-maintenance" and d.subject == "tickets" for d in design.decisions)
    assert not [d for d in design.diagnostics if d.severity.value == "error"]


def test_sql_keeps_each_parent_once_however_many_children_match():
    schema = airline()
    workload, design = _design(schema, BY_SEAT)
    rows = airline_rows()
    plan = next(p for p in design.access_patterns if p.id == "Q3")
    pattern = workload.pattern("Q3")
    read, need = read_need(schema, design, plan, pattern)
    assert read == "tickets" and need.eq == ("seat",)
    found = run_sql(load_sqlite(schema, rows), schema, design, plan, pattern, need, {"seat": "1A"})
    flights = {t["flight_id"] for t in rows["tickets"] if t["seat"] == "1A"}
    assert sorted(rows["flights"][i]["flight_id"] for i in found["flights"]) == sorted(flights)
    assert len(found["flights"]) < sum(t["seat"] == "1A" for t in rows["tickets"])  # duplicates were there


def test_verify_answers_child_filters_like_sql(ddb):
    schema = airline()
    workload, design = _design(schema, BY_SEAT)
    report = verify_design(schema, workload, design, airline_rows(), ddb, checks_per_pattern=5)
    assert report.ok and all(r.status == "pass" for r in report.results), report.to_dict()
    per_entity = TARGET.design(schema, workload, mode="per-entity")
    report = verify_design(schema, workload, per_entity, airline_rows(), ddb, checks_per_pattern=3)
    assert report.ok, report.to_dict()


def test_returning_the_children_too_needs_a_second_request_and_verify_says_so(ddb):
    schema = airline()
    workload, design = _design(
        schema, '  - {id: Q3, entity: flights, with: [tickets], equality: ["tickets.seat"], rate: 5}\n'
    )
    q3 = design.access_patterns[0]
    assert q3.flagged and q3.operation == "Query+Query" and q3.key_condition is not None
    assert "needs a second request" in q3.reason and "one more Query per flights item" in q3.reason
    assert any(d.code == "dynamodb-unserved-pattern" for d in design.diagnostics)
    result = verify_design(schema, workload, design, airline_rows(), ddb, checks_per_pattern=3).results[0]
    assert result.status == "fail" and "matched SQL" in result.detail and "second request" in result.detail


def test_a_filter_through_a_many_to_many_link_stays_flagged_with_its_reason():
    schema = ingest_text(
        "CREATE TABLE authors (author_id INT PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE books (book_id INT PRIMARY KEY, title TEXT NOT NULL);"
        "CREATE TABLE book_authors (book_id INT NOT NULL REFERENCES books(book_id),"
        " author_id INT NOT NULL REFERENCES authors(author_id), PRIMARY KEY (book_id, author_id));",
        "postgres",
    )
    _, design = _design(schema, '  - {id: Q, entity: authors, equality: ["books.title"], rate: 1}\n')
    plan = design.access_patterns[0]
    assert plan.flagged and plan.key_condition is None
    assert "many-to-many link" in plan.reason and "book_authors" in plan.reason
