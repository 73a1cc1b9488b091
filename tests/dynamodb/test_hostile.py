"""Issue 12: identifiers from DDL or a live database are inert in every DynamoDB renderer.

Property: for generated hostile names (line breaks, quotes, `*/`, `--`, `//`, backslashes, `${`, `$(`,
backticks, U+2028/U+2029, control characters), the aws-cli script tokenizes with `shlex` into exactly the
intended commands (and `bash -n` accepts it), the CloudFormation template parses as JSON with exactly the
intended resources, the Workbench model parses with one facet per entity, and the human text keeps one
line per record.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dynamodb.schema_builders import attr, fk, read, write
from translator.ir import Entity, Schema
from translator.targets.dynamodb import TARGET
from translator.targets.dynamodb.quoting import inert, logical_id, shell_quote
from translator.targets.dynamodb.render import aws_cli_commands
from translator.workload.model import Workload

_FRAGMENTS = [
    "\n",
    "\r",
    "'",
    '"',
    "*/",
    "/*",
    "--",
    "//",
    "\\",
    "${x}",
    "$(id)",
    "`id`",
    "\u2028",
    "\u2029",
    ";",
    "&&",
    "|",
    "#",
    " ",
    "\x1b[2J",
    "\x85",
    "a",
    "b",
    "é",
    "%",
    "<",
    ">",
]
_names = st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=5).map("".join)


@st.composite
def _hostile_case(draw):
    parent, child = draw(st.lists(_names, min_size=2, max_size=2, unique=True))
    cols = draw(st.lists(_names, min_size=4, max_size=4, unique=True))
    pid, label, cid, ref = cols
    parents = Entity(parent, (attr(pid, "integer"), attr(label, "string", length=20)), primary_key=(pid,))
    children = Entity(
        child, (attr(cid, "integer"), attr(ref, "integer"), attr(label, "string", length=20)), primary_key=(cid,)
    )
    schema = Schema((parents, children), (fk("fk", child, (ref,), parent, (pid,)),))
    workload = Workload(
        (
            read("by-label", parent, [label], rate=5),
            read(f"with{draw(_names)}", parent, [pid], with_=[child]),
            read("kids", child, [ref], order=[(label, "desc")]),
            write("put", child),
        )
    )
    mode = draw(st.sampled_from(["single-table", "per-entity"]))
    return schema, workload, mode


def _check_script(script: str, intended: list[list[str]]) -> None:
    lines = script.split("\n")
    assert len(script.splitlines()) == len(lines) - 1  # no other line break than "\n"
    commands = [shlex.split(line) for line in lines if line and not line.startswith("#") and line != "set -eu"]
    assert commands == intended
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    assert not {"|", "&&", ";", "&", "||", "(", ")", ">", "<"} & set(lexer)  # no operator outside quotes


@settings(max_examples=40, deadline=None)
@given(_hostile_case())
def test_hostile_names_stay_inert_in_every_renderer(case):
    schema, workload, mode = case
    design = TARGET.design(schema, workload, mode=mode)
    intended = aws_cli_commands(design)
    assert [c[2] for c in intended].count("create-table") == len(design.tables)
    _check_script(TARGET.render(design, "aws-cli"), intended)
    for command in intended:
        if command[2] == "create-table":
            assert json.loads(command[4])["TableName"] in {t.name for t in design.tables}

    template = json.loads(TARGET.render(design, "cloudformation"))
    assert set(template["Resources"]) == {t.logical_id for t in design.tables}
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,255}", lid) for lid in template["Resources"])
    assert sorted(r["Properties"]["TableName"] for r in template["Resources"].values()) == sorted(
        t.name for t in design.tables
    )
    assert {r["Type"] for r in template["Resources"].values()} == {"AWS::DynamoDB::Table"}

    workbench = TARGET.render(design, "workbench")
    assert workbench.isascii()  # U+2028/U+2029 and every non-ASCII character escaped
    facets = [f["FacetName"] for t in json.loads(workbench)["DataModel"] for f in t["TableFacets"]]
    assert sorted(facets) == sorted(e.key for e in schema.entities)

    human = TARGET.render(design, "human")
    assert len(human.splitlines()) == human.count("\n")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]", human)
    for line in human.splitlines():  # a name can never start a line of its own
        assert line == "" or line.startswith(
            (
                "  ",
                "DynamoDB design",
                "Table ",
                "Entities",
                "Access patterns",
                "Limits",
                "Partition key",
                "Decisions",
                "Diagnostics",
            )
        )


def test_bash_accepts_a_hostile_script():
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    name = "x'; rm -rf / #\n$(id)`id`${HOME}\u2028*/--//\\"
    schema = Schema((Entity(name, (attr("id", "integer"), attr(name, "string", length=5)), primary_key=("id",)),))
    design = TARGET.design(schema, Workload((read("q", name, [name]),)), mode="per-entity", table_name=None)
    script = TARGET.render(design, "aws-cli")
    checked = subprocess.run([bash, "-n"], input=script, text=True, capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr
    _check_script(script, aws_cli_commands(design))


def test_quoting_helpers():
    assert shlex.split(shell_quote("a'b\n$(c)")) == ["a'b\n$(c)"]
    assert inert("a\nb\u2028c\x1b") == "a\\nb\\u2028c\\u001b"
    taken: set[str] = set()
    assert logical_id("order_items", "Table", taken) == ("OrderItemsTable", False)
    assert logical_id("order.items", "Table", taken) == ("OrderItems2Table", False)  # unique, not silently shared
    assert logical_id("ä b", "Table", taken)[1] is True


def test_a_logical_id_that_had_to_change_is_reported():
    schema = Schema(
        (
            Entity("order_items", (attr("id", "integer"),), primary_key=("id",)),
            Entity("order-items", (attr("id", "integer"),), primary_key=("id",)),
        )
    )
    design = TARGET.design(schema, Workload((read("q", "order_items", ["id"]),)), mode="per-entity")
    ids = [t.logical_id for t in design.tables]
    assert len(set(ids)) == 2
    assert [d.code for d in design.diagnostics].count("dynamodb-logical-id") == 1
