"""Rows -> documents -> BSON -> documents -> rows loses nothing, and every document passes its validator.

No MongoDB server runs here: documents are checked with `jsonschema` plus a `bsonType` keyword
(translator.targets.mongodb.validator) after a real `bson.encode`/`bson.decode` round trip.
"""

from __future__ import annotations

from typing import Any

import bson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.diagnostics import Severity
from translator.strategies import rows_for, schemas, workloads
from translator.targets.mongodb import (
    TARGET,
    DocumentMappingError,
    document_errors,
    documents_to_rows,
    rows_to_documents,
)
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    Direction,
    EntityStats,
    OrderTerm,
    RelationshipStats,
    Statistics,
    Workload,
)


@st.composite
def cases(draw: Any) -> tuple[Any, Any, Any, str]:
    schema = draw(schemas(max_entities=5))
    rows = draw(rows_for(schema, max_rows=6))
    base = draw(workloads(schema))
    extra, fanouts = [], {}
    for i, rel in enumerate(schema.relationships):
        if draw(st.booleans()):  # read parent with child: makes embedding possible
            extra.append(
                AccessPattern(
                    id=f"with{i}", entity=rel.to_entity, with_=(rel.from_entity,), rate=draw(st.floats(1.0, 1000.0))
                )
            )
        if draw(st.booleans()):  # the newest few children of a parent: makes the subset pattern possible
            child = schema.entity(rel.from_entity)
            order = draw(st.sampled_from(child.attribute_names))
            extra.append(
                AccessPattern(
                    id=f"latest{i}",
                    entity=child.key,
                    equality=tuple(AttributeRef(child.key, a) for a in rel.from_attributes),
                    order_by=(OrderTerm(AttributeRef(child.key, order), draw(st.sampled_from(Direction))),),
                    limit=draw(st.integers(1, 4)),
                    rate=draw(st.floats(1.0, 1000.0)),
                )
            )
        if draw(st.booleans()):  # a child read with its parent: makes the extended reference possible
            extra.append(
                AccessPattern(
                    id=f"up{i}", entity=rel.from_entity, with_=(rel.to_entity,), rate=draw(st.floats(1.0, 1000.0))
                )
            )
        top = draw(st.sampled_from([5.0, 50.0, 500.0, 5.0e4, 5.0e7]))
        fanouts[f"{rel.from_entity}.{rel.from_attributes[-1]}"] = RelationshipStats(avg=min(2.0, top), p99=top, max=top)
    for i, upper in enumerate(schema.relationships):  # two-hop reads: nested embedding and copies along paths
        for lower in schema.relationships:
            if lower.to_entity == upper.from_entity and lower != upper and draw(st.booleans()):
                extra.append(
                    AccessPattern(
                        id=f"path{i}",
                        entity=upper.to_entity,
                        with_=(upper.from_entity, lower.from_entity),
                        rate=draw(st.floats(1.0, 1000.0)),
                    )
                )
            if upper.to_entity == lower.from_entity and lower != upper and draw(st.booleans()):
                extra.append(
                    AccessPattern(
                        id=f"up{i}_{lower.name}",
                        entity=upper.from_entity,
                        with_=(upper.to_entity, lower.to_entity),
                        rate=draw(st.floats(1.0, 1000.0)),
                    )
                )
    sizes = {
        e.key: EntityStats(rows=draw(st.sampled_from([100.0, 1.0e6]))) for e in schema.entities
    }  # small ones get copied
    workload = Workload(base.access_patterns + tuple(extra), Statistics(entities=sizes, relationships=fanouts))
    return schema, rows, workload, draw(st.sampled_from(["binData", "string"]))


