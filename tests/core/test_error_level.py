"""The error policy, as in sqlglot: WARN records every error and goes on; RAISE stops at the first."""

from __future__ import annotations

import pytest

from translator.diagnostics import DiagnosticRaised, ErrorLevel, Severity
from translator.errors import PolyschemaError
from translator.sources import load_schema

DDL = "CREATE TABLE a (id INT PRIMARY KEY);\nCRATE TABLE b (id INT);\nCREATE TABLE c (id INT PRIMARY KEY);\n"


def test_warn_keeps_going_and_labels_the_result_partial(tmp_path) -> None:
    path = tmp_path / "s.sql"
    path.write_text(DDL, encoding="utf-8")
    schema = load_schema([str(path)], dialect="postgres")
    assert [e.name for e in schema.entities] == ["a", "c"]
    assert schema.partial and any(d.severity is Severity.ERROR for d in schema.diagnostics)


def test_raise_stops_at_the_first_error_with_a_one_line_domain_error(tmp_path) -> None:
    path = tmp_path / "s.sql"
    path.write_text(DDL, encoding="utf-8")
    with pytest.raises(DiagnosticRaised) as caught:
        load_schema([str(path)], dialect="postgres", error_level=ErrorLevel.RAISE)
    assert isinstance(caught.value, PolyschemaError)
    assert caught.value.diagnostic.line == 2 and "\n" not in str(caught.value)
