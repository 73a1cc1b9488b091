"""End to end through the real CLI: samples and corpus schemas, with and without a workload."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings

from tests.conftest import CORPUS, SAMPLES, needs_corpus
from translator.cli import main
from translator.diagnostics import Severity
from translator.strategies import workloads
from translator.targets.mongodb import TARGET

CHINOOK = {
    "version": 1,
    "access_patterns": [
        {"id": "A1", "entity": "album", "with": ["track"], "equality": ["album_id"], "rate": 300},
        {"id": "I1", "entity": "invoice", "with": ["invoice_line"], "equality": ["invoice_id"], "rate": 200},
        {
            "id": "I2",
            "entity": "invoice",
            "equality": ["customer_id"],
            "order_by": ["invoice_date desc"],
            "limit": 10,
            "rate": 100,
        },
        {"id": "T1", "entity": "track", "equality": ["track_id"], "rate": 500},
        {"id": "P1", "entity": "playlist", "with": ["track"], "equality": ["playlist_id"], "rate": 50},
    ],
    "statistics": {
        "relationships": {
            "track.album_id": {"avg": 10, "p99": 25, "max": 30},
            "invoice_line.invoice_id": {"avg": 5, "p99": 14, "max": 20},
            "playlist_track.playlist_id": {"avg": 200, "p99": 3000, "max": 4000},
        }
    },
}
NORTHWIND = {
    "version": 1,
    "access_patterns": [
        {"id": "O1", "entity": "orders", "with": ["order_details"], "equality": ["order_id"], "rate": 300},
        {
            "id": "O2",
            "entity": "orders",
            "equality": ["customer_id"],
            "order_by": ["order_date desc"],
            "limit": 20,
            "rate": 100,
        },
        {"id": "P1", "entity": "products", "equality": ["product_id"], "rate": 500},
    ],
    "statistics": {"relationships": {"order_details.order_id": {"avg": 3, "p99": 10, "max": 25}}},
}
SAKILA = {
    "version": 1,
    "access_patterns": [
        {"id": "F1", "entity": "film", "with": ["actor"], "equality": ["film_id"], "rate": 200},
        {"id": "F2", "entity": "actor", "with": ["film"], "equality": ["actor_id"], "rate": 50},
        {
            "id": "R1",
            "entity": "rental",
            "equality": ["customer_id"],
            "order_by": ["rental_date desc"],
            "limit": 10,
            "rate": 100,
        },
        {"id": "C1", "entity": "customer", "with": ["address"], "equality": ["customer_id"], "rate": 100},
    ],
    "statistics": {
        "relationships": {
            "film_actor.film_id": {"avg": 5, "p99": 15, "max": 20},
            "film_actor.actor_id": {"avg": 20, "p99": 60, "max": 100},
        }
    },
}

CASES = [
    pytest.param(SAMPLES / "ecommerce.sql", SAMPLES / "ecommerce.workload.yaml", id="samples/ecommerce.sql"),
    pytest.param(SAMPLES / "saas.sql", SAMPLES / "saas.workload.yaml", id="samples/saas.sql"),
    pytest.param(CORPUS / "postgres" / "pagila.sql", SAKILA, marks=needs_corpus, id="postgres/pagila.sql"),
    pytest.param(CORPUS / "postgres" / "northwind.sql", NORTHWIND, marks=needs_corpus, id="postgres/northwind.sql"),
    pytest.param(CORPUS / "postgres" / "chinook.sql", CHINOOK, marks=needs_corpus, id="postgres/chinook.sql"),
    pytest.param(CORPUS / "mysql" / "sakila.sql", SAKILA, marks=needs_corpus, id="mysql/sakila.sql"),
]


def _run(args: list[str]) -> Any:
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _workload_file(workload: Any, tmp_path: Path) -> str:
    if isinstance(workload, Path):
        return str(workload)
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump(workload))
    return str(path)


@pytest.mark.parametrize("with_workload", [True, False], ids=["workload", "no-workload"])
@pytest.mark.parametrize("source, workload", CASES)
def test_translate_json_has_no_errors_and_every_decision_is_explained(
    source: Path, workload: Any, with_workload: bool, tmp_path: Path
) -> None:
    args = ["translate", str(source), "--to", "mongodb", "--format", "json"]
    if with_workload:
        args += ["--workload", _workload_file(workload, tmp_path)]
    result = _run(args)
    assert result.exit_code == 0, result.output[-2000:]
    design = json.loads(result.output)
    assert [d for d in design["diagnostics"] if d["severity"] == "error"] == []
    assert design["decisions"] and all(d["rule"] and d["reason"] for d in design["decisions"])
    # format_version 2: the shared envelope (targets/record.py) replaces "format" and "workload_assumed"
    assert list(design) == [
        "target",
        "format_version",
        "assumed",
        "options",
        "collections",
        "decisions",
        "access_patterns",
        "tenancy",
        "diagnostics",
    ]
    assert design["format_version"] == 2
    assert all(set(d) == {"subject", "choice", "rule", "reason", "numbers", "assumed"} for d in design["decisions"])
    for coll in design["collections"]:
        assert coll["validator"]["$jsonSchema"]["bsonType"] == "object"
        assert coll["shard_key_candidates"], coll["name"]
    assert ("workload" in design["assumed"]) is (not with_workload)


def test_sample_expert_answers_through_the_cli() -> None:
    result = _run(
        [
            "translate",
            str(SAMPLES / "ecommerce.sql"),
            "--to",
            "mongodb",
            "--workload",
            str(SAMPLES / "ecommerce.workload.yaml"),
            "--format",
            "json",
        ]
    )
    design = json.loads(result.output)
    choices = {d["subject"]: d["choice"] for d in design["decisions"]}
    assert choices["fk_order_items_order_id"] == "embed-array"  # read with the order, max 100 lines
    assert choices["fk_reviews_product_id"] == "subset"  # Q6: the latest 10 reviews
    assert choices["fk_categories_parent_id"] == "reference"  # self-reference
    assert choices["fk_addresses_customer_id"] == "embed-array"  # Q7: all of a customer's (<= 10) addresses
    q7 = next(p for p in design["access_patterns"] if p["id"] == "Q7")
    assert q7["collection"] == "customers" and q7["query"]["filter"] == {"_id": "<customer_id>"}
    q6 = next(p for p in design["access_patterns"] if p["id"] == "Q6")
    assert q6["collection"] == "products"


def test_mongosh_and_human_formats() -> None:
    base = [
        "translate",
        str(SAMPLES / "saas.sql"),
        "--to",
        "mongodb",
        "--workload",
        str(SAMPLES / "saas.workload.yaml"),
    ]
    script = _run(base + ["--format", "mongosh", "--shard-collections", "--database", "tracker"]).output
    assert 'db.getSiblingDB("tracker")' in script
    assert script.count('"create":') == 6 and '"createIndexes": "issues"' in script
    assert '"shardCollection": "tracker.issues"' in script
    human = _run(base).output
    assert "Decisions" in human and "subset-latest-n" in human and "shard key candidate" in human


def test_uuid_representation_option_changes_the_validator() -> None:
    base = ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--format", "json"]
    for option, expected in (("binData", "binData"), ("string", "string")):
        design = json.loads(_run(base + ["--uuid-representation", option]).output)
        payments = next(c for c in design["collections"] if c["name"] == "payments")
        assert payments["validator"]["$jsonSchema"]["properties"]["_id"]["bsonType"] == expected


def test_unknown_format_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        main, ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--format", "cql"]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output


@settings(max_examples=15)
@given(data=__import__("hypothesis").strategies.data())
@needs_corpus
def test_generated_workloads_on_chinook_never_give_errors(data: Any) -> None:
    schema = _chinook()
    workload = data.draw(workloads(schema))
    design = TARGET.design(schema, workload)
    assert not [d for d in design.diagnostics if d.severity is Severity.ERROR]
    assert all(d.rule and d.reason for d in design.decisions)


_CACHE: dict[str, Any] = {}


def _chinook() -> Any:
    if "chinook" not in _CACHE:
        from translator.sources import load_schema

        _CACHE["chinook"] = load_schema([str(CORPUS / "postgres" / "chinook.sql")])
    return _CACHE["chinook"]


#: Refusals that are the simulator's to fix (reported to it), not the target's: a key attribute the
#: simulator's workload reader does not know yet, and YAML numbers like 1.0e5 it reads as text.
SIMULATOR_GAPS = (re.compile(r"unknown field"), re.compile(r"invalid literal for int\(\)"))
SIMULATE_CASES = [
    (SAMPLES / "ecommerce.sql", SAMPLES / "ecommerce.workload.yaml"),
    (SAMPLES / "saas.sql", SAMPLES / "saas.workload.yaml"),
    # the corpus cases only where the shared corpus is (the sample cases run in a fresh clone too)
    *(
        [(CORPUS / "postgres" / "chinook.sql", None), (CORPUS / "mysql" / "sakila.sql", None)]
        if CORPUS.is_dir()
        else []
    ),
]


def test_every_printed_simulate_command_runs_as_printed() -> None:
    """Issue 10/13: each `polyschema simulate` line of the human output runs; keys name entity attributes."""
    gaps, ran = [], 0
    for source, workload in SIMULATE_CASES:
        args = ["translate", str(source), "--to", "mongodb"] + (["--workload", str(workload)] if workload else [])
        human = _run(args).output
        commands = [
            shlex.split(line.strip()) for line in human.splitlines() if line.strip().startswith("polyschema simulate")
        ]
        assert commands, human[-2000:]
        for command in commands:
            key = command[command.index("--key") + 1]
            assert "_id" not in {part.removeprefix("hashed(").removesuffix(")") for part in key.split(",")}
            # --rows only bounds the test's time; every printed argument is passed as printed.
            result = CliRunner().invoke(main, [*command[1:], "--rows", "3000"])
            ran += 1
            if result.exit_code in (0, 1):  # 1: the simulator found an alarm: a finding, not a refusal
                continue
            text = result.output + (repr(result.exception) if result.exception else "")
            assert any(p.search(text) for p in SIMULATOR_GAPS), (command, text[-600:])
            gaps.append(" ".join(command))
    assert ran >= 20
    if gaps:
        pytest.xfail(f"{len(gaps)} of {ran} commands refused by known simulator gaps, e.g. {gaps[0]}")
