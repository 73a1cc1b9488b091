"""`polyschema inspect` through click's CliRunner: bad inputs exit 2 with one line, findings exit 1, samples work."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(main, ["inspect", *args], input=input, catch_exceptions=False)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "empty.sql").write_bytes(b"")
    (tmp_path / "blank.sql").write_text("  \n\n")
    (tmp_path / "binary.sql").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00garbage")
    (tmp_path / "latin1.sql").write_bytes("CREATE TABLE caf\xe9 (x int);".encode("latin-1"))
    (tmp_path / "nodll.sql").write_text("SELECT 1;\nINSERT INTO t VALUES (1);\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_text("CREATE TABLE t (x int);")
    return tmp_path


@pytest.mark.parametrize(
    "name,message",
    [
        ("missing.sql", "no such file or folder"),
        ("folder", "folder has no .sql files"),
        ("empty.sql", "file is empty"),
        ("blank.sql", "file is empty"),
        ("binary.sql", "looks binary"),
        ("latin1.sql", "cannot decode as text (utf-8-sig failed at byte"),
        ("nodll.sql", "no DDL found"),
    ],
)
def test_bad_input_exits_2_with_one_line(files, name, message):
    result = run(str(files / name))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines() if hasattr(result, "stderr") else result.output.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0] and name in lines[0]
    assert "Traceback" not in result.output


def test_wrong_dialect_names_the_closest(files):
    result = run("--dialect", "postgress", str(SAMPLES / "saas.sql"))
    assert result.exit_code == 2
    assert "did you mean 'postgres'" in result.output


def test_lost_table_exits_1(tmp_path):
    source = tmp_path / "broken.sql"
    source.write_text("CREATE TABLE ok (id int PRIMARY KEY);\nCREATE TABLE broken (((;\n")
    result = run(str(source), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["partial"] is True
    errors = [d for d in payload["diagnostics"] if d["severity"] == "error"]
    assert errors and errors[0]["line"] == 2 and errors[0]["file"] == str(source)


@pytest.mark.parametrize("sample", ["saas.sql", "ecommerce.sql"])
def test_samples_human(sample):
    result = run(str(SAMPLES / sample))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Schema from {SAMPLES / sample} (dialect postgres)")
    assert "RELATIONSHIPS" in result.output and "primary key" in result.output


@pytest.mark.parametrize("sample", ["saas.sql", "ecommerce.sql"])
def test_samples_json_shape(sample):
    result = run(str(SAMPLES / sample), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"entities", "relationships", "diagnostics"} <= set(payload)
    entity = payload["entities"][0]
    assert {"name", "namespace", "attributes", "primary_key", "unique_keys", "indexes"} <= set(entity)
    assert {"name", "type", "nullable"} <= set(entity["attributes"][0])
    assert "canonical" in entity["attributes"][0]["type"]
    relationship = payload["relationships"][0]
    assert {"name", "from", "to", "cardinality", "inferred"} <= set(relationship)
    assert {"entity", "attributes"} <= set(relationship["from"])
    names = {e["name"] for e in payload["entities"]}
    assert all(r["from"]["entity"] in names and r["to"]["entity"] in names for r in payload["relationships"])


def test_stdin_and_several_sources(tmp_path):
    other = tmp_path / "b.sql"
    other.write_text("CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);\n")
    result = run(
        "-", str(other), "--format", "json", "--dialect", "postgres", input="CREATE TABLE a (id int PRIMARY KEY);\n"
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [e["name"] for e in payload["entities"]] == ["a", "b"]
    assert payload["relationships"][0]["to"] == {"entity": "a", "attributes": ["id"]}


def test_folder_is_read_in_sorted_order(tmp_path):
    (tmp_path / "2_child.sql").write_text(
        "CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent(id));"
    )
    (tmp_path / "1_parent.sql").write_text("CREATE TABLE parent (id int PRIMARY KEY);")
    (tmp_path / "readme.md").write_text("not sql")
    payload = json.loads(run(str(tmp_path), "--format", "json", "--dialect", "postgres").output)
    assert [e["name"] for e in payload["entities"]] == ["parent", "child"]
    assert payload["sources"] == [str(tmp_path / "1_parent.sql"), str(tmp_path / "2_child.sql")]


def test_infer_relationships_flag(tmp_path):
    source = tmp_path / "wiki.sql"
    source.write_text(
        "CREATE TABLE page (page_id int PRIMARY KEY, page_title varchar(255));\n"
        "CREATE TABLE revision (rev_id int PRIMARY KEY, rev_page int NOT NULL);\n"
    )
    plain = json.loads(run(str(source), "--format", "json").output)
    assert plain["relationships"] == []
    inferred = json.loads(run(str(source), "--format", "json", "--infer-relationships").output)
    [relationship] = inferred["relationships"]
    assert relationship["inferred"] is True and relationship["rule"].startswith("prefix")
    assert relationship["to"] == {"entity": "page", "attributes": ["page_id"]}


def test_types_override_file(tmp_path):
    source = tmp_path / "t.sql"
    source.write_text("CREATE TABLE t (id int PRIMARY KEY, shape cube);\n")
    rules = tmp_path / "types.toml"
    rules.write_text('[postgres]\ncube = { kind = "spatial", name = "cube" }\n')
    without = json.loads(run(str(source), "--format", "json", "--dialect", "postgres").output)
    assert without["entities"][0]["attributes"][1]["type"]["canonical"] == "other"
    assert any(d["code"] == "unknown-type" for d in without["diagnostics"])
    with_rules = json.loads(run(str(source), "--format", "json", "--dialect", "postgres", "--types", str(rules)).output)
    assert with_rules["entities"][0]["attributes"][1]["type"] == {
        "canonical": "spatial",
        "name": "cube",
        "source": "cube",
    }


def test_bad_types_file_exits_2(tmp_path):
    rules = tmp_path / "types.toml"
    rules.write_text('[default]\nINT = { kind = "integr" }\n')
    result = run(str(SAMPLES / "saas.sql"), "--types", str(rules))
    assert result.exit_code == 2
    assert "unknown canonical kind 'integr'" in result.output and "INT" in result.output
