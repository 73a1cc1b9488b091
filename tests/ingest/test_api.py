"""The library entry points validate their arguments early, with messages that name the argument and the fix."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from translator.errors import MappingError, SourceError
from translator.ingest import ingest_sources, ingest_text


def test_a_single_string_is_refused():
    with pytest.raises(SourceError, match="list of paths.*wrap it in a list"):
        ingest_sources(str(SAMPLES / "saas.sql"))


def test_no_sources():
    with pytest.raises(SourceError, match="no SOURCE given"):
        ingest_sources([])


def test_bad_dialect_names_the_closest():
    with pytest.raises(SourceError, match="did you mean 'tsql'"):
        ingest_sources([str(SAMPLES / "saas.sql")], dialect="tsq")


def test_missing_types_file():
    with pytest.raises(MappingError, match="nope.toml.*does not exist"):
        ingest_sources([str(SAMPLES / "saas.sql")], type_overrides="nope.toml")


def test_ingest_text_needs_text():
    with pytest.raises(SourceError, match="needs a str"):
        ingest_text(b"CREATE TABLE t (x int);", "postgres")
    with pytest.raises(SourceError, match="<string>: text is empty"):
        ingest_text("  ", "postgres")


def test_ingest_text_names_its_source_in_diagnostics():
    schema = ingest_text("CREATE TABLE t (x cube);", "postgres", name="inline.sql")
    assert schema.sources == ("inline.sql",)
    assert {d.file for d in schema.diagnostics} == {"inline.sql"}


def test_samples_ingest_cleanly():
    for sample in ("saas.sql", "ecommerce.sql"):
        schema = ingest_sources([str(SAMPLES / sample)])
        assert schema.dialect == "postgres" and not schema.partial
        assert not [d for d in schema.diagnostics if d.severity != "info"]


def test_a_file_of_views_only_is_not_refused(tmp_path):
    (tmp_path / "1_tables.sql").write_text("CREATE TABLE t (id int PRIMARY KEY);")
    (tmp_path / "2_views.sql").write_text("CREATE VIEW v AS SELECT id FROM t;")
    schema = ingest_sources([str(tmp_path)], dialect="postgres")
    assert [e.name for e in schema.entities] == ["t"]
    [warning] = [d for d in schema.diagnostics if d.code == "no-tables"]
    assert warning.file.endswith("2_views.sql")
