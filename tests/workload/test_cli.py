"""`polyschema translate --workload BAD.yaml`: one line naming every problem, exit status 2."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main

CASES = {
    "unknown entity": (
        {"entity": "ordrs"},
        "access_patterns[0].entity (line 4): unknown entity 'ordrs'; did you mean 'orders'?",
    ),
    "unknown attribute": (
        {"equality": ["custmer_id"]},
        "unknown attribute 'custmer_id' of entity 'orders'; did you mean 'customer_id'?",
    ),
    "two range attributes": (
        {"range": ["order_date", "order_id"]},
        "access_patterns[0].range (line 5): 2 range attributes",
    ),
    "bad rate": ({"rate": 0}, "access_patterns[0].rate (line 5): must be greater than 0, got 0"),
    "wrong YAML type": ({"limit": [20]}, "access_patterns[0].limit (line 5): expected a number, got a list [20]"),
}


def _file(tmp_path, fields):
    pattern = {"id": "Q1", "entity": "orders", **fields} if "entity" not in fields else {"id": "Q1", **fields}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "access_patterns": [pattern]}, sort_keys=False))
    return path


@pytest.mark.parametrize("label", CASES)
def test_translate_with_bad_workload_exits_2_with_one_line(tmp_path, label):
    fields, expected = CASES[label]
    path = _file(tmp_path, fields)
    result = CliRunner().invoke(
        main, ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--workload", str(path)]
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"polyschema: error: {path}: 1 problem: ")
    assert expected in lines[0]


def test_duplicate_id_and_other_problems_reported_together(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\naccess_patterns:\n  - {id: Q1, entity: orders}\n  - {id: Q1, entity: ordrs, rate: fast}\n"
    )
    result = CliRunner().invoke(
        main, ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--workload", str(path)]
    )
    assert result.exit_code == 2
    assert "3 problems" in result.output and "duplicate id 'Q1' (first used by access_patterns[0])" in result.output


def test_translate_accepts_the_sample_workload():
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(SAMPLES / "ecommerce.sql"),
            "--to",
            "mongodb",
            "--workload",
            str(SAMPLES / "ecommerce.workload.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code in (0, 1), result.output  # 1 = the design has findings; never a usage error
