"""Issue 11 (MongoDB): one parent entity along two foreign keys (a flight's origin and destination airports).

Each role gets its own copy, named by the role; a read that filters on a parent's attribute finds it in the
child's copy (filter, ESR index), the parent's updates list the copies they must update, and the documents
answer two-role patterns the way SQL's joins do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import bson
import pytest

from tests.mongodb.cases import design_for
from translator.targets.mongodb import documents_to_rows, rows_to_documents
from translator.targets.mongodb.answer import answer

AIRLINE = """
CREATE TABLE airports (airport_id INT PRIMARY KEY, code CHAR(3) NOT NULL, city VARCHAR(50) NOT NULL);
CREATE TABLE flights (flight_id INT PRIMARY KEY, origin_id INT NOT NULL REFERENCES airports(airport_id),
  dest_id INT NOT NULL REFERENCES airports(airport_id), departs TIMESTAMP NOT NULL, number VARCHAR(8) NOT NULL);
CREATE TABLE tickets (ticket_id INT PRIMARY KEY, flight_id INT NOT NULL REFERENCES flights(flight_id),
  seat VARCHAR(4) NOT NULL, price DECIMAL(8,2));
"""

BY_CITIES = {
    "id": "Q1",
    "description": "Flights from one city to another in a time window",
    "entity": "flights",
    "equality": ["airports(origin_id).city", "airports(dest_id).city"],
    "range": "departs",
    "order_by": ["departs"],
    "rate": 100,
}
WITH_BOTH = {
    "id": "Q2",
    "entity": "flights",
    "with": ["airports(origin_id)", "airports(dest_id)"],
    "equality": ["flight_id"],
    "rate": 50,
}
AIRPORT_UPDATE = {"id": "U1", "entity": "airports", "kind": "update", "equality": ["airport_id"], "rate": 1}

ROWS: dict[str, list[dict[str, Any]]] = {
    "airports": [
        {"airport_id": 1, "code": "OSL", "city": "Oslo"},
        {"airport_id": 2, "code": "BGO", "city": "Bergen"},
        {"airport_id": 3, "code": "TRD", "city": "Trondheim"},
    ],
    "flights": [
        {"flight_id": 10, "origin_id": 1, "dest_id": 2, "departs": dt.datetime(2024, 5, 1, 8), "number": "DY600"},
        {"flight_id": 11, "origin_id": 2, "dest_id": 1, "departs": dt.datetime(2024, 5, 1, 9), "number": "DY601"},
        {"flight_id": 12, "origin_id": 1, "dest_id": 3, "departs": dt.datetime(2024, 5, 1, 10), "number": "DY602"},
    ],
    "tickets": [],
}


def _airline(*patterns: dict[str, Any]) -> Any:
    return design_for(AIRLINE, {"version": 1, "access_patterns": list(patterns)})[2]


def _plan(design: Any, pattern_id: str) -> Any:
    return next(p for p in design.access_patterns if p.id == pattern_id)


def _stored(design: Any) -> dict[str, list[dict[str, Any]]]:
    docs = rows_to_documents(design, ROWS)
    return {n: [bson.decode(bson.encode(d)) for d in ds] for n, ds in docs.items()}


def test_each_role_of_one_parent_gets_a_copy_named_by_the_role() -> None:
    """Regression: the two copies of airports were `airports` and `airports_dest_id`."""
    design = _airline(WITH_BOTH)
    flights = design.collection("flights")
    copies = {r.relationship: r for r in flights.references}
    origin, dest = copies["fk_flights_origin_id"], copies["fk_flights_dest_id"]
    assert origin.copied_fields == ("origin.code", "origin.city")
    assert dest.copied_fields == ("dest.code", "dest.city")
    assert _plan(design, "Q2").query["embedded"] == ["origin", "dest"]
    # the reason names the structure it describes: the whole object, at the role's field, as an extended reference
    for subject, field in (("fk_flights_origin_id", "origin"), ("fk_flights_dest_id", "dest")):
        d = next(x for x in design.decisions if x.subject == subject)
        assert d.choice == "parent-object-copy" and origin.style == dest.style == "extended"
        assert f"whole airports object at flights.{field} (code, city" in d.reason
        assert dict(d.numbers)["copy_field"] == field


def test_role_names_drop_the_tenant_column_and_single_keys_keep_the_entity_name() -> None:
    ddl = """
    CREATE TABLE users (tenant_id INT NOT NULL, user_id INT NOT NULL, email VARCHAR(100) NOT NULL,
      PRIMARY KEY (tenant_id, user_id));
    CREATE TABLE projects (tenant_id INT NOT NULL, project_id INT NOT NULL, owner_id INT NOT NULL,
      PRIMARY KEY (tenant_id, project_id), FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, user_id));
    CREATE TABLE issues (tenant_id INT NOT NULL, issue_id INT NOT NULL, project_id INT NOT NULL,
      reporter_id INT NOT NULL, assignee_id INT, PRIMARY KEY (tenant_id, issue_id),
      FOREIGN KEY (tenant_id, project_id) REFERENCES projects (tenant_id, project_id),
      FOREIGN KEY (tenant_id, reporter_id) REFERENCES users (tenant_id, user_id),
      FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, user_id));
    """
    workload = {
        "version": 1,
        "tenant": "tenant_id",
        "access_patterns": [
            {
                "id": "R1",
                "entity": "issues",
                "with": ["users(reporter_id)", "users(assignee_id)", "projects"],
                "equality": ["tenant_id", "issue_id"],
                "rate": 100,
            },
            {"id": "R2", "entity": "projects", "with": ["users"], "equality": ["tenant_id", "project_id"]},
        ],
    }
    design = design_for(ddl, workload)[2]
    issues = design.collection("issues")
    copied = {r.to_collection + ":" + r.path: r.copied_fields for r in issues.references if r.copied_fields}
    assert copied["users:tenant_id,reporter_id"] == ("reporter.email",)
    assert copied["users:tenant_id,assignee_id"] == ("assignee.email",)
    assert copied["projects:tenant_id,project_id"] == ("projects.owner_id",)  # one key named like the parent
    owner = next(r for r in design.collection("projects").references if r.to_collection == "users")
    assert owner.copied_fields == ("owner.email",)  # one key, but its name says more than "users"


def test_a_role_named_like_a_column_of_the_child_is_made_unique() -> None:
    ddl = AIRLINE.replace("number VARCHAR(8) NOT NULL", "number VARCHAR(8) NOT NULL, origin VARCHAR(10)")
    design = design_for(ddl, {"version": 1, "access_patterns": [WITH_BOTH]})[2]
    origin = next(r for r in design.collection("flights").references if r.relationship == "fk_flights_origin_id")
    assert origin.copied_fields == ("origin_airports.code", "origin_airports.city")
    d = next(x for x in design.decisions if x.subject == "fk_flights_origin_id")
    assert "at flights.origin_airports " in d.reason


def test_a_filter_on_both_roles_names_both_copies_and_an_esr_index_covers_them() -> None:
    """Regression: Q1 rendered {"city": ...} once, with no index ("airports.city is in another collection")."""
    design = _airline(BY_CITIES, AIRPORT_UPDATE)
    q1 = _plan(design, "Q1")
    assert q1.query["filter"] == {
        "origin.city": "<origin.city>",
        "dest.city": "<dest.city>",
        "departs": {"$gte": "<departs from>", "$lt": "<departs to>"},
    }
    assert q1.query["sort"] == {"departs": 1} and "another collection" not in q1.note
    assert q1.index is not None and q1.index["keys"] == {"origin.city": 1, "dest.city": 1, "departs": 1}
    for subject, role in (("fk_flights_origin_id", "origin"), ("fk_flights_dest_id", "dest")):
        d = next(x for x in design.decisions if x.subject == subject)
        # only the filtered field is copied: no read wants the whole airport
        assert (d.choice, d.rule) == ("extended-reference", "extended-reference-filtered-on-parent")
        assert dict(d.numbers)["copied_fields"] == "city" and "Q1 filters flights on airports.city" in d.reason
        ref = next(r for r in design.collection("flights").references if r.relationship == subject)
        assert ref.copied_fields == (f"{role}.city",)


def test_updates_of_the_parent_list_every_copy_they_must_update() -> None:
    design = _airline(BY_CITIES, AIRPORT_UPDATE)
    u1 = _plan(design, "U1")
    also = {a["copy"]: a for a in u1.query["also_update"]}
    assert set(also) == {"origin", "dest"}
    assert also["origin"]["collection"] == "flights" and also["origin"]["operation"] == "updateMany"
    assert also["origin"]["filter"] == {"origin_id": "<airport_id>"}
    assert also["dest"]["update"] == {"$set": {"dest.city": "<city>"}}
    assert "flights.origin, flights.dest" in u1.note


def test_copies_inside_an_embedded_array_are_updated_through_array_filters() -> None:
    ddl = """
    CREATE TABLE products (product_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
    CREATE TABLE orders (order_id bigint PRIMARY KEY);
    CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (order_id), line_no integer NOT NULL,
      product_id bigint NOT NULL REFERENCES products (product_id), PRIMARY KEY (order_id, line_no));
    """
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "orders", "with": ["order_lines.products"], "equality": ["order_id"], "rate": 9},
            {"id": "U1", "entity": "products", "kind": "update", "equality": ["product_id"], "rate": 1},
        ],
        "statistics": {"relationships": {"order_lines.order_id": {"avg": 3, "p99": 8, "max": 20}}},
    }
    design = design_for(ddl, workload)[2]
    (also,) = _plan(design, "U1").query["also_update"]
    assert also["collection"] == "orders" and also["filter"] == {"order_lines.product_id": "<product_id>"}
    assert also["update"] == {"$set": {"order_lines.$[holder].products.name": "<name>"}}
    assert also["arrayFilters"] == [{"holder.product_id": "<product_id>"}]


def test_two_roles_read_without_copies_get_a_lookup_each() -> None:
    """Regression: both roles' `$lookup` stages were `as: "airports"`, so the second path read the first's."""
    often = {**AIRPORT_UPDATE, "rate": 1000}
    design = _airline(WITH_BOTH, often)
    assert not [r for r in design.collection("flights").references if r.copied_fields]
    lookups = _plan(design, "Q2").query["lookup"]
    assert [(s["localField"], s["as"]) for s in lookups] == [("origin_id", "origin"), ("dest_id", "dest")]
    got = answer(design, _stored(design), "Q2")
    assert got[(10,)] == (frozenset({(1,)}), frozenset({(2,)}))
    assert got[(11,)] == (frozenset({(2,)}), frozenset({(1,)}))


@pytest.mark.parametrize("updates", [1, 1000], ids=["copied-whole", "copied-for-the-filter-only"])
def test_documents_answer_two_role_patterns_and_give_the_rows_back(updates: int) -> None:
    design = _airline(BY_CITIES, WITH_BOTH, {**AIRPORT_UPDATE, "rate": updates})
    stored = _stored(design)
    by_id = {d["_id"]: d for d in stored["flights"]}
    assert by_id[10]["origin"]["city"] == "Oslo" and by_id[10]["dest"]["city"] == "Bergen"
    back = documents_to_rows(design, stored)
    assert back["flights"] == ROWS["flights"] and back["airports"] == ROWS["airports"]
    q1 = next(p for p in design.patterns if p.id == "Q1")
    origin_city, dest_city = q1.equality
    oslo_to_bergen = answer(design, stored, "Q1", {origin_city: "Oslo", dest_city: "Bergen"})
    assert set(oslo_to_bergen) == {(10,)}
    from_oslo = answer(design, stored, "Q1", {origin_city: "Oslo"})
    assert set(from_oslo) == {(10,), (12,)}
    assert answer(design, stored, "Q2")[(12,)] == (frozenset({(1,)}), frozenset({(3,)}))


def test_an_airport_with_its_departures_and_arrivals_reads_each_role_along_its_own_key() -> None:
    """Down two roles: flights embedded along one foreign key must not answer the other one's path."""
    workload = {
        "version": 1,
        "access_patterns": [
            {
                "id": "A1",
                "entity": "airports",
                "with": ["flights(origin_id)", "flights(dest_id)"],
                "equality": ["airport_id"],
                "rate": 100,
            },
            {"id": "A2", "entity": "airports", "with": ["flights(origin_id)"], "rate": 100},
        ],
        "statistics": {
            "relationships": {
                "flights.origin_id": {"avg": 2, "p99": 5, "max": 9},
                "flights.dest_id": {"avg": 2, "p99": 5, "max": 9},
            }
        },
    }
    design = design_for(AIRLINE, workload)[2]
    embedded = [d.subject for d in design.decisions if d.choice == "embed-array"]
    assert embedded == ["fk_flights_origin_id"]  # one parent each: the other role is a reference
    stored = _stored(design)
    got = answer(design, stored, "A1")
    assert got[(1,)] == (frozenset({(10,), (12,)}), frozenset({(11,)}))
    assert got[(2,)] == (frozenset({(11,)}), frozenset({(10,)}))
    assert got[(3,)] == (frozenset(), frozenset({(12,)}))
