"""One SOURCE grammar for every command: files, folders of .sql files, `-` for stdin, or a database URL.

This module only dispatches: DDL text goes to `translator.ingest`, database URLs to
`translator.introspect`. Both return the same `Schema`.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Sequence

from translator.errors import SourceError
from translator.ir import Schema

__all__ = ["DATABASE_SCHEMES", "DIALECT_ALIASES", "is_database_url", "check_dialect", "load_schema"]

#: URL schemes that name a live database rather than a file.
DATABASE_SCHEMES = ("postgresql", "postgres", "mysql", "mariadb", "sqlite")

#: other names people give a dialect -> the sqlglot name (`--dialect`, and folder names in ingest)
DIALECT_ALIASES = {"postgresql": "postgres", "pg": "postgres", "mssql": "tsql", "sqlserver": "tsql", "mariadb": "mysql"}


def is_database_url(source: str) -> bool:
    scheme, sep, _ = source.partition("://")
    return bool(sep) and scheme.split("+", 1)[0].lower() in DATABASE_SCHEMES


def check_dialect(dialect: str | None) -> str | None:
    """Return the dialect name sqlglot knows, or raise naming the closest valid one."""
    if dialect is None:
        return None
    from sqlglot.dialects.dialect import Dialects

    names = sorted(d.value for d in Dialects if d.value)
    wanted = dialect.strip().lower()
    wanted = DIALECT_ALIASES.get(wanted, wanted)
    if wanted in names:
        return wanted
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(names)}"
    raise SourceError(f"--dialect {dialect!r} is not a dialect sqlglot reads; {hint}")


def load_schema(
    sources: Sequence[str],
    *,
    dialect: str | None = None,
    infer_relationships: bool = False,
    namespaces: Sequence[str] = (),
    type_overrides: str | Path | None = None,
) -> Schema:
    """The IR of `sources`: DDL files/folders/`-`, or exactly one database URL."""
    if not sources:
        raise SourceError("no SOURCE given; pass a .sql file, a folder of .sql files, '-' for stdin, or a database URL")
    urls = [s for s in sources if is_database_url(s)]
    if urls:
        if len(sources) != 1:
            raise SourceError("a database URL must be the only SOURCE; got " + str(len(sources)) + " sources")
        from translator.introspect import introspect_schema

        return introspect_schema(
            urls[0], namespaces=namespaces, type_overrides=type_overrides, infer_relationships=infer_relationships
        )
    if namespaces:
        raise SourceError("--schema applies to database URLs only; DDL files keep every namespace they define")
    from translator.ingest import ingest_sources

    return ingest_sources(
        sources, dialect=check_dialect(dialect), type_overrides=type_overrides, infer_relationships=infer_relationships
    )
