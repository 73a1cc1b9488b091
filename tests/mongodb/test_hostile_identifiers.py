"""Issue 12: identifiers from DDL or a live database never become code in the mongosh script.

Property: for generated hostile table and column names, the rendered script parses with a real
JavaScript grammar (esprima), its top-level statements are exactly the intended calls (count, callee,
and every argument decoded back from the literal), the collection names decode back to the
identifiers, and no comment spills onto a code line.
"""

from __future__ import annotations

import json
from typing import Any

import esprima
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.ir import Attribute, Entity, Relationship, Schema
from translator.targets.mongodb import TARGET
from translator.targets.mongodb.js import JsConstant, js_comment, js_value
from translator.targets.mongodb.mongosh import comments, statements
from translator.tenancy import Tenancy, TenantColumn
from translator.types import CanonicalType, TypeKind
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    AttributeStats,
    PatternKind,
    RelationshipStats,
    Statistics,
    Workload,
)

HOSTILE = [
    "$",
    "\x00",
    "\n",
    "\r\n",
    '"',
    "'",
    "*/",
    "/*",
    "--",
    "//",
    "\\",
    "${",
    "`",
    "\u2028",
    "\u2029",
    '"); db.dropDatabase(); //',
    "\n db.dropDatabase();",
    "</script>",
    "x",
    "ab",
    " ",
    "é",
]
# "." is left out only because it separates the statistics' "child.fk" keys, and this test wants the child
# embedded; a "." in a column name has its own test below.
hostile = (
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=3), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda s: s.strip() != "" and "." not in s)
)


def _collection_name(name: str) -> str:
    """What MongoDB can hold (documented replacement, with a diagnostic): "$" and NUL become "_"."""
    return name.replace("$", "_").replace("\x00", "_")


INT = CanonicalType(TypeKind.INTEGER, bits=64)
TEXT = CanonicalType(TypeKind.STRING, length=50)


def _schema(names: list[str]) -> tuple[Schema, Workload]:
    parent, child, other, pk, fk, note, other_pk, other_fk = names
    schema = Schema(
        entities=(
            Entity(parent, (Attribute(pk, INT, nullable=False), Attribute(note, TEXT)), primary_key=(pk,)),
            Entity(
                child,
                (
                    Attribute(pk, INT, nullable=False),
                    Attribute(fk, INT, nullable=False),
                    Attribute(other_fk, INT),
                    Attribute(note, TEXT),
                ),
                primary_key=(pk,),
            ),
            Entity(
                other,
                (Attribute(other_pk, INT, nullable=False), Attribute(note, TEXT, nullable=False)),
                primary_key=(other_pk,),
            ),
        ),
        relationships=(
            Relationship("fk one", child, (fk,), parent, (pk,), optional=False),
            Relationship("fk\ntwo", child, (other_fk,), other, (other_pk,)),
        ),
    )
    workload = Workload(
        (
            AccessPattern("R1", parent, with_=(child,), equality=(AttributeRef(parent, pk),), rate=100),
            AccessPattern("R2", other, equality=(AttributeRef(other, note),), rate=10),
            AccessPattern("W1", child, kind=PatternKind.WRITE, rate=5),
        ),
        Statistics(
            relationships={f"{child}.{fk}": RelationshipStats(avg=2, p99=4, max=5)},
            attributes={f"{other}.{note}": AttributeStats(distinct=100, most_common=((names[3], 0.5),))},
        ),
    )
    return schema, workload


def _decode(node: Any) -> Any:
    """A literal's AST (esprima) back to the Python value it spells."""
    kind = node.type
    if kind == "ObjectExpression":
        out = {}
        for prop in node.properties:
            assert prop.type == "Property" and not prop.computed and prop.kind == "init", prop
            key = prop.key.value if prop.key.type == "Literal" else prop.key.name
            out[key] = _decode(prop.value)
        return out
    if kind == "ArrayExpression":
        return [_decode(e) for e in node.elements]
    if kind == "Literal":
        return node.value
    if kind == "Identifier" and node.name in ("MinKey", "MaxKey"):  # the only bare names the script may hold
        return JsConstant(node.name)
    if kind == "UnaryExpression" and node.operator == "-":
        return -_decode(node.argument)
    raise AssertionError(f"not a literal: {kind}")


