"""Every `polyschema simulate` command the Cassandra target prints runs as printed (issues 10 and 13).

The samples' workloads and two corpus schemas are translated with their row counts capped (so that each
simulation takes a moment); the commands printed in the human output are then run, word for word, through
click's CliRunner.
"""

from __future__ import annotations

import shlex

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import CORPUS, SAMPLES
from translator.cli import main
from translator.sources import load_schema

ROWS_CAP = 5_000


def _capped(document: dict) -> dict:
    stats = document.setdefault("statistics", {})
    for value in (stats.get("entities") or {}).values():
        value["rows"] = min(float(value["rows"]), ROWS_CAP)
    for value in (stats.get("attributes") or {}).values():
        if "distinct" in value:
            value["distinct"] = min(float(value["distinct"]), ROWS_CAP)
    return document


def _statistics_only(schema_path) -> dict:
    """A statistics file as `inspect --write-stats` writes one: rows and distinct counts of every attribute."""
    schema = load_schema([str(schema_path)])
    return {
        "version": 1,
        "statistics": {
            "entities": {e.key: {"rows": ROWS_CAP} for e in schema.entities},
            "attributes": {f"{e.key}.{a.name}": {"distinct": 100} for e in schema.entities for a in e.attributes},
        },
    }


def _printed_commands(sql, workload_path) -> list[list[str]]:
    result = CliRunner().invoke(main, ["translate", str(sql), "--to", "cassandra", "--workload", str(workload_path)])
    assert result.exit_code in (0, 1), result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("polyschema simulate ")]
    return [shlex.split(line.split("   # ")[0])[1:] for line in lines]


CASES = [
    ("ecommerce", SAMPLES / "ecommerce.sql"),
    ("saas", SAMPLES / "saas.sql"),
    ("postgres/northwind", CORPUS / "postgres" / "northwind.sql"),
    ("mysql/sakila", CORPUS / "mysql" / "sakila.sql"),
]


@pytest.mark.parametrize("name, sql", CASES, ids=[c[0] for c in CASES])
def test_printed_simulate_commands_run(tmp_path, name, sql):
    if not sql.exists():
        pytest.skip(f"{sql} is not available (the shared corpus lives beside the project)")
    sample = SAMPLES / f"{name}.workload.yaml"
    document = yaml.safe_load(sample.read_text()) if sample.exists() else _statistics_only(sql)
    workload = tmp_path / "workload.yaml"
    workload.write_text(yaml.safe_dump(_capped(document)))
    commands = _printed_commands(sql, workload)
    assert commands, "the design printed no simulate command"
    for args in commands:
        result = CliRunner().invoke(main, args)
        # 1 is a finding (an alarm on the simulated key), not a refusal; 2 would be a usage error.
        assert result.exit_code in (0, 1) and result.exception is None or isinstance(result.exception, SystemExit), (
            f"{shlex.join(args)}\n{result.output}"
        )
        assert result.exit_code in (0, 1), f"{shlex.join(args)}\n{result.output}"
