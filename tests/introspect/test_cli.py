"""`polyschema inspect` on live databases: human and JSON forms, --stats/--write-stats, masked errors."""

from __future__ import annotations

import json
import sqlite3

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import CORPUS
from tests.live import postgres_database, require_mariadb, require_postgres
from translator.cli import main
from translator.ingest import ingest_text
from translator.workload import parse_workload


@pytest.fixture(scope="module")
def northwind_url(corpus):
    params = require_postgres()
    with postgres_database(params, (CORPUS / "postgres" / "northwind.sql").read_text()) as url:
        yield url


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.live
def test_inspect_live_postgres_json_and_human(northwind_url):
    result = run("inspect", northwind_url, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    ddl = ingest_text((CORPUS / "postgres" / "northwind.sql").read_text(), "postgres")
    assert [e["name"] for e in payload["entities"]] == [e.name for e in ddl.entities]
    assert payload["sources"] == [northwind_url]  # no password in this URL; masked form is the URL itself
    human = run("inspect", northwind_url)
    assert human.exit_code == 0 and "order_details" in human.output


@pytest.mark.live
def test_inspect_stats_writes_a_file_parse_workload_accepts(northwind_url, tmp_path):
    out = tmp_path / "stats.yaml"
    result = run("inspect", northwind_url, "--stats", "--exact", "--write-stats", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text())
    assert data["version"] == 1 and set(data["statistics"]) == {"entities", "relationships", "attributes"}
    assert data["statistics"]["entities"]["orders"]["rows"] == 0  # the corpus file has no rows
    schema = ingest_text((CORPUS / "postgres" / "northwind.sql").read_text(), "postgres")
    workload = parse_workload(data, schema, source=str(out))
    assert set(workload.statistics.entities) == {e.key for e in schema.entities}
    assert json.loads(result.output)["statistics"] == data["statistics"]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:hunter2secret@127.0.0.1:1/postgres",
        "mysql://root:hunter2secret@127.0.0.1:1/x",
    ],
)
def test_connection_failure_is_one_masked_line_exit_2(url):
    result = CliRunner().invoke(main, ["inspect", url])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "hunter2secret" not in result.output
    assert "***@127.0.0.1:1" in lines[0] and "(127.0.0.1:1)" in lines[0]


@pytest.mark.live
def test_wrong_password_is_masked():
    require_mariadb()
    result = CliRunner().invoke(main, ["inspect", "mysql://root:wrongpass@127.0.0.1:3306/mysql"])
    assert result.exit_code == 2 and "wrongpass" not in result.output and "Access denied" in result.output


def test_inspect_sqlite_stats(tmp_path):
    path = tmp_path / "a.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, "
            "p_id INTEGER REFERENCES p (id)); INSERT INTO p VALUES (1), (2); "
            "INSERT INTO c VALUES (1, 1), (2, 1), (3, 2);"
        )
    conn.close()
    result = run("inspect", f"sqlite:///{path}", "--stats", "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)["statistics"]
    assert stats["relationships"]["c.p_id"] == {"avg": 1.5, "p99": 2.0, "max": 2.0}


def test_write_stats_to_an_unwritable_path_is_one_line_exit_2(tmp_path):
    path = tmp_path / "a.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)")
    conn.close()
    target = tmp_path / "missing" / "stats.yaml"
    result = CliRunner().invoke(main, ["inspect", f"sqlite:///{path}", "--stats", "--write-stats", str(target)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"polyschema: error: --write-stats {target}: cannot write it")
    assert not target.exists()