def _same_multiset(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
    pending = list(right)
    for row in left:
        for i, other in enumerate(pending):
            if other == row:
                del pending[i]
                break
        else:
            return False
    return not pending


@settings(max_examples=60)
@given(cases())
def test_round_trip_is_lossless_and_documents_validate(case: tuple[Any, Any, Any, str]) -> None:
    schema, rows, workload, uuid_rep = case
    design = TARGET.design(schema, workload, uuid_representation=uuid_rep)
    assert not [d for d in design.diagnostics if d.severity is Severity.ERROR]
    assert all(d.rule and d.reason for d in design.decisions)
    documents = rows_to_documents(design, rows)
    validators = {c.name: c.validator for c in design.collections}
    stored = {}
    for name, docs in documents.items():
        stored[name] = [bson.decode(bson.encode(doc)) for doc in docs]  # what a server would hold
        for doc in stored[name]:
            assert document_errors(doc, validators[name]) == [], (name, doc)
    back = documents_to_rows(design, stored)
    for entity in schema.entities:
        assert _same_multiset(rows.get(entity.key, []), back[entity.key]), entity.key


def test_validator_rejects_wrong_bson_types() -> None:
    from tests.mongodb.cases import PRODUCT_PARTS, PRODUCT_PARTS_WORKLOAD, design_for

    _, _, design = design_for(PRODUCT_PARTS, PRODUCT_PARTS_WORKLOAD)
    validator = design.collection("part").validator
    good = rows_to_documents(
        design,
        {
            "product": [{"product_id": 1, "name": "p"}],
            "part": [
                {
                    "part_id": 7,
                    "product_id": 1,
                    "part_no": "A-1",
                    "qty": 3,
                    "cost": __import__("decimal").Decimal("1.50"),
                }
            ],
        },
    )["part"][0]
    assert document_errors(good, validator) == []
    assert any("decimal" in e for e in document_errors({**good, "cost": 1.5}, validator))  # double, not decimal
    assert any("qty" in e for e in document_errors({k: v for k, v in good.items() if k != "qty"}, validator))
    assert any("long" in e for e in document_errors({**good, "_id": "7"}, validator))


def test_embedded_child_without_parent_is_an_error_not_dropped() -> None:
    from tests.mongodb.cases import PERSON_ADDRESSES, PERSON_ADDRESSES_WORKLOAD, design_for

    _, _, design = design_for(PERSON_ADDRESSES, PERSON_ADDRESSES_WORKLOAD)
    rows = {
        "person": [{"person_id": 1, "name": "Ann"}],
        "address": [{"address_id": 9, "person_id": 2, "street": "s", "city": "c"}],
    }
    with pytest.raises(DocumentMappingError, match="1 row\\(s\\) of address"):
        rows_to_documents(design, rows)


def test_embedded_documents_drop_the_implied_foreign_key_and_restore_it() -> None:
    from tests.mongodb.cases import PERSON_ADDRESSES, PERSON_ADDRESSES_WORKLOAD, design_for

    _, _, design = design_for(PERSON_ADDRESSES, PERSON_ADDRESSES_WORKLOAD)
    rows = {
        "person": [{"person_id": 1, "name": "Ann"}],
        "address": [{"address_id": 9, "person_id": 1, "street": "s", "city": "c"}],
    }
    docs = rows_to_documents(design, rows)
    assert docs == {"person": [{"_id": 1, "name": "Ann", "address": [{"address_id": 9, "street": "s", "city": "c"}]}]}
    assert documents_to_rows(design, docs) == rows


def test_junction_column_named_like_the_other_sides_key_keeps_its_own_type() -> None:
    """Regression (issue 12, found by the property above): the junction's own column `id` (text) and the
    other side's key `id` (bigint) shared one field of the array elements, so the round trip decoded
    the junction's text with the bigint's codec."""
    from tests.mongodb.cases import design_for

    ddl = """
    CREATE TABLE a (id bigint PRIMARY KEY);
    CREATE TABLE b (id bigint PRIMARY KEY);
    CREATE TABLE ab (a_id bigint NOT NULL REFERENCES a (id), b_id bigint NOT NULL REFERENCES b (id),
                     id varchar(10) NOT NULL, PRIMARY KEY (a_id, b_id));
    """
    workload = {
        "version": 1,
        "access_patterns": [{"id": "R", "entity": "a", "with": ["b"], "equality": ["id"]}],
        "statistics": {
            "entities": {"a": {"rows": 100}, "b": {"rows": 1.0e6}, "ab": {"rows": 300}},
            "relationships": {"ab.a_id": {"avg": 3, "p99": 5, "max": 8}, "ab.b_id": {"avg": 3, "p99": 5, "max": 8}},
        },
    }
    _, _, design = design_for(ddl, workload)
    assert "a" in {c.name for c in design.collections} and "ab" not in {c.name for c in design.collections}
    rows = {"a": [{"id": 1}], "b": [{"id": 2}], "ab": [{"a_id": 1, "b_id": 2, "id": "own"}]}
    stored = {n: [bson.decode(bson.encode(d)) for d in docs] for n, docs in rows_to_documents(design, rows).items()}
    back = documents_to_rows(design, stored)
    assert back["ab"] == rows["ab"]
