"""Regression (issue 12, a hypothesis finding): children's names that collide must not lose a child's rows.

Two child attributes whose names differ only by case become the same CQL name once folded; the UDT fields
(and clustering columns) are now claimed in one namespace, so each keeps its own field and every child row
survives the round trip through the tables, as SQL sees it.
"""

from __future__ import annotations

from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.targets.cassandra import TARGET, rows_to_tables
from translator.targets.cassandra.rows import QueryParams, check_pattern
from translator.types import CanonicalType
from translator.workload.model import AccessPattern, AttributeRef, Workload

INT = CanonicalType.of("integer", bits=64)


def test_children_with_case_colliding_names_keep_their_rows():
    parent = Entity("p", (Attribute("id", INT),), primary_key=("id",))
    child = Entity("c", (Attribute("Id", INT), Attribute("id", INT), Attribute("p_id", INT)), primary_key=("Id", "id"))
    schema = Schema((parent, child), (Relationship("c_p", "c", ("p_id",), "p", ("id",), Cardinality.MANY_TO_ONE,
                                                   False),))
    pattern = AccessPattern("q", "p", with_=("c",), equality=(AttributeRef("p", "id"),))
    design = TARGET.design(schema, Workload((pattern,)))
    for udt in design.udts:
        assert len({f.name for f in udt.fields}) == len(udt.fields)
    rows = {"p": [{"id": 1}], "c": [{"Id": 1, "id": 1, "p_id": 1}, {"Id": 1, "id": 2, "p_id": 1},
                                     {"Id": 2, "id": 1, "p_id": 1}]}
    result = check_pattern(design, schema, rows, rows_to_tables(design, schema, rows), pattern, QueryParams({"id": 1}))
    assert result.ok, result
    assert len(dict(result.cql[0][1])["c"]) == 3
