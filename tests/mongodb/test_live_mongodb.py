"""Opt-in: apply a design to a real MongoDB and let the server's own $jsonSchema check the documents.

No MongoDB runs on the build machine, so this skips unless POLYSCHEMA_MONGODB_URI names a server
(e.g. mongodb://localhost:27017/). MongoDB is not one of the servers POLYSCHEMA_REQUIRE_LIVE=1 demands.
"""

from __future__ import annotations

import os
import uuid

import pytest

from tests.conftest import SAMPLES
from tests.mongodb.cases import INSERTS
from translator.sources import load_schema
from translator.targets.mongodb import TARGET, documents_to_rows, rows_to_documents
from translator.workload import load_workload

pytestmark = pytest.mark.live
URI_ENV = "POLYSCHEMA_MONGODB_URI"


def test_apply_then_insert_documents_the_server_accepts() -> None:
    uri = os.environ.get(URI_ENV)
    if not uri:
        pytest.skip(f"set {URI_ENV}=mongodb://host:port/ to run against a live MongoDB (none runs here)")
    import pymongo

    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    database = f"polyschema_t_{uuid.uuid4().hex[:10]}"
    design = TARGET.design(schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema), database=database)
    rows = {table: [dict(zip(columns, values, strict=False)) for values in rows] for table, columns, rows in INSERTS}
    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
    try:
        TARGET.apply(design, uri, client=client)
        db = client[database]
        documents = rows_to_documents(design, rows)
        for name, docs in documents.items():
            if docs:
                db[name].insert_many(docs)  # the server's validator (validationAction "error") must accept each
        stored = {name: list(db[name].find()) for name in documents}
        back = documents_to_rows(design, stored)
        for entity in schema.entities:
            assert len(back[entity.key]) == len(rows.get(entity.name, [])), entity.key
    finally:
        client.drop_database(database)
        client.close()
