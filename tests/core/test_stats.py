"""StatsView: given statistics win, documented defaults fill the gaps and say they were assumed."""

from __future__ import annotations

from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.types import CanonicalType, TypeKind
from translator.workload.model import AttributeStats, EntityStats, RelationshipStats, Statistics
from translator.workload.stats import DEFAULT_FANOUT, DEFAULT_ROWS, StatsView, estimate_value_bytes

BIG = CanonicalType(TypeKind.INTEGER, bits=64)


def _schema() -> Schema:
    def ent(name, cols, pk):
        return Entity(name, tuple(Attribute(c, BIG, nullable=False) for c in cols), primary_key=pk)

    issues = ent("issues", ["tenant_id", "issue_id"], ("tenant_id", "issue_id"))
    users = ent("users", ["tenant_id", "user_id"], ("tenant_id", "user_id"))
    comments = ent("comments", ["tenant_id", "comment_id", "issue_id", "author_id"], ("tenant_id", "comment_id"))
    rels = (
        Relationship("c_issue", "comments", ("tenant_id", "issue_id"), "issues", ("tenant_id", "issue_id")),
        Relationship("c_author", "comments", ("tenant_id", "author_id"), "users", ("tenant_id", "user_id")),
    )
    return Schema((issues, users, comments), rels)


def test_defaults_are_marked_assumed():
    schema = _schema()
    view = StatsView(schema, Statistics())
    stats = view.entity("comments")
    assert stats.assumed and stats.rows == DEFAULT_ROWS
    assert stats.avg_row_bytes == 4 * estimate_value_bytes(BIG)
    assert view.fanout(schema.relationships[0]) == DEFAULT_FANOUT and DEFAULT_FANOUT.assumed


def test_composite_foreign_key_statistics_are_found_by_the_distinguishing_attribute():
    schema = _schema()
    given = RelationshipStats(avg=4, p99=40, max=2000)
    other = RelationshipStats(avg=100, p99=900, max=9000)
    view = StatsView(schema, Statistics(relationships={"comments.issue_id": given, "comments.author_id": other}))
    assert view.fanout(schema.relationships[0]) == given
    assert view.fanout(schema.relationships[1]) == other


def test_one_to_one_fanout_is_known_not_assumed():
    schema = _schema()
    rel = Relationship(
        "x",
        "comments",
        ("tenant_id", "comment_id"),
        "issues",
        ("tenant_id", "issue_id"),
        cardinality=Cardinality.ONE_TO_ONE,
    )
    fan = StatsView(schema, Statistics()).fanout(rel)
    assert (fan.avg, fan.max, fan.assumed) == (1.0, 1.0, False)


def test_given_entity_and_attribute_statistics_are_used():
    schema = _schema()
    stats = Statistics(
        entities={"issues": EntityStats(rows=5e7, avg_row_bytes=900)},
        attributes={"issues.tenant_id": AttributeStats(distinct=1e4, most_common=((1, 0.08),))},
    )
    view = StatsView(schema, stats)
    assert view.entity("issues").rows == 5e7 and not view.entity("issues").assumed
    assert view.attribute("issues", "tenant_id").distinct == 1e4
    # A unique attribute's distinct count follows from the row count.
    assert StatsView(schema, Statistics()).attribute("users", "tenant_id").distinct is None


def test_string_sizes_follow_declared_length():
    assert estimate_value_bytes(CanonicalType(TypeKind.STRING, length=10, fixed=True)) == 10
    assert estimate_value_bytes(CanonicalType(TypeKind.STRING, length=100)) == 50
    assert estimate_value_bytes(CanonicalType(TypeKind.STRING)) == 64


def test_a_siblings_statistics_are_not_borrowed_through_a_shared_attribute():
    schema = _schema()
    view = StatsView(schema, Statistics(relationships={"comments.tenant_id": RelationshipStats(avg=9, max=99)}))
    assert view.fanout(schema.relationships[0]) == DEFAULT_FANOUT
