"""Library errors and messages name arguments, never CLI flags (issue 12): the CLI maps them to options."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.errors import SimulatorError
from simulator.stores import StoreConfig
from translator.cli import main

SIMULATOR = Path(__file__).resolve().parents[2] / "simulator"
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def test_no_cli_flag_in_simulator_strings():
    found = []
    for path in SIMULATOR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if _FLAG.search(node.value):
                    found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, found


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"racks": 0}, "racks"),
        ({"dcs": 0}, "dcs"),
        ({"vnodes": 0}, "vnodes"),
        ({"range_size_mb": float("nan")}, "range_size_mb"),
        ({"reads_per_second": float("inf")}, "reads_per_second"),
        ({"shards": 0}, "shards"),
    ],
)
def test_library_errors_name_the_argument_and_value(kwargs, argument):
    with pytest.raises(SimulatorError) as err:
        StoreConfig(**kwargs)
    assert str(err.value).startswith(f"{argument}=") and err.value.argument == argument
    assert "--" not in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "args, option",
    [
        (["--racks", "0"], "--racks 0"),
        (["--dcs", "0"], "--dcs 0"),
        (["--seed", "-1"], "--seed -1"),
        (["--skew", "lognormal:1e6"], "--skew 'lognormal:1e6'"),
        (["--skew", "pareto:1e-300"], "--skew 'pareto:1e-300'"),
        (["--rows", str(2**63)], f"--rows {2**63}"),
        (["--reads-per-second", "nan"], "--reads-per-second nan"),
        (["--range-size-mb", "inf"], "--range-size-mb inf"),
        (["--row-bytes", "0"], "--row-bytes 0"),
        (["--tenants", "1000000000000"], "--tenants 1000000000000"),
        (["--nodes", "100000000000"], "--nodes 100000000000"),
        (["--hot-key", "nan"], "--hot-key nan"),
    ],
)
def test_cli_maps_arguments_to_options_one_line_exit_2(args, option):
    result = CliRunner().invoke(
        main,
        ["simulate", "--store", "cassandra", "--key", "tenant_id", "--rows", "1000", *args]
        if "--rows" not in args
        else ["simulate", "--store", "cassandra", "--key", "tenant_id", *args],
    )
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and option in line and "Traceback" not in line


def test_memory_refusal_gives_the_estimate():
    result = CliRunner().invoke(
        main, ["simulate", "--store", "mongodb-hashed", "--key", "id", "--shards", "100000000000"]
    )
    assert result.exit_code == 2 and "would need about" in result.output and "--shards 100000000000" in result.output
