"""Every corpus file ingests without loss; where the engine's catalog is known (truth/), the IR matches it."""

from __future__ import annotations

import pytest

from tests.conftest import corpus_params
from tests.ingest.corpus_util import (
    CORPUS_FILES,
    corpus_id,
    create_table_names,
    ingested,
    ir_tables,
    truth_for,
    truth_tables,
)
from translator.diagnostics import Severity

#: truth/README.md: tables the engine could not create here (missing extensions); the IR is right to have them.
ENGINE_COULD_NOT_CREATE = {
    "postgres/lago_saas": {"template_public_enriched_events"},
    "postgres/openstreetmap": {"moderation_zones"},
}

TRUTH_FILES = [p for p in CORPUS_FILES if truth_for(p) is not None]
NO_TRUTH_FILES = [p for p in CORPUS_FILES if truth_for(p) is None]


def test_corpus_is_present(corpus):
    assert len(CORPUS_FILES) >= 25, f"expected the 25-file shared corpus under {corpus}"


@pytest.mark.parametrize("path", corpus_params(CORPUS_FILES, corpus_id))
def test_no_error_diagnostics(path):
    schema = ingested(path)
    errors = [str(d) for d in schema.diagnostics if d.severity is Severity.ERROR]
    assert errors == []
    assert not schema.partial
    assert schema.entities


@pytest.mark.parametrize("path", corpus_params(TRUTH_FILES, corpus_id))
def test_matches_engine_truth(path):
    truth = truth_tables(truth_for(path))
    ir = ir_tables(ingested(path))
    extra = ENGINE_COULD_NOT_CREATE.get(corpus_id(path), set())
    assert set(ir) - extra == set(truth), "same tables as the engine created"
    for name, expected in truth.items():
        got = ir[name]
        assert got["columns"] == expected["columns"], f"{name}: columns in order"
        assert got["primary_key"] == expected["primary_key"], f"{name}: primary key"
        # SQLite accepts (and its pragma lists) foreign keys to tables that do not exist; a relationship needs
        # both ends, so those stay out of the IR and are reported as `unresolved-reference` warnings instead.
        wanted = [fk for fk in expected["foreign_keys"] if fk[1] in truth]
        assert got["foreign_keys"] == wanted, f"{name}: foreign keys"


@pytest.mark.parametrize("path", corpus_params([p for p in CORPUS_FILES if p.parent.name == "sqlite"], corpus_id))
def test_dangling_sqlite_references_are_reported(path):
    truth = truth_tables(truth_for(path))
    dangling = sum(1 for t in truth.values() for fk in t["foreign_keys"] if fk[1] not in truth)
    reported = [d for d in ingested(path).diagnostics if d.code == "unresolved-reference"]
    assert len(reported) == dangling


@pytest.mark.parametrize("path", corpus_params(CORPUS_FILES, corpus_id))
def test_every_create_table_becomes_an_entity(path):
    schema = ingested(path)
    expected = create_table_names(path, schema.dialect)
    assert expected, "the regex found CREATE TABLE statements"
    got = {e.name.casefold() for e in schema.entities}
    assert sorted(set(expected) - got) == []
    assert len(schema.entities) == len(set(expected))
