"""Garbage in never crashes ingest: it yields a schema with diagnostics, or a one-line SourceError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from translator.diagnostics import Severity
from translator.errors import SourceError
from translator.ingest import ingest_text

FRAGMENTS = [
    "CREATE TABLE",
    "t",
    "(",
    ")",
    ",",
    ";",
    "\n",
    " ",
    "id",
    "int",
    "varchar(10)",
    "PRIMARY KEY",
    "REFERENCES",
    "NOT NULL",
    "DEFAULT",
    "'x'",
    '"q"',
    "`b`",
    "[s]",
    "/*",
    "*/",
    "--",
    "GO\n",
    "\n/\n",
    "DELIMITER ;;\n",
    "$$",
    "ALTER TABLE",
    "ADD CONSTRAINT",
    "FOREIGN KEY",
    "CREATE INDEX",
    "ON",
    "CHECK",
    "PROMPT x\n",
    "\\set x\n",
    "CREATE TYPE",
    "AS ENUM",
    "COMMENT ON",
    "IS",
    "cube",
    "ROWGUIDCOL",
    "ON [PRIMARY]",
    "ORGANIZATION INDEX",
]
DIALECTS = st.sampled_from(["postgres", "mysql", "tsql", "oracle", "sqlite", None])


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join), DIALECTS)
def test_never_crashes(text, dialect):
    try:
        schema = ingest_text(text if text.strip() else "x", dialect)
    except SourceError as error:
        assert "\n" not in str(error)
        return
    # Every CREATE TABLE that produced no entity must have left an error (never a silent loss).
    if schema.entities == () and "CREATE TABLE" in text:
        assert any(d.severity is Severity.ERROR for d in schema.diagnostics) or all(
            "(" not in part for part in text.split("CREATE TABLE")[1:]
        )


SAFE_GARBAGE = st.lists(
    st.sampled_from(
        [
            "ALTER TABLE",
            "t",
            "(",
            ")",
            ",",
            "ADD",
            "CONSTRAINT",
            "FOREIGN KEY",
            "CREATE INDEX",
            "ON",
            "CHECK",
            "cube",
            "ROWGUIDCOL",
            "GRANT",
            "SELECT",
            "int",
            "x",
            "REFERENCES",
            "PRIMARY KEY",
            "CREATE VIEW",
            "AS",
            "BEGIN",
            "END",
        ]
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


@given(st.lists(st.tuples(st.booleans(), SAFE_GARBAGE), min_size=1, max_size=8), DIALECTS)
def test_a_broken_statement_never_takes_a_table_with_it(items, dialect):
    """Invariant: whatever garbage statements stand between them, every well-formed CREATE TABLE is read."""
    statements, names = [], []
    for index, (valid, garbage) in enumerate(items):
        if valid:
            names.append(f"table_{index}")
            statements.append(f"CREATE TABLE table_{index} (id int PRIMARY KEY, note varchar(20))")
        statements.append(garbage)
    statements.append("CREATE TABLE last_table (id int)")
    schema = ingest_text(";\n".join(statements) + ";\n", dialect)
    missing = set(names + ["last_table"]) - {e.name for e in schema.entities}
    # SQL*Plus runs a `BEGIN ...` line as a PL/SQL block up to the next `/`, swallowing what follows, as the
    # real client would; then each swallowed table must be reported, never silently lost.
    hidden = [d for d in schema.diagnostics if d.code == "table-in-skipped-block" and d.severity is Severity.WARNING]
    assert len(missing) <= len(hidden)


def test_a_plsql_block_swallowing_the_only_table_is_reported_not_refused():
    schema = ingest_text("BEGIN;\nCREATE TABLE last_table (id int);\n", "oracle")
    assert [d.code for d in schema.diagnostics if d.severity is Severity.WARNING] == [
        "table-in-skipped-block",
        "no-tables",
    ]
