"""The human form lists tables, keys, relationships and diagnostics; statistics add row counts."""

from __future__ import annotations

import pytest

from translator.ingest import ingest_text
from translator.render import render_schema_human
from translator.workload.model import EntityStats, Statistics

DDL = """
CREATE TABLE a (id int PRIMARY KEY, code varchar(5) NOT NULL UNIQUE);
CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a(id) ON DELETE CASCADE, x cube);
CREATE TABLE ab (a_id int REFERENCES a(id), b_id int REFERENCES b(id), PRIMARY KEY (a_id, b_id));
CREATE INDEX b_x ON b (a_id) WHERE id > 3;
CREATE VIEW v AS SELECT 1;
"""


def test_human_summary():
    text = render_schema_human(ingest_text(DDL, "postgres", name="demo.sql"))
    assert text.splitlines()[0] == (
        "Schema from demo.sql (dialect postgres): 3 tables, 3 relationships; 0 errors, 1 warnings, 2 notes"
    )
    assert "TABLE a\n" in text and "  unique (code)" in text and "  primary key (a_id, b_id)" in text
    assert "  index b_x (a_id) where id > 3" in text
    assert "  b(a_id) -> a(id)  many-to-one, mandatory, on delete cascade" in text
    assert "  a <-> b via ab" in text
    assert "demo.sql:3: warning[unknown-type]" in text
    assert "1 x skipped-statement" in text and "1 x salvaged-table" in text


def test_statistics_add_row_counts():
    schema = ingest_text(DDL, "postgres")
    stats = Statistics(
        entities={"a": EntityStats(rows=1234, avg_row_bytes=40), "b": EntityStats(rows=10, assumed=True)}
    )
    text = render_schema_human(schema, stats)
    assert "TABLE a  [~1,234 rows, ~40 B/row]" in text
    assert "TABLE b  [~10 rows (assumed)]" in text


def test_partial_is_announced():
    text = render_schema_human(ingest_text("CREATE TABLE ok (id int);\nCREATE TABLE (((;", "postgres"))
    assert "PARTIAL" in text and "error[" in text


def test_statistics_of_the_wrong_type_name_the_argument():
    with pytest.raises(TypeError, match=r"render_schema_human\(statistics=...\) needs .*Statistics or None, got dict"):
        render_schema_human(ingest_text(DDL, "postgres"), {"entities": {}})
