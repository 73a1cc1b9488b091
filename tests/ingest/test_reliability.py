"""Issue 12, ingest: hostile or broken DDL never ends in a traceback, and no table is lost with exit 0."""

from __future__ import annotations

import sys
import threading

import pytest
from click.testing import CliRunner

from translator.cli import main
from translator.diagnostics import Severity
from translator.ingest import ingest_source_texts, ingest_text
from translator.ingest.files import SourceText
from translator.ingest.stack import MAX_NESTING
from translator.ir import Cardinality


def _errors(schema) -> list:
    return [d for d in schema.diagnostics if d.severity is Severity.ERROR]


def _nested(depth: int) -> str:
    return (
        "CREATE TABLE a (id INT PRIMARY KEY);\n"
        f"CREATE TABLE deep (id INT, n INT DEFAULT {'(' * depth}1{')' * depth});\n"
        "CREATE TABLE b (id INT PRIMARY KEY);\n"
    )


# ---------------------------------------------------------------- deep nesting
@pytest.mark.parametrize("depth", [46, 80, MAX_NESTING - 1])  # the column list adds one level
def test_nesting_that_sqlglot_can_read_is_read_whatever_the_callers_stack(depth):
    """46 levels killed the run before; the depth allowed must not depend on how deep the caller already is."""
    results = []

    def deep_caller(levels: int) -> None:
        if levels:
            return deep_caller(levels - 1)
        results.append(ingest_text(_nested(depth), "postgres"))

    thread = threading.Thread(target=deep_caller, args=(sys.getrecursionlimit() - 60,))
    thread.start()
    thread.join()
    schema = results[0]
    assert [e.name for e in schema.entities] == ["a", "deep", "b"]
    assert not _errors(schema)


def test_nesting_past_the_limit_is_one_error_for_that_statement_and_the_run_goes_on():
    schema = ingest_text(_nested(MAX_NESTING), "postgres")
    assert [e.name for e in schema.entities] == ["a", "b"]
    [error] = _errors(schema)
    assert (error.code, error.line, error.file) == ("too-deep", 2, "<string>")


def test_deep_nesting_without_parentheses_is_caught_per_statement():
    """NOT NOT NOT ... recurses in sqlglot without a parenthesis to count."""
    text = (
        "CREATE TABLE a (id INT);\nCREATE TABLE t (f BOOLEAN CHECK (" + "NOT " * 5000 + "TRUE));\n"
        "CREATE TABLE b (id INT);\n"
    )
    schema = ingest_text(text, "postgres")
    assert [e.name for e in schema.entities] == ["a", "b"]
    assert [(d.code, d.line) for d in _errors(schema)] == [("too-deep", 2)]


def test_the_callers_recursion_limit_is_restored():
    before = sys.getrecursionlimit()
    ingest_text(_nested(60), "postgres")
    assert sys.getrecursionlimit() == before


# ---------------------------------------------------------------- duplicates
PARENT_CHILD = "CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE c (id INT PRIMARY KEY, p_id INT REFERENCES p(id));\n"


def test_a_table_defined_twice_with_a_foreign_key_keeps_the_later_definition():
    schema = ingest_text(
        PARENT_CHILD + "CREATE TABLE c (id INT PRIMARY KEY, p_id INT REFERENCES p(id), x INT);\n", "postgres"
    )
    assert [e.name for e in schema.entities] == ["p", "c"]
    assert schema.entity("c").attribute_names == ("id", "p_id", "x")
    assert len(schema.relationships) == 1
    [duplicate] = [d for d in schema.diagnostics if d.code == "duplicate-table"]
    assert duplicate.line == 3 and "later definition is kept" in duplicate.message and "<string>:2" in duplicate.message


