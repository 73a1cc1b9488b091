"""The IR's own rules: cardinality derivation, many-to-many view, name resolution, JSON round trip."""

from __future__ import annotations

import pytest

from translator.ir import Attribute, Cardinality, Entity, Index, Relationship, Schema, derive_cardinality
from translator.types import CanonicalType, TypeKind

INT = CanonicalType(TypeKind.INTEGER, bits=64, source="bigint")
TEXT = CanonicalType(TypeKind.STRING, length=100, source="varchar(100)")


def entity(name, *columns, pk=(), unique=(), namespace=None, indexes=()):
    return Entity(
        name=name,
        attributes=tuple(Attribute(c, INT if c.endswith("id") else TEXT, nullable=c not in pk) for c in columns),
        namespace=namespace,
        primary_key=tuple(pk),
        unique_keys=tuple(tuple(u) for u in unique),
        indexes=tuple(indexes),
    )


def test_fk_on_whole_primary_key_is_one_to_one():
    child = entity("profile", "user_id", "bio", pk=["user_id"])
    assert derive_cardinality(child, ["user_id"]) is Cardinality.ONE_TO_ONE


def test_fk_on_part_of_composite_key_is_many_to_one():
    child = entity("order_items", "order_id", "line_id", pk=["order_id", "line_id"])
    assert derive_cardinality(child, ["order_id"]) is Cardinality.MANY_TO_ONE


def test_fk_covered_by_unique_key_or_unique_index_is_one_to_one():
    by_key = entity("payments", "payment_id", "order_id", pk=["payment_id"], unique=[["order_id"]])
    by_index = entity(
        "payments",
        "payment_id",
        "order_id",
        pk=["payment_id"],
        indexes=[Index("payments_order", ("order_id",), unique=True)],
    )
    partial = entity(
        "payments",
        "payment_id",
        "order_id",
        pk=["payment_id"],
        indexes=[Index("p", ("order_id",), unique=True, predicate="paid")],
    )
    assert derive_cardinality(by_key, ["ORDER_ID"]) is Cardinality.ONE_TO_ONE
    assert derive_cardinality(by_index, ["order_id"]) is Cardinality.ONE_TO_ONE
    # A partial unique index allows duplicates outside its predicate.
    assert derive_cardinality(partial, ["order_id"]) is Cardinality.MANY_TO_ONE


def _people_tasks() -> Schema:
    person = entity("person", "person_id", "name", pk=["person_id"])
    task = entity("task", "task_id", "title", pk=["task_id"])
    junction = entity("person_task", "person_id", "task_id", pk=["person_id", "task_id"])
    rels = (
        Relationship("pt_person", "person_task", ("person_id",), "person", ("person_id",)),
        Relationship("pt_task", "person_task", ("task_id",), "task", ("task_id",)),
    )
    return Schema((person, task, junction), rels)


def test_junction_entities_form_the_many_to_many_view():
    [m2m] = _people_tasks().many_to_many()
    assert m2m.junction == "person_task"
    assert {m2m.left.to_entity, m2m.right.to_entity} == {"person", "task"}


def test_self_reference_is_not_a_junction():
    emp = entity("employee", "employee_id", "manager_id", "dept_id", pk=["employee_id"])
    dept = entity("dept", "dept_id", pk=["dept_id"])
    rels = (
        Relationship("mgr", "employee", ("manager_id",), "employee", ("employee_id",)),
        Relationship("dept", "employee", ("dept_id",), "dept", ("dept_id",)),
    )
    schema = Schema((emp, dept), rels)
    assert schema.many_to_many() == ()
    assert rels[0].is_self_reference


def test_entity_lookup_by_key_bare_name_and_case():
    schema = Schema((entity("Actor", "actor_id", pk=["actor_id"], namespace="public"),))
    assert schema.entity("public.Actor").name == "Actor"
    assert schema.entity("actor").key == "public.Actor"
    with pytest.raises(KeyError):
        schema.entity("film")


def test_ambiguous_bare_name_is_refused():
    schema = Schema((entity("t", "id", namespace="a"), entity("t", "id", namespace="b")))
    assert schema.find_entity("t") is None
    assert schema.entity("b.t").namespace == "b"


def test_json_round_trip_keeps_everything():
    schema = _people_tasks()
    assert Schema.from_dict(schema.to_dict()) == schema


def test_array_type_needs_an_element():
    with pytest.raises(ValueError, match="element"):
        CanonicalType(TypeKind.ARRAY)
    assert str(CanonicalType(TypeKind.ARRAY, element=INT)) == "array<integer64>"
