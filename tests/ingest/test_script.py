"""Client-script noise is handled like the vendor's client, and diagnostics keep the original line numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from translator.ingest import ingest_text
from translator.ingest.script import guess_dialect, split_script


def tables(schema):
    return [e.name for e in schema.entities]


def clean(text, dialect):
    schema = ingest_text(text, dialect)
    assert not schema.partial, [str(d) for d in schema.diagnostics]
    return schema


def test_tsql_go_batches_sqlcmd_lines_and_missing_semicolons():
    text = (
        ':setvar DatabaseName "Shop"\n:r .\\other.sql\nUSE [$(DatabaseName)]\nGO\n'
        "CREATE TABLE [a] ([id] int PRIMARY KEY)\n"
        "CREATE TABLE [b] ([id] int PRIMARY KEY, [a_id] int REFERENCES [a]([id]))\n"
        "GO\nCREATE PROCEDURE p AS BEGIN SELECT 1; CREATE TABLE #tmp (x int); END\ngo 2\n"
        "ALTER TABLE [b] ADD CONSTRAINT [u] UNIQUE ([a_id])\nGO\n"
    )
    schema = clean(text, "tsql")
    assert tables(schema) == ["a", "b"]
    assert schema.entity("b").unique_keys == (("a_id",),)
    routine = [d for d in schema.diagnostics if d.subject == "routine"]
    assert len(routine) == 1 and routine[0].line == 8
    removed = {d.subject: d.line for d in schema.diagnostics if d.code == "client-command"}
    assert removed == {"GO": 4, ":setvar": 1, ":r": 2}


def test_sqlplus_commands_slash_lines_and_plsql_blocks():
    text = (
        "rem a comment\nREM another\nSET ECHO OFF\nPROMPT creating t\nCONNECT hr/hr@db\nSPOOL out.log\n"
        "WHENEVER SQLERROR EXIT\n@other_script.sql\nCREATE TABLE t (id NUMBER(6) PRIMARY KEY)\n/\n"
        "PROMPT next\nCREATE OR REPLACE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  :new.id := 1;\nEND;\n/\n"
        "CREATE TABLE u (id NUMBER(6) PRIMARY KEY, t_id NUMBER(6) REFERENCES t);\n"
    )
    schema = clean(text, "oracle")
    assert tables(schema) == ["t", "u"]
    kinds = {d.subject for d in schema.diagnostics if d.code == "client-command"}
    assert kinds == {"REM", "SET", "PROMPT", "CONNECT", "SPOOL", "WHENEVER", "@", "/"}
    trigger = [d for d in schema.diagnostics if d.subject == "routine"]
    assert len(trigger) == 1 and trigger[0].line == 12


def test_psql_meta_commands_and_copy_data():
    text = (
        "\\set ON_ERROR_STOP 1\n\\connect shop\nCREATE TABLE t (id int PRIMARY KEY, name text);\n"
        "COPY t (id, name) FROM stdin;\n1\tx;y\n2\t\\N\n\\.\nCREATE TABLE u (id int);\n"
    )
    schema = clean(text, "postgres")
    assert tables(schema) == ["t", "u"]
    assert {d.subject for d in schema.diagnostics if d.code == "client-command"} == {"\\set", "\\connect", "COPY data"}


def test_mysql_delimiter_blocks_source_lines_and_conditional_comments():
    text = (
        "/*!40101 SET NAMES utf8 */;\nsource data.sql\n"
        "CREATE TABLE t (id int PRIMARY KEY /*!50000 , code int UNIQUE */,"
        "\n /*!50705 geo GEOMETRY, */ name text);\nDELIMITER ;;\n"
        "CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
        "  SET NEW.id = 1;\nEND;;\nDELIMITER ;\nCREATE TABLE u (id int);\n"
    )
    schema = clean(text, "mysql")
    assert tables(schema) == ["t", "u"]
    assert schema.entity("t").attribute_names == ("id", "code", "name")  # 50000 kept, 50705 skipped (MariaDB rule)
    trigger = [d for d in schema.diagnostics if d.subject == "routine"]
    assert len(trigger) == 1 and trigger[0].line == 6
    kinds = {d.subject for d in schema.diagnostics if d.code == "client-command"}
    assert {"DELIMITER", "source"} <= kinds and any(k.startswith("/*!5xxxx") for k in kinds)


def test_bom_and_crlf():
    schema = clean("\ufeffCREATE TABLE t (id int);\r\nCREATE TABLE u (id int);\r\n", "postgres")
    assert tables(schema) == ["t", "u"]


def test_guess_dialect_from_folder_and_content():
    assert guess_dialect("CREATE TABLE t (x int);", "postgres")[0] == "postgres"
    assert guess_dialect("CREATE TABLE t (x int)\nGO\n", None)[0] == "tsql"
    assert guess_dialect("PROMPT hi\nCREATE TABLE t (x VARCHAR2(2));", None)[0] == "oracle"
    assert guess_dialect("CREATE TABLE `t` (x int) ENGINE=InnoDB;", None)[0] == "mysql"
    assert guess_dialect("CREATE TABLE t (x INTEGER PRIMARY KEY AUTOINCREMENT);", None)[0] == "sqlite"
    assert guess_dialect("CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x serial);", None)[0] == "postgres"
    assert guess_dialect("CREATE TABLE t (x int);", None)[0] is None


NOISE = {
    "oracle": ["PROMPT hello", "rem note", "SET DEFINE OFF", "/"],
    "tsql": ["GO", ":setvar x 1", "PRINT 'x'\nGO"],
    "postgres": ["\\set x 1", "SET search_path = public;", "\\echo hi"],
    "mysql": ["DELIMITER ;", "source x.sql", "/*!40101 SET NAMES utf8 */;"],
}


@given(st.sampled_from(sorted(NOISE)), st.lists(st.integers(0, 20), min_size=1, max_size=4), st.data())
def test_noise_between_statements_changes_nothing_but_keeps_line_numbers(dialect, noise_counts, data):
    """Invariant: client noise between statements never changes the IR, and every table's diagnostics
    still name the line its CREATE TABLE is on."""
    statements = [f"CREATE TABLE t{i} (id int PRIMARY KEY, bad_{i} cube_{i});" for i in range(len(noise_counts))]
    lines: list[str] = []
    expected_lines = []
    for count, statement in zip(noise_counts, statements, strict=True):
        for _ in range(count):
            lines.extend(data.draw(st.sampled_from(NOISE[dialect])).split("\n"))
        expected_lines.append(len(lines) + 1)
        lines.append(statement)
    schema = ingest_text("\n".join(lines) + "\n", dialect)
    assert tables(schema) == [f"t{i}" for i in range(len(statements))]
    unknown = [d.line for d in schema.diagnostics if d.code == "unknown-type"]
    assert unknown == expected_lines


def test_split_script_reports_chunk_lines():
    split = split_script("CREATE TABLE a (x int)\nGO\n\nCREATE TABLE b (x int)\nGO\n", "tsql")
    assert [(c.line, c.text.strip()) for c in split.chunks] == [
        (1, "CREATE TABLE a (x int)"),
        (3, "CREATE TABLE b (x int)"),
    ]


def test_tsql_if_wrapped_create_table():
    text = (
        "IF NOT EXISTS (SELECT * FROM sys.tables WHERE name = 'x')\nCREATE TABLE x (id int PRIMARY KEY)\nGO\n"
        "IF OBJECT_ID('y') IS NULL\nBEGIN\n  CREATE TABLE y (id int PRIMARY KEY, x_id int REFERENCES x(id))\nEND\nGO\n"
    )
    schema = clean(text, "tsql")
    assert tables(schema) == ["x", "y"]
    assert schema.relationships[0].to_entity == "x"


def test_mysql_client_words_inside_a_statement_are_columns():
    text = "source a.sql\nCREATE TABLE t (\n  id int,\nsource varchar(20),\ndelimiter char(1)\n);\nsource b.sql\n"
    schema = clean(text, "mysql")
    assert schema.entity("t").attribute_names == ("id", "source", "delimiter")
    assert [d.lost for d in schema.diagnostics if d.code == "client-command"] == [None]
    assert [(d.subject, d.line) for d in schema.diagnostics if d.code == "client-command"] == [("source", 1)]


def test_comment_lines_do_not_open_a_statement():
    text = (
        "# a mysql comment\n/* block */\n-- dashes\nDELIMITER ;;\n"
        "CREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\nCREATE TABLE t (id int);\n"
    )
    schema = clean(text, "mysql")
    assert tables(schema) == ["t"]
    assert [d.line for d in schema.diagnostics if d.subject == "routine"] == [5]


def test_sqlite_shell_dot_commands():
    text = ".mode column\n.read other.sql\nCREATE TABLE t (id INTEGER PRIMARY KEY,\n.5 REAL DEFAULT .5);\n"
    split = split_script(text, "sqlite")
    assert split.removed == {".mode": (1, 1), ".read": (1, 2)}
    assert tables(clean(".headers on\nCREATE TABLE t (id INTEGER PRIMARY KEY);\n", "sqlite")) == ["t"]


def test_psql_backslash_lines_inside_function_bodies_are_text():
    text = (
        "CREATE FUNCTION f() RETURNS text AS $body$\nSELECT '\n\\\\not a command\n';\n$body$ LANGUAGE sql;\n"
        "\\set x 1\nCREATE TABLE t (id int);\n"
    )
    split = split_script(text, "postgres")
    assert split.removed == {"\\set": (1, 6)}
    assert tables(clean(text, "postgres")) == ["t"]


def test_dialect_aliases_mean_the_same_as_flag_and_as_folder():
    from translator.sources import DIALECT_ALIASES, check_dialect

    assert DIALECT_ALIASES
    for alias, dialect in DIALECT_ALIASES.items():
        assert check_dialect(alias.upper()) == dialect
        assert guess_dialect("CREATE TABLE t (id int);", alias)[0] == dialect
