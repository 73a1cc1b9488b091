"""Property (issue 11): for generated schemas and patterns across relationships (equality on a parent's
attribute, a parent with its children, a child with its parent or with every parent it references (two
roles of one parent among them), parents filtered on a child's attribute, every item of an entity) and
generated rows, every pattern the design serves returns exactly what SQLite returns for the equivalent join, and
every update replays its copy maintenance (on the session's moto server)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.dynamodb.schema_builders import in_dynamodb_range
from translator.strategies import rows_for, schemas
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.verify import verify_design
from translator.workload.model import AccessPattern, AttributeRef, Direction, Hop, OrderTerm, PatternKind, Workload

_KINDS = ["by-parent-attribute", "parent-with-children", "child-with-parent", "by-child-attribute", "all-parents"]


@st.composite
def _path_patterns(draw, schema):
    rels = [r for r in schema.relationships if not r.is_self_reference]
    patterns: list[AccessPattern] = []
    for i, rel in enumerate(rels):
        child, parent = schema.entity(rel.from_entity), schema.entity(rel.to_entity)
        up = Hop(child.key, parent.key, (rel.name,), False)
        down = Hop(parent.key, child.key, (rel.name,), True)
        kind = draw(st.sampled_from(_KINDS))
        rate = draw(st.sampled_from([1.0, 5.0, 50.0]))
        if kind == "by-parent-attribute":
            column = draw(st.sampled_from(parent.attribute_names))
            patterns.append(
                AccessPattern(f"p{i}", child.key, rate=rate, equality=(AttributeRef(parent.key, column, (up,)),))
            )
        elif kind == "parent-with-children" and parent.primary_key:
            patterns.append(
                AccessPattern(
                    f"p{i}",
                    parent.key,
                    with_=(child.key,),
                    paths=((down,),),
                    rate=rate,
                    equality=tuple(AttributeRef(parent.key, c) for c in parent.primary_key),
                )
            )
        elif kind == "child-with-parent":
            patterns.append(
                AccessPattern(
                    f"p{i}",
                    child.key,
                    with_=(parent.key,),
                    paths=((up,),),
                    rate=rate,
                    equality=tuple(AttributeRef(child.key, c) for c in rel.from_attributes),
                )
            )
        elif kind == "by-child-attribute":  # parents having such a child: a GSI over the children's items
            column = draw(st.sampled_from(child.attribute_names))
            returned = draw(st.booleans())  # the children too: a second request, which verify must fail
            patterns.append(
                AccessPattern(
                    f"p{i}",
                    parent.key,
                    rate=rate,
                    with_=(child.key,) if returned else (),
                    paths=((down,),) if returned else (),
                    equality=(AttributeRef(child.key, column, (down,)),),
                )
            )
        elif kind == "all-parents":  # a child with every parent it references: two roles of one parent may occur
            ups = [r for r in schema.relationships_from(child.key) if not r.is_self_reference]
            patterns.append(
                AccessPattern(
                    f"p{i}",
                    child.key,
                    with_=tuple(r.to_entity for r in ups),
                    paths=tuple((Hop(child.key, r.to_entity, (r.name,), False),) for r in ups),
                    rate=rate,
                    equality=tuple(AttributeRef(child.key, c) for c in rel.from_attributes),
                )
            )
        if draw(st.booleans()):
            patterns.append(
                AccessPattern(
                    f"u{i}",
                    parent.key,
                    PatternKind.UPDATE,
                    rate=1.0,
                    equality=tuple(AttributeRef(parent.key, c) for c in parent.primary_key),
                )
            )
    entity = draw(st.sampled_from(schema.entities))
    column = draw(st.sampled_from(entity.attribute_names))
    direction = draw(st.sampled_from(list(Direction)))
    patterns.append(
        AccessPattern("every", entity.key, order_by=(OrderTerm(AttributeRef(entity.key, column), direction),))
    )
    return Workload(tuple(p for p in patterns if p.kind is PatternKind.READ or p.equality))


@st.composite
def _case(draw):
    schema = draw(schemas(max_entities=3))
    assume(any(not r.is_self_reference for r in schema.relationships))
    workload = draw(_path_patterns(schema))
    rows = draw(rows_for(schema, min_rows=1, max_rows=5))
    return schema, workload, rows


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(case=_case())
def test_patterns_across_relationships_agree_with_sql(ddb, case):
    schema, workload, rows = case
    assume(in_dynamodb_range(rows))
    design = TARGET.design(schema, workload)
    report = verify_design(schema, workload, design, rows, ddb, checks_per_pattern=3)
    unserved = {p.id for p in design.access_patterns if not p.served}
    assert all(r.status != "fail" for r in report.results if r.id not in unserved), [
        r for r in report.results if r.status == "fail"
    ]
    assert all(r.status == "fail" for r in report.results if r.id in unserved)