def test_the_same_file_passed_twice_is_read_with_duplicate_diagnostics():
    texts = [SourceText("a.sql", PARENT_CHILD, None), SourceText("a.sql", PARENT_CHILD, None)]
    schema = ingest_source_texts(texts, dialect="postgres")
    assert sorted(e.name for e in schema.entities) == ["c", "p"]
    assert len(schema.relationships) == 1
    assert len([d for d in schema.diagnostics if d.code == "duplicate-table"]) == 2


# ---------------------------------------------------------------- keys naming columns that do not exist
@pytest.mark.parametrize(
    "ddl, line",
    [
        ("CREATE TABLE t (id INT, PRIMARY KEY (idd));", 1),
        ("CREATE TABLE t (id INT, UNIQUE (nope));", 1),
        ("CREATE TABLE t (id INT);\nCREATE INDEX i ON t (nope);", 2),
        ("CREATE TABLE t (id INT);\nALTER TABLE t ADD PRIMARY KEY (nope);", 2),
    ],
)
def test_a_key_on_a_missing_column_is_an_error_at_ingest_and_translate_does_not_crash(ddl, line, tmp_path):
    schema = ingest_text(ddl, "postgres")
    [error] = _errors(schema)
    assert (error.code, error.line) == ("unknown-key-column", line)
    entity = schema.entity("t")
    assert entity.primary_key == () and entity.unique_keys == () and entity.indexes == ()
    path = tmp_path / "t.sql"
    path.write_text(ddl)
    for target in ("mongodb", "cassandra", "dynamodb"):
        result = CliRunner().invoke(main, ["translate", str(path), "--dialect", "postgres", "--to", target])
        assert result.exit_code == 1, (target, result.output)  # the error diagnostic, not a traceback


def test_an_expression_index_is_not_a_missing_column():
    schema = ingest_text("CREATE TABLE t (email TEXT);\nCREATE UNIQUE INDEX e ON t (lower(email));", "postgres")
    assert not _errors(schema)
    assert schema.entity("t").candidate_keys() == ()


# ---------------------------------------------------------------- no table lost with exit 0
def _read(text: str, dialect: str | None, folder: str | None = None):
    return ingest_source_texts([SourceText("f.sql", text, folder)], dialect=dialect)


def test_a_sqlplus_rem_line_with_a_comment_opener_opens_no_comment():
    text = (
        "rem setup /* of the schema\nPROMPT creating a\nCREATE TABLE a (id NUMBER(10) PRIMARY KEY);\n"
        "PROMPT creating b\nCREATE TABLE b (id NUMBER(10));\n"
    )
    schema = _read(text, "oracle")
    assert [e.name for e in schema.entities] == ["a", "b"]
    assert not _errors(schema)


@pytest.mark.parametrize(
    "garbled", ["CRATE TABLE b (id INT);", "\x01CREATE TABLE b (id INT);", "CREAT TABLE b (id INT);"]
)
def test_ddl_that_cannot_be_read_is_an_error(garbled):
    schema = _read(f"CREATE TABLE a (id INT);\n{garbled}\n", "postgres")
    assert [e.name for e in schema.entities] == ["a"]
    assert [(d.code, d.line) for d in _errors(schema)] == [("unreadable-ddl", 2)]


@pytest.mark.parametrize(
    "text, dialect",
    [
        ("CREATE TABLE [dbo].[a] ([id] [int] IDENTITY(1,1) NOT NULL, [n] nvarchar(max))\nGO\n", "mysql"),
        ("CREATE TABLE `a` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;\n", "tsql"),
    ],
)
def test_a_file_read_in_the_wrong_dialect_that_yields_no_table_is_an_error_not_a_refusal(text, dialect):
    schema = _read(text, dialect)
    assert schema.entities == ()
    assert "no-tables" in {d.code for d in _errors(schema)}


