"""Opt-in relationship inference: the documented rules, never on by default, never duplicating a real FK."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from translator.ingest import ingest_text
from translator.ir import Cardinality

MEDIAWIKI = """
CREATE TABLE page (page_id int unsigned NOT NULL PRIMARY KEY, page_title varbinary(255) NOT NULL);
CREATE TABLE actor (actor_id bigint unsigned NOT NULL PRIMARY KEY, actor_name varbinary(255) NOT NULL);
CREATE TABLE revision (rev_id int unsigned NOT NULL PRIMARY KEY, rev_page int unsigned NOT NULL,
                       rev_actor bigint unsigned NOT NULL, rev_comment varbinary(767));
"""


def rules(schema):
    return sorted(r.rule for r in schema.relationships if r.inferred)


def test_off_by_default():
    assert ingest_text(MEDIAWIKI, "mysql").relationships == ()


def test_mediawiki_prefix_rule():
    schema = ingest_text(MEDIAWIKI, "mysql", infer_relationships=True)
    assert rules(schema) == ["prefix: rev_actor -> actor.actor_id", "prefix: rev_page -> page.page_id"]
    page = next(r for r in schema.relationships if r.to_entity == "page")
    assert page.inferred and not page.optional and page.cardinality is Cardinality.MANY_TO_ONE


def test_name_id_rule_plural_and_singular_tables():
    schema = ingest_text(
        """
        CREATE TABLE customers (id int PRIMARY KEY);
        CREATE TABLE category (category_id int PRIMARY KEY);
        CREATE TABLE orders (id int PRIMARY KEY, customer_id int, category_id int NOT NULL, note_id int);""",
        "postgres",
        infer_relationships=True,
    )
    assert rules(schema) == ["name_id: category_id -> category.category_id", "name_id: customer_id -> customers.id"]


def test_type_mismatch_and_declared_fks_are_not_proposed():
    schema = ingest_text(
        """
        CREATE TABLE customers (id int PRIMARY KEY);
        CREATE TABLE users (id int PRIMARY KEY);
        CREATE TABLE orders (id int PRIMARY KEY, customer_id varchar(10), user_id int REFERENCES users(id));""",
        "postgres",
        infer_relationships=True,
    )
    assert [r.inferred for r in schema.relationships] == [False]


names = st.sampled_from(["customer", "order", "item", "user", "page", "tag"])


@given(
    st.lists(names, min_size=1, max_size=5, unique=True), st.lists(st.tuples(names, names), max_size=6), st.booleans()
)
def test_inferred_relationships_are_well_formed(tables, links, declare):
    """Invariant: every inferred relationship joins existing attributes of compatible types, is flagged with a
    rule, and no column gets both a declared and an inferred relationship."""
    columns = {t: [f"{t}_id int PRIMARY KEY"] for t in tables}
    for child, parent in links:
        if child in columns and parent in columns and child != parent:
            reference = f" REFERENCES {parent}({parent}_id)" if declare else ""
            column = f"{parent}_id int{reference}"
            if column.split()[0] not in [c.split()[0] for c in columns[child]]:
                columns[child].append(column)
    ddl = "\n".join(f"CREATE TABLE {t} ({', '.join(cols)});" for t, cols in columns.items())
    schema = ingest_text(ddl, "postgres", infer_relationships=True)
    seen = set()
    for relationship in schema.relationships:
        key = (relationship.from_entity, relationship.from_attributes)
        assert key not in seen
        seen.add(key)
        child, parent = schema.entity(relationship.from_entity), schema.entity(relationship.to_entity)
        for a, b in zip(relationship.from_attributes, relationship.to_attributes, strict=False):
            assert child.attribute(a).type.kind == parent.attribute(b).type.kind
        assert relationship.inferred == (relationship.rule is not None)
        assert relationship.inferred != declare
