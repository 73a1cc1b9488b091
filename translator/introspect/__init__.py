"""Live databases -> IR and statistics: PostgreSQL (psycopg 3), MySQL/MariaDB (PyMySQL), SQLite (sqlite3).

Every connection is read-only (a read-only transaction, or SQLite's `mode=ro`) with a statement timeout;
identifiers are quoted and values bound as parameters; the password never appears in output or errors.
Each engine is a module found by name (`ENGINES` in `url.py`): `<engine>.read_schema(...)` and
`<engine>_stats.read_statistics(...)`. See docs/introspection.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from translator.diagnostics import DiagnosticSink
from translator.errors import SourceError
from translator.introspect.url import ConnectionParams, mask_url, parse_url
from translator.ir import Schema
from translator.workload.model import Statistics
from translator.workload.validate import require_schema

__all__ = ["introspect_schema", "gather_statistics", "parse_url", "mask_url", "ConnectionParams"]


def _namespaces(namespaces: Sequence[str]) -> tuple[str, ...]:
    if isinstance(namespaces, str):
        raise TypeError(f"namespaces={namespaces!r} must be a sequence of names, e.g. ({namespaces!r},)")
    cleaned = tuple(n.strip() for n in namespaces)
    for name in cleaned:
        if not name:
            raise SourceError("--schema '' names no schema; pass a schema (namespace) name")
    return cleaned


def introspect_schema(
    url: str,
    *,
    namespaces: Sequence[str] = (),
    type_overrides: str | Path | None = None,
    infer_relationships: bool = False,
) -> Schema:
    """The IR of the live database at `url` (tables of `namespaces`, default: the connection's search path/database)."""
    from translator.typemap import TypeMapper

    params = parse_url(url)
    chosen = _namespaces(namespaces)
    sink = DiagnosticSink()
    engine = importlib.import_module(f"translator.introspect.{params.engine}")
    schema = engine.read_schema(params, chosen, TypeMapper.load(type_overrides), sink)
    if infer_relationships:
        schema = _infer(schema)
    return schema


def gather_statistics(url: str, schema: Schema, *, namespaces: Sequence[str] = (), exact: bool = False) -> Statistics:
    """Row counts, row sizes, foreign-key fan-out and key-column frequencies of `schema`'s tables at `url`."""
    require_schema(schema, "gather_statistics")
    params = parse_url(url)
    engine = importlib.import_module(f"translator.introspect.{params.engine}_stats")
    return engine.read_statistics(params, schema, _namespaces(namespaces), bool(exact))


def _infer(schema: Schema) -> Schema:
    """Inferred relationships come from the ingest layer's rules, so DDL and live sources infer alike."""
    from dataclasses import replace

    from translator.ingest.infer import infer_relationships as infer

    sink = DiagnosticSink()
    inferred = infer(schema.entities, schema.relationships, sink)
    return replace(schema, relationships=schema.relationships + tuple(inferred),
                   diagnostics=schema.diagnostics + tuple(sink))
