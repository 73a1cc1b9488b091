"""Check generated CQL with real parsers: cqlsh's grammar (cqlshlib.cql3handling) for statements,
cassandra-driver's type registry for type names and its name protection for identifiers.

No Cassandra server runs here, so this is the strongest check available: the grammar cqlsh uses to
split and complete statements. It is stricter than Cassandra in two places the generator follows:
a one-column partition key is written without its own parentheses, and UDTs are only referenced
inside frozen collections.
"""

from __future__ import annotations

import re

import pytest

try:
    from cqlshlib.cql3handling import CqlRuleSet
except ImportError:  # pragma: no cover - the test extra installs cqlsh
    pytest.fail(
        "cqlsh is not installed; run `pip install -e '.[test]'` (tests/cassandra parse CQL with cqlshlib)",
        pytrace=False,
    )

import cassandra.cqltypes as cqltypes
from cassandra.metadata import maybe_escape_name

from translator.targets.cassandra.model import CassandraDesign

__all__ = ["statement_failures", "table_failures", "type_failures", "name_failures", "bind_literals"]


def statement_failures(text: str) -> list[str]:
    """Statements of `text` cqlsh's grammar does not accept as a whole (an empty list when all parse)."""
    statements, incomplete = CqlRuleSet.cql_split_statements(text)
    failures = ["unterminated statement at the end"] if incomplete else []
    for tokens in statements:
        if not tokens:
            continue
        if CqlRuleSet.cql_whole_parse_tokens(tokens, srcstr=text, startsymbol="CQL_Statement") is None:
            start, end = tokens[0][2][0], tokens[-1][2][1]
            failures.append(text[start:end])
    return failures


def bind_literals(query: str) -> str:
    """cqlsh's grammar has no bind markers: give each `?` a literal so a prepared query can be parsed."""
    return re.sub(r"\bIN \?", "IN (0)", query).replace("?", "0")


_TYPE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def type_failures(design: CassandraDesign) -> list[str]:
    """Column and UDT field types naming neither a CQL type cassandra-driver knows nor a UDT of the design."""
    known = set(cqltypes._cqltypes) | {u.name for u in design.udts}
    out = []
    for owner, column in [(t.name, c) for t in design.tables for c in t.columns] + [
        (u.name, f) for u in design.udts for f in u.fields
    ]:
        for word in _TYPE_WORD.findall(column.type):
            if word not in known:
                out.append(f"{owner}.{column.name}: {column.type}")
    return out


def name_failures(design: CassandraDesign, cql_text: str) -> list[str]:
    """Identifiers the generated CQL writes differently from cassandra-driver's `maybe_escape_name`."""
    out = []
    names = [
        design.keyspace.name,
        *(t.name for t in design.tables),
        *(c.name for t in design.tables for c in t.columns),
    ]
    for name in names:
        escaped = maybe_escape_name(name)
        if escaped != name and escaped not in cql_text:
            out.append(f"{name} should be written {escaped}")
    return out


def table_failures(design: CassandraDesign, chunk: int = 3) -> list[str]:
    """Each table's CREATE TABLE, as rendered, parsed with its key columns plus `chunk` other columns at a time.

    cqlshlib's backtracking parser takes time exponential in the column count (13 columns: ~20 s), so
    every column definition is parsed in a statement holding all key columns, the PRIMARY KEY and WITH
    clauses, and a few of the other columns; together the statements cover every column.
    """
    from dataclasses import replace

    from translator.targets.cassandra.cql import table_cql

    out = []
    for table in design.tables:
        keys = [c for c in table.columns if c.name in table.primary_key]
        others = [c for c in table.columns if c.name not in table.primary_key]
        groups = [others[i : i + chunk] for i in range(0, len(others), chunk)] or [[]]
        for group in groups:
            names = {c.name for c in group}
            part = replace(table, columns=tuple(keys + group), static=tuple(s for s in table.static if s in names))
            out += statement_failures(table_cql(design.keyspace.name, part))
    return out