def _callee(node: Any) -> str:
    if node.type == "Identifier":
        return node.name
    assert node.type == "MemberExpression" and not node.computed, node
    return f"{_callee(node.object)}.{node.property.name}"


def _same(a: Any, b: Any) -> bool:
    # esprima reads every number as a float; compare through JSON's view of both.
    return json.loads(json.dumps(a, default=str)) == json.loads(json.dumps(b, default=str))


@settings(max_examples=40, deadline=None)
@given(names=st.lists(hostile, min_size=8, max_size=8, unique_by=lambda s: s.casefold()))
def test_mongosh_script_is_exactly_the_intended_statements(names: list[str]) -> None:
    schema, workload = _schema(names)
    # `other` is tenant-scoped by its hostile `note` column, and one tenant (a hostile string) is a whale:
    # the script then also holds the zone commands, with the tenant value and MinKey/MaxKey in their ranges.
    tenancy = Tenancy((TenantColumn(names[2], names[5], "policy", (names[6],)),))
    design = TARGET.build(
        schema, workload, tenancy, uuid_representation="binData", shard_collections=True, database="polyschema"
    )
    assert design.isolation.zones and design.isolation.zones[0].tenant == names[3]
    intended = statements(design)
    script = TARGET.render(design, "mongosh")
    program = esprima.parseScript(script, {"comment": True})
    assert len(program.body) == len(intended)
    for node, call in zip(program.body, intended, strict=False):
        assert node.type == "ExpressionStatement"
        expression = node.expression
        if call.assign is not None:
            assert expression.type == "AssignmentExpression" and expression.left.name == call.assign
            expression = expression.right
        assert expression.type == "CallExpression" and _callee(expression.callee) == call.callee
        assert _same([_decode(a) for a in expression.arguments], list(call.args))
    # every comment is one whole line of its own, one per commented call
    assert len(program.comments) == sum(1 for c in intended if c.comment) + len(comments(design))
    assert [c.value for c in program.comments[-len(comments(design)) :]] == [
        " " + text.replace("\n", "\\n").replace("\r", "\\r").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        for text in comments(design)
    ]
    assert all(c.type == "Line" for c in program.comments)
    created = [
        _decode(n.expression.arguments[0])["create"]
        for n in program.body
        if n.expression.type == "CallExpression" and "create" in _decode(n.expression.arguments[0])
    ]
    assert sorted(created) == sorted(c.name for c in design.collections)
    # the child is embedded; the roots keep their source names, but for what MongoDB cannot hold
    assert set(created) == {_collection_name(names[0]), _collection_name(names[2])}
    renamed = {d.subject for d in design.diagnostics if d.code == "mongodb-collection-renamed"}
    assert renamed == {n for n in (names[0], names[2]) if _collection_name(n) != n}
    assert design.collection(_collection_name(names[0])).embedded[0].entity == names[1]


def test_helpers_escape_the_javascript_line_terminators() -> None:
    for text in ("a\u2028b", "a\nb", "a\rb", "a\u2029b"):
        assert esprima.parseScript(f"x = {js_value(text)};").body[0].expression.right.value == text
        program = esprima.parseScript(js_comment("c " + text + " db.dropDatabase();") + "\n", {"comment": True})
        assert program.body == [] and len(program.comments) == 1


def test_a_column_name_mongodb_cannot_hold_is_replaced_with_a_diagnostic() -> None:
    schema = Schema(
        entities=(
            Entity(
                "t",
                (
                    Attribute("id", INT, nullable=False),
                    Attribute("a.b", TEXT),
                    Attribute("$c", TEXT),
                    Attribute("d\x00e", TEXT),
                ),
                primary_key=("id",),
            ),
        )
    )
    design = TARGET.design(schema, Workload((AccessPattern("R", "t", equality=(AttributeRef("t", "id"),)),)))
    assert dict(design.collection("t").fields) == {"id": "_id", "a.b": "a_b", "$c": "_c", "d\x00e": "d_e"}
    note = next(d for d in design.diagnostics if d.code == "mongodb-field-renamed")
    assert "a.b" in note.message and "a_b" in note.message
    esprima.parseScript(TARGET.render(design, "mongosh"))
