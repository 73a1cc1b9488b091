"""One test per DDL feature ingest must understand (issue 2, point 4), on small hand-written DDL."""

from __future__ import annotations

import pytest

from translator.diagnostics import Severity
from translator.ingest import ingest_text
from translator.ir import Cardinality, ReferentialAction
from translator.types import TypeKind


def ok(text: str, dialect: str = "postgres", **kwargs):
    schema = ingest_text(text, dialect, **kwargs)
    assert not schema.partial, [str(d) for d in schema.diagnostics]
    return schema


def test_inline_and_table_level_keys_and_checks():
    schema = ok("""
        CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE CHECK (code <> ''));
        CREATE TABLE child (
            a int, b int NOT NULL, parent_id int REFERENCES parent(id) ON DELETE CASCADE ON UPDATE SET NULL,
            CONSTRAINT child_pk PRIMARY KEY (a, b),
            CONSTRAINT child_u UNIQUE (b, parent_id),
            CONSTRAINT child_fk FOREIGN KEY (parent_id) REFERENCES parent (id),
            CONSTRAINT child_ck CHECK (a < b));""")
    parent, child = schema.entity("parent"), schema.entity("child")
    assert parent.primary_key == ("id",) and parent.unique_keys == (("code",),)
    assert [c.expression for c in parent.checks] == ["code <> ''"]
    assert child.primary_key == ("a", "b") and child.unique_keys == (("b", "parent_id"),)
    assert [(c.name, c.expression) for c in child.checks] == [("child_ck", "a < b")]
    assert not child.attribute("a").nullable  # primary key columns are NOT NULL
    [relationship] = schema.relationships  # the inline and table-level FK are the same relationship
    assert relationship.on_delete is ReferentialAction.CASCADE and relationship.on_update is ReferentialAction.SET_NULL


def test_column_references_without_columns_resolve_to_the_later_primary_key():
    schema = ok("""
        CREATE TABLE orders (id int PRIMARY KEY, customer int NOT NULL REFERENCES customers);
        CREATE TABLE customers (customer_no int PRIMARY KEY);""")
    [relationship] = schema.relationships
    assert relationship.to_entity == "customers" and relationship.to_attributes == ("customer_no",)
    assert relationship.optional is False and relationship.cardinality is Cardinality.MANY_TO_ONE


@pytest.mark.parametrize(
    "alter",
    [
        "ALTER TABLE ONLY public.b ADD CONSTRAINT b_pk PRIMARY KEY (id)",
        "ALTER TABLE b ADD PRIMARY KEY (id)",
    ],
)
def test_alter_table_adds_primary_key(alter):
    schema = ok(f"CREATE TABLE public.b (id int NOT NULL, x int);\n{alter};")
    assert schema.entity("b").primary_key == ("id",)


def test_alter_table_adds_fk_unique_check():
    schema = ok("""
        CREATE TABLE a (id int PRIMARY KEY);
        CREATE TABLE b (id int PRIMARY KEY, a_id int, code text);
        ALTER TABLE b ADD CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE RESTRICT;
        ALTER TABLE b ADD CONSTRAINT b_code UNIQUE (code);
        ALTER TABLE b ADD CHECK (a_id > 0);""")
    b = schema.entity("b")
    assert b.unique_keys == (("code",),)
    assert [(c.name, c.expression) for c in b.checks] == [(None, "a_id > 0")]
    [relationship] = schema.relationships
    assert relationship.name == "b_a" and relationship.on_delete is ReferentialAction.RESTRICT


def test_tpch_named_foreign_key_without_referenced_columns():
    schema = ok(
        """
        CREATE TABLE TPCD.REGION (R_REGIONKEY INTEGER NOT NULL, R_NAME CHAR(25));
        CREATE TABLE TPCD.NATION (N_NATIONKEY INTEGER NOT NULL, N_REGIONKEY INTEGER NOT NULL);
        ALTER TABLE TPCD.REGION ADD PRIMARY KEY (R_REGIONKEY);
        ALTER TABLE TPCD.NATION ADD FOREIGN KEY NATION_FK1 (N_REGIONKEY) references TPCD.REGION;""",
        dialect=None,
    )
    [relationship] = schema.relationships
    assert relationship.name == "NATION_FK1"
    assert (relationship.to_entity, relationship.to_attributes) == ("TPCD.REGION", ("R_REGIONKEY",))


