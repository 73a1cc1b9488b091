"""Real driver values: rows read back from a live PostgreSQL (samples/ecommerce.sql) become documents that
validate and come back unchanged. Skips when PostgreSQL is unreachable (fails under POLYSCHEMA_REQUIRE_LIVE=1).

This covers what generated rows do not: psycopg's own value types for jsonb (dict), enum (str),
timestamptz (aware datetime), numeric (Decimal) and uuid (UUID), and a self-referencing table.
"""

from __future__ import annotations

import bson
import pytest

from tests.conftest import SAMPLES
from tests.live import postgres_database, require_postgres
from tests.mongodb.cases import INSERTS
from translator.sources import load_schema
from translator.targets.mongodb import TARGET, document_errors, documents_to_rows, rows_to_documents
from translator.workload import load_workload

pytestmark = pytest.mark.live




@pytest.mark.parametrize("uuid_representation", ["binData", "string"])
def test_rows_from_live_postgres_round_trip_through_validated_documents(uuid_representation: str) -> None:
    import psycopg
    from psycopg.rows import dict_row

    params = require_postgres()
    ddl = (SAMPLES / "ecommerce.sql").read_text()
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    design = TARGET.design(
        schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema), uuid_representation=uuid_representation
    )
    with postgres_database(params, ddl) as url:
        with psycopg.connect(url, row_factory=dict_row) as conn:
            for table, columns, values in INSERTS:
                marks = ", ".join(["%s"] * len(columns))
                conn.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
            rows = {e.key: conn.execute(f"SELECT * FROM {e.name}").fetchall() for e in schema.entities}
    assert isinstance(rows["products"][0]["attributes"] or rows["products"][1]["attributes"], dict)  # jsonb -> dict
    documents = rows_to_documents(design, rows)
    stored = {name: [bson.decode(bson.encode(doc)) for doc in docs] for name, docs in documents.items()}
    for coll in design.collections:
        for doc in stored[coll.name]:
            assert document_errors(doc, coll.validator) == [], (coll.name, doc)
    products = {d["_id"]: d for d in stored["products"]}
    assert len(products[100]["reviews_latest"]) == 10  # the subset copy keeps the newest 10 of 15
    assert [i["line_no"] for i in {d["_id"]: d for d in stored["orders"]}[1000]["order_items"]] == [1, 2]
    back = documents_to_rows(design, stored)
    for entity in schema.entities:
        key = lambda r: sorted((k, repr(v)) for k, v in r.items())  # noqa: E731
        assert sorted(back[entity.key], key=key) == sorted(rows[entity.key], key=key), entity.key
