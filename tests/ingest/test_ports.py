"""Chinook and Sakila exist in several dialects: every port must give the same entities, columns, keys and
relationships (names compared case-insensitively).

Real differences between the ports, and how they are handled (not by loosening everything):
- Chinook's PostgreSQL port spells names in snake_case (`invoice_line.invoice_line_id`) where the other ports
  use PascalCase (`InvoiceLine.InvoiceLineId`): names are compared with `_` removed.
- Column types differ by design between ports (e.g. Oracle NUMBER vs INTEGER); only the type *kind* of key
  columns is compared, and integer and decimal are one family because Oracle has only NUMBER.
"""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS
from tests.ingest.corpus_util import ingested
from translator.ir import Schema
from translator.types import TypeKind

NUMERIC = {TypeKind.INTEGER, TypeKind.DECIMAL}


def _n(name: str) -> str:
    return name.casefold().replace("_", "")


def shape(schema: Schema) -> dict:
    out = {}
    for entity in schema.entities:
        out[_n(entity.name)] = {
            "columns": [_n(a) for a in entity.attribute_names],
            "primary_key": [_n(c) for c in entity.primary_key],
            "relationships": sorted(
                (
                    tuple(map(_n, r.from_attributes)),
                    _n(schema.entity(r.to_entity).name),
                    tuple(map(_n, r.to_attributes)),
                    str(r.cardinality),
                    r.optional,
                )
                for r in schema.relationships_from(entity.key)
            ),
            "key_kinds": [
                "numeric" if entity.attribute(c).type.kind in NUMERIC else str(entity.attribute(c).type.kind)
                for c in entity.primary_key
            ],
        }
    return out


#: (database, dialect, table, fk columns) -> cardinality in that port, where the port's DDL really differs
PORT_DIFFERENCES = {
    ("sakila", "sqlite", "store", ("managerstaffid",)): "many-to-one",
    ("sakila", "oracle", "store", ("managerstaffid",)): "many-to-one",
}

PORTS = {
    "chinook": ["postgres", "mysql", "sqlite", "tsql", "oracle"],
    "sakila": ["mysql", "sqlite", "oracle"],
}


@pytest.mark.parametrize("database,dialect", [(db, d) for db, ds in PORTS.items() for d in ds[1:]])
def test_port_matches_reference(corpus, database, dialect):
    reference_dialect = PORTS[database][0]
    reference = shape(ingested(CORPUS / reference_dialect / f"{database}.sql"))
    port = shape(ingested(CORPUS / dialect / f"{database}.sql"))
    assert sorted(port) == sorted(reference)
    for (db, d, table, columns), cardinality in PORT_DIFFERENCES.items():
        if (db, d) == (database, dialect):
            reference[table]["relationships"] = sorted(
                (r[0], r[1], r[2], cardinality, r[4]) if r[0] == columns else r
                for r in reference[table]["relationships"]
            )
    for table, expected in reference.items():
        assert port[table] == expected, f"{database}: {dialect} port of {table} differs from {reference_dialect}"