def test_indexes_unique_and_partial():
    schema = ok("""
        CREATE TABLE t (id int PRIMARY KEY, email text, deleted_at timestamp);
        CREATE UNIQUE INDEX t_email ON t USING btree (email) WHERE (deleted_at IS NULL);
        CREATE INDEX t_lower ON t (lower(email));""")
    unique, expression = schema.entity("t").indexes
    assert (unique.name, unique.columns, unique.unique, unique.predicate, unique.method) == (
        "t_email",
        ("email",),
        True,
        "(deleted_at IS NULL)",
        "btree",
    )
    assert expression.columns == ("LOWER(email)",) and not expression.unique


def test_postgres_enum_type_and_mysql_enum_set():
    pg = ok("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE p (m mood NOT NULL);")
    assert pg.entity("p").attribute("m").type.values == ("sad", "ok", "happy")
    my = ok("CREATE TABLE m (e ENUM('a','b') NOT NULL, s SET('x','y'));", "mysql")
    e, s = my.entity("m").attributes
    assert (e.type.kind, e.type.values) == (TypeKind.ENUM, ("a", "b"))
    assert s.type.kind is TypeKind.ARRAY and s.type.element.values == ("x", "y")


def test_comments_inline_and_comment_on():
    pg = ok("CREATE TABLE public.t (a int);\nCOMMENT ON TABLE public.t IS 'tbl';\nCOMMENT ON COLUMN t.a IS 'col';")
    assert pg.entity("t").comment == "tbl" and pg.entity("t").attribute("a").comment == "col"
    my = ok("CREATE TABLE t (a int COMMENT 'col') COMMENT='tbl';", "mysql")
    assert my.entity("t").comment == "tbl" and my.entity("t").attribute("a").comment == "col"


@pytest.mark.parametrize(
    "dialect,ddl",
    [
        (
            "postgres",
            'CREATE TABLE "Sales"."Order Line" ("Id" int PRIMARY KEY, '
            '"Parent" int REFERENCES sales."order line"("id"));',
        ),
        (
            "mysql",
            "CREATE TABLE `Sales`.`Order Line` (`Id` int PRIMARY KEY, `Parent` int REFERENCES `order line`(`id`));",
        ),
        (
            "tsql",
            "CREATE TABLE [Sales].[Order Line] ([Id] int PRIMARY KEY, [Parent] int REFERENCES [Order Line]([ID]));",
        ),
    ],
)
def test_quoted_and_qualified_names_keep_spelling_and_resolve_case_insensitively(dialect, ddl):
    schema = ok(ddl, dialect)
    [entity] = schema.entities
    assert (entity.namespace, entity.name, entity.attribute_names) == ("Sales", "Order Line", ("Id", "Parent"))
    [relationship] = schema.relationships
    assert relationship.is_self_reference and relationship.to_attributes == ("Id",)


def test_public_schema_and_bare_name_resolve_to_each_other():
    schema = ok("CREATE TABLE public.a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a);")
    assert schema.relationships[0].to_entity == "public.a"


@pytest.mark.parametrize(
    "dialect,ddl",
    [
        ("postgres", "CREATE TABLE t (id serial PRIMARY KEY)"),
        ("postgres", "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)"),
        ("postgres", "CREATE TABLE t (id int DEFAULT nextval('t_id_seq'::regclass) NOT NULL)"),
        ("mysql", "CREATE TABLE t (id int NOT NULL AUTO_INCREMENT PRIMARY KEY)"),
        ("tsql", "CREATE TABLE t (id int IDENTITY(1,1) NOT NULL PRIMARY KEY)"),
        ("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)"),
    ],
)
def test_identity_columns(dialect, ddl):
    assert ok(ddl, dialect).entity("t").attribute("id").identity


