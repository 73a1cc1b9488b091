"""`apply`: the exact commands, sent through pymongo's API to a recording client (no server runs here)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.mongodb.cases import PERSON_TASKS, PERSON_TASKS_WORKLOAD, design_for
from translator.cli import main
from translator.errors import ConnectionProblem
from translator.targets.mongodb import TARGET


class Recorder:
    """Stands in for pymongo.MongoClient: records every call apply makes, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.admin = self

    def __getitem__(self, name: str) -> Recorder:
        self.calls.append(("db-or-collection", name))
        return self

    def create_collection(self, name: str, **kwargs: Any) -> None:
        self.calls.append(("create_collection", name, kwargs))

    def create_index(self, keys: list[tuple[str, Any]], **kwargs: Any) -> None:
        self.calls.append(("create_index", keys, kwargs))

    def command(self, document: dict[str, Any]) -> None:
        self.calls.append(("admin", document))


def test_apply_sends_collections_validators_indexes_and_sharding() -> None:
    _, _, design = design_for(PERSON_TASKS, PERSON_TASKS_WORKLOAD, shard_collections=True, database="work")
    client = Recorder()
    log = TARGET.apply(design, "mongodb://example.invalid:27017/", client=client)
    creates = [c for c in client.calls if c[0] == "create_collection"]
    assert [c[1] for c in creates] == ["person", "task"]
    person = design.collection("person")
    assert creates[0][2] == {"validator": person.validator, "validationLevel": "strict", "validationAction": "error"}
    admin = [c[1] for c in client.calls if c[0] == "admin"]
    assert admin[0] == {"enableSharding": "work"}
    assert admin[1] == {"shardCollection": "work.person", "key": dict(person.shard_key_candidates[0].keys)}
    assert client.calls[0] == ("db-or-collection", "work")
    assert len(log) == len(TARGET.apply_commands(design))


def test_apply_creates_each_planned_index_with_its_options() -> None:
    from tests.mongodb.cases import PRODUCT_PARTS, PRODUCT_PARTS_WORKLOAD

    _, _, design = design_for(PRODUCT_PARTS, PRODUCT_PARTS_WORKLOAD)
    client = Recorder()
    TARGET.apply(design, "mongodb://example.invalid/", client=client)
    sent = [(c[1], c[2]) for c in client.calls if c[0] == "create_index"]
    planned = [
        (list(i.keys), {"name": i.name, **({"unique": True} if i.unique else {})})
        for c in design.collections
        for i in c.indexes
    ]
    assert sent == planned and ([("part_no", 1)], {"name": "part_no_1", "unique": True}) in sent


def test_apply_refuses_a_non_mongodb_uri() -> None:
    _, _, design = design_for(PERSON_TASKS, PERSON_TASKS_WORKLOAD)
    with pytest.raises(ConnectionProblem, match="postgresql://x"):
        TARGET.apply(design, "postgresql://x", client=Recorder())


def test_cli_dry_run_prints_the_commands_and_connects_to_nothing() -> None:
    args = [
        "apply",
        "--to",
        "mongodb",
        "mongodb://nowhere.invalid:1/",
        str(SAMPLES / "ecommerce.sql"),
        "--workload",
        str(SAMPLES / "ecommerce.workload.yaml"),
        "--dry-run",
        "--format",
        "json",
    ]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    commands = json.loads(result.output)
    from translator.sources import load_schema
    from translator.workload import load_workload

    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    design = TARGET.design(schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema))
    assert commands == json.loads(json.dumps(TARGET.apply_commands(design), default=str))
    assert [c["command"]["create"] for c in commands if "create" in c["command"]] == [
        c.name for c in design.collections
    ]
    assert "addresses" not in [c.name for c in design.collections]  # embedded in customers (Q7, at most 10)
    human = CliRunner().invoke(main, args[:-2], catch_exceptions=False).output
    assert human.count('{"create": ') == len(design.collections)


def test_cli_apply_to_a_target_without_apply_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["apply", "--to", "nosuchdb", "mongodb://x/", str(SAMPLES / "ecommerce.sql")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_refused_command_is_a_one_line_apply_error_naming_the_step() -> None:
    from pymongo.errors import CollectionInvalid

    from translator.targets.mongodb.apply import ApplyError

    class Refusing(Recorder):
        def create_collection(self, name: str, **kwargs: Any) -> None:
            if name == "task":
                raise CollectionInvalid("collection task already exists")
            super().create_collection(name, **kwargs)

    _, _, design = design_for(PERSON_TASKS, PERSON_TASKS_WORKLOAD)
    with pytest.raises(ApplyError, match="collection task already exists") as info:
        TARGET.apply(design, "mongodb://user:secret@db.example:27017/", client=Refusing())
    message = str(info.value)
    assert "secret" not in message and "db.example:27017" in message and "\n" not in message
    before = next(i for i, step in enumerate(TARGET.apply_commands(design)) if step["command"].get("create") == "task")
    assert f"collection task with its $jsonSchema validator failed after {before} step(s)" in message
