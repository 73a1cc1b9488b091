"""Issue 12: identifiers read from DDL or a live database stay inert in every CQL the target renders.

For generated schemas whose entity and attribute names hold newlines, quotes, `*/`, `--`, `//`, backslashes,
`${`, `;` and the Unicode line separators, the rendered script is split and parsed with cqlsh's own grammar
(cqlshlib) and must be exactly the intended statements: one CREATE KEYSPACE, one CREATE TYPE per UDT and one
CREATE TABLE per table, each parsing whole; every read query must be one statement that parses; the human
output must keep one line per item (no name starts a line of its own).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cassandra.cqlcheck import CqlRuleSet, bind_literals, statement_failures
from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.targets.cassandra import TARGET
from translator.targets.cassandra.cqltext import comment, identifier
from translator.types import CanonicalType
from translator.workload.defaults import default_workload
from translator.workload.model import AccessPattern, AttributeRef, OrderTerm, Workload

HOSTILE = [
    "\n",
    "\r\n",
    "'",
    '"',
    "*/",
    "/*",
    "--",
    "//",
    "\\",
    "${",
    ";",
    "\u2028",
    "\u2029",
    "\x00",
    " ",
    "?",
    "DROP KEYSPACE x;",
    "é",
]
names = st.lists(st.sampled_from(HOSTILE) | st.text("abcXYZ_09", min_size=1, max_size=3), min_size=1, max_size=4).map(
    "".join
)


@st.composite
def hostile_schemas(draw):
    parent_name, child_name = draw(st.lists(names, min_size=2, max_size=2, unique_by=str.lower))
    parent_attrs = draw(st.lists(names, min_size=2, max_size=2, unique_by=str.lower))
    child_attrs = draw(st.lists(names, min_size=2, max_size=2, unique_by=str.lower))
    big = CanonicalType.of("integer", bits=64)
    text = CanonicalType.of("string", length=20)
    parent = Entity(
        parent_name,
        (Attribute(parent_attrs[0], big), Attribute(parent_attrs[1], text, nullable=True)),
        primary_key=(parent_attrs[0],),
    )
    child = Entity(
        child_name, (Attribute(child_attrs[0], big), Attribute(child_attrs[1], big)), primary_key=(child_attrs[0],)
    )
    fk = Relationship(
        draw(names), child_name, (child_attrs[1],), parent_name, (parent_attrs[0],), Cardinality.MANY_TO_ONE, False
    )
    return Schema((parent, child), (fk,))


def _statement_heads(text: str) -> list[str]:
    statements, incomplete = CqlRuleSet.cql_split_statements(text)
    assert not incomplete, "the script ends inside a statement"
    return [" ".join(t[1].upper() for t in tokens[:2]) for tokens in statements if tokens]


@settings(max_examples=25)
@given(hostile_schemas())
def test_hostile_identifiers_stay_inert_in_cql(schema):
    parent, child = schema.entities
    fk = schema.relationships[0]
    extra = (
        AccessPattern(
            "Q\n'--", parent.key, with_=(child.key,), equality=(AttributeRef(parent.key, parent.primary_key[0]),)
        ),
        AccessPattern(
            "R*/",
            child.key,
            with_=(parent.key,),
            equality=(AttributeRef(child.key, fk.from_attributes[0]),),
            order_by=(OrderTerm(AttributeRef(parent.key, parent.attributes[1].name)),),
        ),
    )
    workload = default_workload(schema)
    design = TARGET.design(schema, Workload(workload.access_patterns + extra), keyspace="ks")
    cql = TARGET.render(design, "cql")
    intended = ["CREATE KEYSPACE"] + ["CREATE TYPE"] * len(design.udts) + ["CREATE TABLE"] * len(design.tables)
    assert _statement_heads(cql) == intended
    assert statement_failures(cql) == []
    for read in design.reads:
        assert statement_failures(bind_literals(read.query)) == []
        heads = _statement_heads(bind_literals(read.query))
        assert len(heads) == 1 and heads[0].startswith("SELECT ")
    human = TARGET.render(design, "human")
    assert not any(line.startswith(("DROP", "'", '"', ";")) for line in human.splitlines())
    assert "\u2028" not in human and "\u2029" not in human and "\x00" not in human


@settings(max_examples=50)
@given(st.text())
def test_comment_is_one_line_and_identifier_round_trips(text):
    assert "\n" not in comment(text) and "\r" not in comment(text) and len(comment(text).splitlines()) == 1
    quoted = identifier(text)
    if quoted.startswith('"'):
        assert quoted[1:-1].replace('""', '"') == text