def test_defaults_generated_and_partitioning():
    schema = ok("""
        CREATE TABLE t (a int DEFAULT 3, b text DEFAULT 'x', c timestamptz DEFAULT now(),
                        d int GENERATED ALWAYS AS (a * 2) STORED) PARTITION BY RANGE (a);""")
    t = schema.entity("t")
    # defaults are sqlglot's rendering in the source dialect (now() is printed as CURRENT_TIMESTAMP)
    assert [x.default for x in t.attributes[:3]] == ["3", "'x'", "CURRENT_TIMESTAMP"]
    assert t.attribute("d").generated == "a * 2"
    assert t.partition_by == "RANGE(a)"


def test_partition_of_inherits_parent_columns():
    schema = ok(
        "CREATE TABLE p (a int, b text) PARTITION BY LIST (a);\nCREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);"
    )
    assert schema.entity("p1").attribute_names == ("a", "b")


def test_cardinality_optionality_self_reference_and_composite_keys():
    schema = ok("""
        CREATE TABLE person (id int PRIMARY KEY, manager_id int REFERENCES person(id));
        CREATE TABLE passport (person_id int PRIMARY KEY REFERENCES person(id));
        CREATE TABLE pair (x int, y int, PRIMARY KEY (x, y));
        CREATE TABLE pair_note (x int NOT NULL, y int NOT NULL, note text,
                                FOREIGN KEY (x, y) REFERENCES pair (x, y));""")
    by_child = {r.from_entity: r for r in schema.relationships}
    assert by_child["person"].is_self_reference and by_child["person"].optional
    assert by_child["passport"].cardinality is Cardinality.ONE_TO_ONE and not by_child["passport"].optional
    composite = by_child["pair_note"]
    assert composite.from_attributes == ("x", "y") and composite.cardinality is Cardinality.MANY_TO_ONE
    assert not composite.optional


def test_skipped_statements_are_info_diagnostics():
    schema = ok("""
        CREATE TABLE t (id int);
        CREATE VIEW v AS SELECT * FROM t;
        CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
        GRANT SELECT ON t TO someone;
        INSERT INTO t VALUES (1);
        CREATE SEQUENCE s;""")
    skipped = [d for d in schema.diagnostics if d.code == "skipped-statement"]
    assert [d.subject for d in skipped] == ["view", "routine", "grant", "data", "sequence"]
    assert all(d.severity is Severity.INFO for d in skipped)
    assert [d.line for d in skipped] == [3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    "dialect,column,written",
    [
        ("postgres", "a character varying(20) NOT NULL", "character varying(20)"),
        ("postgres", "a timestamp(3) with time zone DEFAULT now()", "timestamp(3) with time zone"),
        ("postgres", "a integer[] CHECK (a IS NOT NULL)", "integer[]"),
        ("mysql", "a int(11) unsigned NOT NULL AUTO_INCREMENT", "int(11) unsigned"),
        ("mysql", "a varchar(20) CHARACTER SET utf8 DEFAULT NULL", "varchar(20)"),
        ("tsql", "[a] [nvarchar](max) NULL", "[nvarchar](max)"),
    ],
)
def test_source_type_is_the_text_as_written(dialect, column, written):
    [attribute] = ok(f"CREATE TABLE t ({column});", dialect).entity("t").attributes
    assert attribute.source_type == written


def test_like_and_inherits_copy_columns():
    my = ok(
        "CREATE TABLE a (id int PRIMARY KEY, code varchar(5), UNIQUE KEY u (code));\nCREATE TABLE b LIKE a;", "mysql"
    )
    b = my.entity("b")
    assert (b.attribute_names, b.primary_key, b.unique_keys) == (("id", "code"), ("id",), (("code",),))
    pg = ok(
        "CREATE TABLE a (id int, name text);\nCREATE TABLE b (x int, LIKE a, y int);\n"
        "CREATE TABLE c (z int) INHERITS (a);",
        "postgres",
    )
    assert pg.entity("b").attribute_names == ("x", "id", "name", "y")
    assert pg.entity("c").attribute_names == ("id", "name", "z")