def test_backticks_in_comments_do_not_make_a_file_mysql():
    schema = _read(
        "-- uses `backticks` in a comment\n/* and `here` */\nCREATE TABLE a (id SERIAL PRIMARY KEY);\n", None
    )
    assert schema.dialect == "postgres"


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE a ALTER COLUMN id SET STATISTICS 100;",
        "ALTER TABLE ONLY public.a ALTER COLUMN id SET STORAGE PLAIN;",
        "COMMENT ON TABLE a IS 'x';",
        "GRANT SELECT ON a TO bob;",
        "ALTER TABLE a OWNER TO bob;",
    ],
)
def test_a_valid_statement_that_changes_nothing_is_info_not_an_error(statement):
    schema = _read(f"CREATE TABLE a (id INT);\n{statement}\n", "postgres")
    assert not [d for d in schema.diagnostics if d.severity is not Severity.INFO]


# ---------------------------------------------------------------- keys as engines read them
MYSQL_PREFIX = """CREATE TABLE pages (id INT PRIMARY KEY, uri VARCHAR(500), site INT,
  UNIQUE KEY uq_uri (uri(190)), UNIQUE KEY uq_site_uri (site, uri(100)), KEY k_uri (uri(10)));
CREATE TABLE page_meta (uri VARCHAR(500), note TEXT, UNIQUE KEY (uri(50)),
  FOREIGN KEY (uri) REFERENCES pages (uri));
CREATE UNIQUE INDEX ix_note ON page_meta (note(20));
"""


def test_mysql_prefix_key_parts_are_kept_with_their_length_and_are_not_candidate_keys():
    schema = ingest_text(MYSQL_PREFIX, "mysql")
    pages = schema.entity("pages")
    indexes = {i.name: (i.columns, i.unique, i.prefix_lengths) for i in pages.indexes}
    assert indexes == {
        "uq_uri": (("uri",), True, (190,)),
        "uq_site_uri": (("site", "uri"), True, (None, 100)),
        "k_uri": (("uri",), False, (10,)),
    }
    assert pages.unique_keys == ()
    assert pages.candidate_keys() == (("id",),)
    meta = schema.entity("page_meta")
    assert {(i.columns, i.prefix_lengths) for i in meta.indexes} == {(("uri",), (50,)), (("note",), (20,))}
    assert meta.candidate_keys() == () and not meta.is_unique(["uri"])
    [relationship] = schema.relationships
    assert relationship.cardinality is Cardinality.MANY_TO_ONE  # a unique prefix does not make it one-to-one


def test_prefix_lengths_round_trip_through_json():
    from translator.ir import Schema

    schema = ingest_text(MYSQL_PREFIX, "mysql")
    data = schema.to_dict()
    assert data["entities"][0]["indexes"][0]["prefix_lengths"] == [190]
    assert Schema.from_dict(data).entities == schema.entities


def test_a_unique_index_without_predicate_is_a_candidate_key_like_a_unique_constraint():
    schema = ingest_text(
        "CREATE TABLE p (id INT PRIMARY KEY);\n"
        "CREATE TABLE c (id INT PRIMARY KEY, p_id INT REFERENCES p(id));\n"
        "CREATE UNIQUE INDEX u ON c (p_id);\n"
        "CREATE TABLE d (id INT PRIMARY KEY, p_id INT REFERENCES p(id));\n"
        "CREATE UNIQUE INDEX v ON d (p_id) WHERE id > 0;\n",
        "postgres",
    )
    assert schema.entity("c").candidate_keys() == (("id",), ("p_id",))
    assert schema.entity("d").candidate_keys() == (("id",),)
    cardinality = {r.from_entity: r.cardinality for r in schema.relationships}
    assert cardinality == {"c": Cardinality.ONE_TO_ONE, "d": Cardinality.MANY_TO_ONE}


def test_columns_named_with_a_non_reserved_keyword_are_read():
    schema = ingest_text("CREATE TABLE a (exclude INT NOT NULL, id INT PRIMARY KEY, period TEXT);", "postgres")
    assert [(a.name, str(a.type.kind), a.nullable) for a in schema.entity("a").attributes] == [
        ("exclude", "integer", False),
        ("id", "integer", False),
        ("period", "string", True),
    ]
    assert not _errors(schema)


