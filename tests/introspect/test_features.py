"""Column and key features beyond the corpus files: enums, identity, generated columns, comments, indexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.introspect.shape import innodb_default, shape
from tests.live import mariadb_database, postgres_database, require_mariadb, require_postgres
from translator.ingest import ingest_text
from translator.introspect import introspect_schema
from translator.ir import ReferentialAction
from translator.types import TypeKind

HERE = Path(__file__).parent
pytestmark = pytest.mark.live


def test_postgres_features():
    params = require_postgres()
    text = (HERE / "features_postgres.sql").read_text()
    with postgres_database(params, text) as url:
        live = introspect_schema(url)
    assert shape(live) == shape(ingest_text(text, "postgres"))
    people, notes = live.entity("people"), live.entity("notes")
    assert people.comment == "Everyone" and people.attribute("email").comment == "login"
    assert people.attribute("id").identity and notes.attribute("id").identity and notes.attribute("id").default is None
    feeling = people.attribute("feeling").type
    assert (feeling.kind, feeling.values, feeling.name) == (TypeKind.ENUM, ("sad", "ok", "happy"), "mood")
    assert people.attribute("height_in").generated and people.attribute("height_in").default is None
    assert [c.expression for c in people.checks] == ["height_cm > 0::numeric"]
    indexes = {i.name: i for i in notes.indexes}
    assert indexes["notes_live"].unique and indexes["notes_live"].predicate == "NOT deleted"
    assert indexes["notes_lower"].columns == ("lower(body)",)
    assert live.relationships[0].on_delete is ReferentialAction.CASCADE


def test_postgres_namespaces(tmp_path):
    params = require_postgres()
    text = (
        "CREATE SCHEMA sales; CREATE TABLE customers (id int PRIMARY KEY); "
        "CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id));"
    )
    with postgres_database(params, text, strip=False) as url:
        default = introspect_schema(url)
        both = introspect_schema(url, namespaces=("public", "sales"))
        sales = introspect_schema(url, namespaces=("sales",))
    assert [e.key for e in default.entities] == ["customers"]
    assert [e.key for e in both.entities] == ["customers", "sales.orders"]
    assert [(r.from_entity, r.to_entity) for r in both.relationships] == [("sales.orders", "customers")]
    # The parent lives outside the namespaces read: the relationship is reported lost, not silently dropped.
    assert not sales.relationships and [d.code for d in sales.diagnostics] == ["relationship-outside-schema"]


def test_mariadb_features():
    params = require_mariadb()
    text = (HERE / "features_mariadb.sql").read_text()
    with mariadb_database(params, text) as url:
        live = introspect_schema(url)
    assert shape(live, action=innodb_default) == shape(ingest_text(text, "mysql"), action=innodb_default)
    people = live.entity("people")
    assert people.comment == "Everyone" and people.attribute("email").comment == "login"
    assert people.attribute("id").identity and live.entity("notes").attribute("id").identity
    assert people.attribute("feeling").type.values == ("sad", "ok", "happy")
    perks = people.attribute("perks").type
    assert perks.kind is TypeKind.ARRAY and perks.element.values == ("tea", "cake")
    assert people.attribute("height_in").generated == "`height_cm` / 2.54"
    assert people.unique_keys == (("email",),)
    assert [c.expression for c in people.checks] == ["`height_cm` > 0"]
    assert live.relationships[0].on_delete is ReferentialAction.CASCADE
    # MariaDB keeps JSON as LONGTEXT with a CHECK (json_valid(`doc`)); the reader gives back the JSON type.
    notes = live.entity("notes")
    assert notes.attribute("doc").type.kind is TypeKind.JSON and not notes.checks
