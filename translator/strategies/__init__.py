"""Hypothesis strategies for property tests: valid schemas, rows that satisfy them, and workloads.

    from hypothesis import given
    from translator.strategies import rows_for, schemas

    @given(schemas(max_entities=4).flatmap(lambda s: rows_for(s).map(lambda rows: (s, rows))))
    def test_round_trip(case):
        schema, rows = case
        ...

Everything generated is valid in PostgreSQL, MySQL/MariaDB, SQLite, SQL Server and Oracle at once, so a
property can move the same schema and rows through any dialect or target:

- names are lowercase ASCII identifiers (`[a-z][a-z0-9]*(_[a-z0-9]+)*`, at most 10 characters) that
  no round-trip dialect reserves (sqlglot's tokenizer keywords plus `[identifiers] reserved` in
  `mappings/widening.toml`) and never contain `__`, which is kept for constraint names (`fk__...`);
- values are exact in BSON, CQL and DynamoDB: timestamps have millisecond precision (UTC-aware when
  the type has a time zone) and lie in 1970-01-02..2038-01-18 (MySQL TIMESTAMP's range), dates in
  1000..9999, strings are never empty (Oracle stores '' as NULL) and key strings are ASCII letters,
  digits, `-` and `_` so key uniqueness does not depend on a collation;
- keys are unique the strictest way any engine compares them: case-insensitively, ignoring trailing
  spaces, and with NULL equal to NULL (SQL Server's UNIQUE).
"""

from translator.strategies._paths import path_workloads
from translator.strategies._rows import rows_for
from translator.strategies._schemas import schemas
from translator.strategies._types import (
    KEY_KINDS,
    ROUND_TRIP_DIALECTS,
    SUPPORTED_KINDS,
    canonical_types,
    identifiers,
    key_of,
    reserved_words,
    values_for,
)
from translator.strategies._workloads import workloads

__all__ = [
    "SUPPORTED_KINDS",
    "KEY_KINDS",
    "ROUND_TRIP_DIALECTS",
    "reserved_words",
    "identifiers",
    "canonical_types",
    "values_for",
    "schemas",
    "rows_for",
    "workloads",
    "path_workloads",
    "key_of",
]
