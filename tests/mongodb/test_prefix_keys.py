"""A MySQL key on a column prefix (`uri(190)`) is no candidate key: no target may make it unique."""

from __future__ import annotations

import pytest

from translator.errors import ConnectionProblem
from translator.ingest import ingest_text
from translator.targets import get_target
from translator.targets.mongodb.apply import apply_design
from translator.workload import load_workload

DDL = """
CREATE TABLE pages (id INT PRIMARY KEY, uri VARCHAR(500), site INT,
  UNIQUE KEY uq_uri (uri(190)), UNIQUE KEY uq_site_uri (site, uri(100)), UNIQUE KEY uq_site (site));
"""


def test_a_prefix_unique_key_gets_no_unique_index_but_a_whole_column_key_does() -> None:
    schema = ingest_text(DDL, "mysql")
    design = get_target("mongodb").design(schema, load_workload(None, schema))
    unique = [tuple(i.keys) for c in design.collections for i in c.indexes if i.unique]
    assert all("uri" not in dict(keys) for keys in unique), unique
    assert any(dict(keys) == {"site": 1} for keys in unique), unique
    skipped = [d for d in design.diagnostics if d.code == "mongodb-prefix-unique-skipped"]
    assert len(skipped) == 2 and all(d.lost for d in skipped)


def test_dynamodb_never_takes_a_prefix_key_as_identity() -> None:
    schema = ingest_text("CREATE TABLE notes (uri VARCHAR(500) NOT NULL, body TEXT, UNIQUE KEY (uri(50)));",
                         "mysql")
    design = get_target("dynamodb").design(schema, load_workload(None, schema))
    entity = design.to_dict()["entities"][0]
    assert entity["generated_id"] and "<uri>" not in entity["keys"]["PK"], entity
    assert "dynamodb-generated-id" in {d.code for d in design.diagnostics}


@pytest.mark.parametrize("uri", ["mongo://admin:s3cret@db:27017/", "admin:s3cret@db:27017"])
def test_a_wrong_mongodb_uri_never_echoes_its_password(uri: str) -> None:
    schema = ingest_text(DDL, "mysql")
    design = get_target("mongodb").design(schema, load_workload(None, schema))
    with pytest.raises(ConnectionProblem) as caught:
        apply_design(design, uri)
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)
