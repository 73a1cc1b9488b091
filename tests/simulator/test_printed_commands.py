"""Every `simulate` command that `translate` prints runs as printed (issue 12): keys name attributes of
the entity, `hashed(x)` for a hashed one; `_id` is MongoDB's server-generated ObjectId."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# `simulate --store S --key 'K'` as the targets print it (quoted key; may hold parentheses).
_PRINTED = re.compile(r"simulate (--store \S+(?: --[\w-]+ (?:'[^']*'|[^\s)]+))*)")


def _printed_commands(target: str, sql: str, workload: str | None) -> list[str]:
    args = ["translate", str(SAMPLES / sql), "--to", target]
    if workload:
        args += ["--workload", str(SAMPLES / workload)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    return sorted(set(_PRINTED.findall(result.output)))


@pytest.mark.parametrize("target", ["mongodb", "cassandra", "dynamodb"])
@pytest.mark.parametrize("sql, workload", [("saas.sql", "saas.workload.yaml"), ("ecommerce.sql", None)])
def test_printed_simulate_commands_run(target, sql, workload):
    commands = _printed_commands(target, sql, workload)
    if target == "mongodb":
        assert any("_id" in c for c in commands) or commands, "the MongoDB target prints shard key candidates"
    for command in commands:
        # Fewer rows than the default keep the suite fast; they do not change how the key is read.
        result = CliRunner().invoke(main, ["simulate", *shlex.split(command), "--rows", "20000", "--tenants", "100"])
        assert result.exit_code in (0, 1), f"simulate {command}: {result.output}"
        assert "Traceback" not in result.output


def test_underscore_id_is_the_server_objectid_not_a_typo_of_id():
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--store",
            "mongodb-hashed",
            "--key",
            "hashed(_id)",
            "--rows",
            "20000",
            "--tenants",
            "50",
            "--format",
            "json",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    assert "server-generated ObjectId" in result.output


def test_a_typo_is_still_refused_with_the_suggestion():
    result = CliRunner().invoke(main, ["simulate", "--store", "mongodb-range", "--key", "tenant,id", "--rows", "1000"])
    assert result.exit_code == 2 and "did you mean 'tenant_id'" in result.output