def test_a_constraint_is_not_mistaken_for_a_keyword_named_column():
    schema = ingest_text("CREATE TABLE b (id INT, EXCLUDE USING gist (id WITH =));", "postgres")
    assert schema.entity("b").attribute_names == ("id",)


# ---------------------------------------------------------------- inspect --format json
def test_inspect_json_keeps_its_documented_fields_and_reports_a_lost_statement(tmp_path):
    """docs/ir-format.md: the fields of each record; a statement lost to nesting makes the run partial, exit 1."""
    import json

    path = tmp_path / "s.sql"
    path.write_text(MYSQL_PREFIX + f"CREATE TABLE deep (n INT DEFAULT {'(' * 150}1{')' * 150});\n")
    result = CliRunner().invoke(main, ["inspect", str(path), "--dialect", "mysql", "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert set(payload) >= {
        "format",
        "dialect",
        "sources",
        "partial",
        "entities",
        "relationships",
        "many_to_many",
        "diagnostics",
    }
    assert payload["format"] == "polyschema.ir/1" and payload["partial"] is True
    index = payload["entities"][0]["indexes"][0]
    assert list(index) == ["name", "columns", "unique", "predicate", "method", "prefix_lengths"]
    assert [d["code"] for d in payload["diagnostics"] if d["severity"] == "error"] == ["too-deep"]


@pytest.mark.parametrize("content", [b"\x00\x01binary", b"", b"   \n"])
def test_inspect_json_of_bad_input_is_one_line_exit_2_and_no_output(tmp_path, content):
    path = tmp_path / "bad.sql"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["inspect", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("polyschema: error: ")


def test_a_create_table_swallowed_by_a_statement_of_another_kind_is_an_error():
    """Found by benchmarks/fuzz_ingest.py: T-SQL `GO` lines read as MySQL glue the next CREATE TABLE to a `GO`
    statement, which was skipped with an info note."""
    schema = _read("CREATE TABLE a (id INT);\nGO\nCREATE TABLE b (id INT);\nGO\n", "mysql")
    assert [e.name for e in schema.entities] == ["a"]
    assert [(d.code, d.line) for d in _errors(schema)] == [("unreadable-ddl", 3)]


def test_a_table_swallowed_by_an_unreadable_statement_is_reported_too():
    schema = _read("CREATE TABLE a (id INT,\nCREATE TABLE b (id INT);\n", "postgres")
    assert schema.entities == ()
    assert [(d.code, d.line) for d in _errors(schema)][:2] == [("unparsed-statement", 1), ("unreadable-ddl", 2)]


def test_every_table_after_an_unclosed_quote_is_reported():
    """Found by benchmarks/fuzz_ingest.py: an unclosed backtick swallows the tables after it; each is an error."""
    schema = _read("CREATE TABLE a (id INT);\nCREATE TABLE b (`id INT)\nGO\nCREATE TABLE c (id INT)\nGO\n", "mysql")
    assert [e.name for e in schema.entities] == ["a"]
    assert [(d.code, d.line) for d in _errors(schema)] == [("untokenizable", 2), ("untokenizable", 4)]


def test_a_create_table_with_its_name_on_the_next_line_is_still_seen_inside_a_skipped_block():
    """Found by benchmarks/fuzz_ingest.py (seed 2026, input 5603): a T-SQL trigger's body runs to `GO`, and a
    `CREATE TABLE` ending its line inside it was missed, so the file said "no CREATE TABLE" with nothing lost."""
    text = "CREATE TRIGGER t AFTER UPDATE ON a\nBEGIN\n  UPDATE a SET x = 1;\nEND\n;\nCREATE TABLE\n  b (id INT);\nGO\n"
    schema = _read(text, "tsql")
    lost = [(d.code, d.line) for d in schema.diagnostics if d.lost == "this table"]
    assert lost == [("table-in-skipped-block", 6)]
