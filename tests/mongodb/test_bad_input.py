"""Bad input: cycles, self-references, oversize embeddings, unknown entities: diagnostics, never a crash."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.mongodb.cases import PERSON_ADDRESSES, decision, design_for
from translator.cli import main
from translator.diagnostics import Severity
from translator.errors import DesignError, MappingError
from translator.targets.mongodb import TARGET
from translator.targets.mongodb.mapping import parse_mapping

CYCLE = """
CREATE TABLE a (a_id bigint PRIMARY KEY, b_id bigint NOT NULL, label varchar(20) NOT NULL);
CREATE TABLE b (b_id bigint PRIMARY KEY, a_id bigint NOT NULL REFERENCES a (a_id), note varchar(20) NOT NULL);
ALTER TABLE a ADD CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (b_id);
"""
CYCLE_WORKLOAD = {
    "version": 1,
    "access_patterns": [
        # a and b reference each other, so a bare `with` is ambiguous: name the foreign key followed
        {"id": "R1", "entity": "a", "with": ["b(fk_b_a_id)"], "equality": ["a_id"], "rate": 100},
        {"id": "R2", "entity": "b", "with": ["a(a_b_fk)"], "equality": ["b_id"], "rate": 40},
    ],
    "statistics": {
        "relationships": {"a.b_id": {"avg": 2, "p99": 5, "max": 10}, "b.a_id": {"avg": 2, "p99": 5, "max": 10}}
    },
}


def test_relationship_cycle_is_cut_with_a_warning() -> None:
    _, _, design = design_for(CYCLE, CYCLE_WORKLOAD)
    a_in_b, b_in_a = decision(design, "a", "b"), decision(design, "b", "a")
    # b is read with a at 100/s, a with b at 40/s: the weaker edge (embedding a in b) is cut
    assert b_in_a.choice == "embed-array"
    assert (a_in_b.choice, a_in_b.rule) == ("reference", "embed-cycle")
    assert "a -> b -> a" in a_in_b.reason or "b -> a -> b" in a_in_b.reason
    assert [d.code for d in design.diagnostics if d.severity is Severity.WARNING] == ["mongodb-embed-cycle"]
    assert [c.name for c in design.collections] == ["a"]


SELF = """
CREATE TABLE employee (
  employee_id bigint PRIMARY KEY,
  manager_id bigint REFERENCES employee (employee_id),
  name varchar(100) NOT NULL
);
"""


def test_self_reference_is_never_embedded() -> None:
    workload = {
        "version": 1,
        "access_patterns": [{"id": "R1", "entity": "employee", "equality": ["manager_id"], "rate": 10}],
        "statistics": {"relationships": {"employee.manager_id": {"avg": 3, "p99": 8, "max": 12}}},
    }
    _, _, design = design_for(SELF, workload)
    d = decision(design, "employee")
    assert (d.choice, d.rule) == ("reference", "self-reference")
    assert [(r.path, r.to_collection) for r in design.collection("employee").references] == [("manager_id", "employee")]
    assert any(x.code == "mongodb-self-reference" for x in design.diagnostics)


HUGE = """
CREATE TABLE folder (folder_id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE attachment (
  attachment_id bigint PRIMARY KEY,
  folder_id bigint NOT NULL REFERENCES folder (folder_id),
  content bytea NOT NULL
);
"""


@pytest.mark.parametrize("avg_row_bytes, embedded", [(2_000_000.0, False), (2_000.0, True)])
def test_embedding_past_the_document_budget_falls_back_to_reference(avg_row_bytes: float, embedded: bool) -> None:
    workload = {
        "version": 1,
        "access_patterns": [
            {"id": "R1", "entity": "folder", "with": ["attachment"], "equality": ["folder_id"], "rate": 100}
        ],
        "statistics": {
            "entities": {"attachment": {"rows": 1000, "avg_row_bytes": avg_row_bytes}},
            "relationships": {"attachment.folder_id": {"avg": 10, "p99": 40, "max": 50}},
        },
    }
    _, _, design = design_for(HUGE, workload)
    d = decision(design, "attachment")
    folder = design.collection("folder")
    if embedded:
        assert d.choice == "embed-array"
        assert folder.estimated_max_document_bytes > 50 * 2_000
    else:
        assert d.rule == "embed-too-large" and d.choice == "reference-with-child-ids"
        assert "over the budget" in d.reason
        warning = next(x for x in design.diagnostics if x.code == "mongodb-embed-too-large")
        assert warning.severity is Severity.WARNING
        # 50 attachments of ~2 MB would be ~100 MB, far beyond 16 MiB: the design must not contain it
        assert not folder.embedded and folder.estimated_max_document_bytes < 16 * 1024 * 1024
    assert not [x for x in design.diagnostics if x.severity is Severity.ERROR]


def test_workload_naming_unknown_entity_exits_2(tmp_path) -> None:
    path = tmp_path / "bad.workload.yaml"
    path.write_text("version: 1\naccess_patterns:\n  - id: Q1\n    entity: custmers\n    equality: [customer_id]\n")
    result = CliRunner().invoke(
        main,
        ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--workload", str(path), "--format", "json"],
    )
    assert result.exit_code == 2, result.output
    assert "custmers" in result.output and "Traceback" not in result.output


def test_design_arguments_are_checked_early_and_named_as_arguments() -> None:
    # Library errors are DesignErrors naming the argument (not a CLI flag); the CLI maps them to flags.
    schema, workload, _ = design_for(PERSON_ADDRESSES, None)
    with pytest.raises(DesignError, match="uuid_representation='hex' is invalid"):
        TARGET.design(schema, workload, uuid_representation="hex")
    with pytest.raises(DesignError, match="database='my.db' is invalid"):
        TARGET.design(schema, workload, database="my.db")
    with pytest.raises(DesignError, match="workload=NoneType"):
        TARGET.design(schema, None)


def test_mapping_with_unknown_canonical_kind_is_a_mapping_error() -> None:
    from translator import mapdata

    data = dict(mapdata.load_mapping("mongodb.toml"))
    data["types"] = {**data["types"], "money": {"bson_type": "decimal", "codec": "decimal128"}}
    with pytest.raises(MappingError, match="money"):
        parse_mapping(data)
    data["types"] = {k: v for k, v in data["types"].items() if k not in ("money", "uuid")}
    with pytest.raises(MappingError, match="uuid"):
        parse_mapping(data)


def test_unique_expression_index_is_skipped_with_a_warning_not_a_crash() -> None:
    ddl = """
    CREATE TABLE editor (editor_id integer PRIMARY KEY, name varchar(64) NOT NULL);
    CREATE UNIQUE INDEX editor_lower_name ON editor (LOWER(name));
    """
    _, _, design = design_for(ddl, None)
    warning = next(d for d in design.diagnostics if d.code == "mongodb-unique-expression-skipped")
    assert warning.severity is Severity.WARNING and "editor" in warning.message and warning.lost
    assert all(not i.unique for i in design.collection("editor").indexes)


def test_bad_database_option_is_a_usage_error_on_the_cli() -> None:
    result = CliRunner().invoke(
        main,
        ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "mongodb", "--database", "my.db", "--format", "mongosh"],
    )
    assert result.exit_code == 2 and "--database 'my.db'" in result.output and "Traceback" not in result.output
