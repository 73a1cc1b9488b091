"""Statements sqlglot refuses (or turns into an opaque Command) are recovered, and what was dropped is reported."""

from __future__ import annotations

import pytest

from translator.diagnostics import Severity
from translator.ingest import ingest_text
from translator.types import TypeKind

CASES = [
    ("tsql", "CREATE TABLE [t] ([id] uniqueidentifier ROWGUIDCOL NOT NULL, [x] int) ON [PRIMARY]", "ROWGUIDCOL"),
    (
        "tsql",
        "CREATE TABLE [t] ([id] int NOT NULL, [doc] nvarchar(max)) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]",
        "TEXTIMAGE_ON",
    ),
    (
        "oracle",
        "CREATE TABLE t (id CHAR(2) CONSTRAINT t_pk PRIMARY KEY, x VARCHAR2(40)) ORGANIZATION INDEX",
        "ORGANIZATION",
    ),
    ("postgres", "CREATE TABLE t (id int PRIMARY KEY, y int, z int GENERATED ALWAYS AS (y * 2) VIRTUAL)", "VIRTUAL"),
    ("sqlite", "CREATE TABLE t (id INTEGER PRIMARY KEY, x BLOB SUB_TYPE TEXT DEFAULT NULL)", "SUB_TYPE"),
]


@pytest.mark.parametrize("dialect,ddl,dropped", CASES, ids=[c[2] for c in CASES])
def test_storage_clauses_are_dropped_with_a_warning(dialect, ddl, dropped):
    schema = ingest_text(ddl + ";\n", dialect)
    assert not schema.partial
    [entity] = schema.entities
    assert entity.name == "t" and len(entity.attributes) >= 2
    warnings = [d for d in schema.diagnostics if d.severity is Severity.WARNING]
    assert any(dropped.lower() in (d.lost or "").lower() for d in warnings), [str(d) for d in warnings]
    assert all(d.line == 1 and d.file == "<string>" for d in warnings)


@pytest.mark.parametrize(
    "dialect,ddl",
    [
        (
            "tsql",
            "CREATE TABLE [t] ([id] int NOT NULL, [x] int, CONSTRAINT [pk] PRIMARY KEY CLUSTERED ([id] ASC) "
            "WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]) ON [PRIMARY]",
        ),
        (
            "oracle",
            "CREATE TABLE t (id NUMBER PRIMARY KEY, x NUMBER) TABLESPACE users PCTFREE 10 STORAGE (INITIAL 64K)",
        ),
    ],
)
def test_storage_clauses_sqlglot_reads_itself(dialect, ddl):
    """sqlglot 30 parses these; they must not cost a column or a key (and need no recovery warning)."""
    schema = ingest_text(ddl, dialect)
    assert not schema.partial
    assert (schema.entity("t").attribute_names, schema.entity("t").primary_key) == (("id", "x"), ("id",))


def test_recovery_rules_remove_only_storage_text():
    from translator.ingest.recovery import apply_rules

    text, fired = apply_rules(
        "CREATE TABLE t (id int, g uniqueidentifier ROWGUIDCOL) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]"
    )
    assert " ".join(text.split()) == "CREATE TABLE t (id int, g uniqueidentifier )"
    assert [r.name for r in fired] == ["ROWGUIDCOL", "TEXTIMAGE_ON", "ON filegroup"]
    untouched = "ALTER TABLE a ADD CONSTRAINT f FOREIGN KEY (x) REFERENCES b (y) ON DELETE CASCADE ON UPDATE NO ACTION"
    assert apply_rules(untouched) == (untouched, ())


def test_virtual_generated_column_keeps_its_expression():
    schema = ingest_text("CREATE TABLE t (y int, z int GENERATED ALWAYS AS (y * 2) VIRTUAL);", "postgres")
    assert schema.entity("t").attribute("z").generated == "y * 2"


@pytest.mark.parametrize(
    "dialect,ddl,dropped",
    [
        (
            "postgres",
            "CREATE TABLE p (id int) PARTITION BY RANGE (id);\nCREATE INDEX i ON ONLY p USING btree (id);",
            "ONLY",
        ),
        ("mysql", "CREATE TABLE p (id int, KEY k (id) USING BTREE);\nCREATE INDEX i USING BTREE ON p (id);", None),
        (
            "postgres",
            "CREATE TABLE p (id int, v text);\nCREATE UNIQUE INDEX i ON p (id, v) NULLS NOT DISTINCT;",
            "NULLS NOT DISTINCT",
        ),
    ],
)
def test_index_recovery(dialect, ddl, dropped):
    schema = ingest_text(ddl, dialect)
    assert not schema.partial
    assert schema.entity("p").indexes, [str(d) for d in schema.diagnostics]
    if dropped:
        assert any(dropped in (d.lost or "") for d in schema.diagnostics)


def test_unknown_column_type_is_kept_as_other_with_its_text():
    schema = ingest_text("CREATE TABLE m (id int PRIMARY KEY, toc CUBE, n int NOT NULL);", "postgres")
    assert not schema.partial
    m = schema.entity("m")
    assert m.attribute_names == ("id", "toc", "n") and m.primary_key == ("id",)
    toc = m.attribute("toc")
    assert toc.type.kind is TypeKind.OTHER and toc.type.source.lower() == "cube"
    assert any(d.code == "unknown-type" and d.severity is Severity.WARNING for d in schema.diagnostics)


def test_unreadable_create_table_is_an_error_and_marks_the_schema_partial():
    schema = ingest_text(
        "CREATE TABLE good (id int);\n\nCREATE TABLE bad (id int,, ,);\nCREATE TABLE (((;\n", "postgres"
    )
    assert [e.name for e in schema.entities][0] == "good"
    errors = [d for d in schema.diagnostics if d.severity is Severity.ERROR]
    assert schema.partial and errors
    assert {d.line for d in errors} <= {3, 4} and 4 in {d.line for d in errors}


def test_tsql_alias_types_and_postgres_domains_resolve_to_their_base():
    tsql = ingest_text(
        "CREATE TYPE [Name] FROM nvarchar(50) NULL\nGO\nCREATE TABLE t ([n] [Name] NOT NULL)\nGO\n", "tsql"
    )
    n = tsql.entity("t").attribute("n")
    assert (n.type.kind, n.type.length, n.type.source) == (TypeKind.STRING, 50, "[Name]")  # source: as written
    pg = ingest_text(
        "CREATE DOMAIN year AS integer CONSTRAINT c CHECK (VALUE > 1900);\nCREATE TABLE f (y year);", "postgres"
    )
    assert pg.entity("f").attribute("y").type.kind is TypeKind.INTEGER


def test_noise_alter_statements_are_info_not_warnings():
    schema = ingest_text(
        "CREATE TABLE t (id int);\nALTER TABLE t OWNER TO postgres;\nALTER TABLE t NOCHECK CONSTRAINT ALL;\n",
        "postgres",
    )
    assert not [d for d in schema.diagnostics if d.severity is not Severity.INFO]


def test_an_unreadable_alter_table_add_is_an_error():
    schema = ingest_text(
        "CREATE TABLE t (id int);\nALTER TABLE t ADD CONSTRAINT x FOREIGN KEY ((( REFERENCES;\n", "postgres"
    )
    [error] = [d for d in schema.diagnostics if d.severity is Severity.ERROR]
    assert (error.code, error.line) == ("unparsed-statement", 2) and schema.partial


def test_untokenizable_table_is_an_error_at_its_own_line():
    schema = ingest_text(
        "CREATE TABLE a (id int);\n-- a comment\nCREATE TABLE b (x varchar(3) DEFAULT 'oops);\n"
        "CREATE TABLE c (id int);\n",
        "postgres",
    )
    assert [e.name for e in schema.entities] == ["a", "c"]
    [error] = [d for d in schema.diagnostics if d.severity is Severity.ERROR]
    assert (error.code, error.line, error.excerpt[:16]) == ("untokenizable", 3, "CREATE TABLE b (")
