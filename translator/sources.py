"""One SOURCE grammar for every command: files, folders of .sql files, `-` for stdin, or a database URL.

This module only dispatches: DDL text goes to `translator.ingest`, database URLs to
`translator.introspect`. Both return the same `Schema`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from translator.diagnostics import ErrorLevel
from translator.dialects import DIALECT_ALIASES, check_dialect
from translator.errors import SourceError
from translator.ir import Schema

__all__ = ["DATABASE_SCHEMES", "DIALECT_ALIASES", "is_database_url", "looks_like_url", "check_dialect",
           "load_schema"]

#: URL schemes that name a live database rather than a file.
DATABASE_SCHEMES = ("postgresql", "postgres", "mysql", "mariadb", "sqlite")

def is_database_url(source: str) -> bool:
    scheme, sep, _ = source.partition("://")
    return bool(sep) and scheme.split("+", 1)[0].lower() in DATABASE_SCHEMES


#: `scheme://...`, or `user:password@host...` without a scheme: a SOURCE meant as a connection, not a path
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\\@:\s]+:[^/\\@\s]*@")


def looks_like_url(source: str) -> bool:
    """True for anything written like a connection string (any scheme, or `user:pass@host` with none)."""
    return bool(_URL_LIKE.match(source))


def load_schema(
    sources: Sequence[str],
    *,
    dialect: str | None = None,
    infer_relationships: bool = False,
    namespaces: Sequence[str] = (),
    type_overrides: str | Path | None = None,
    error_level: ErrorLevel = ErrorLevel.WARN,
) -> Schema:
    """The IR of `sources`: DDL files/folders/`-`, or exactly one database URL.

    `error_level` is the error policy for DDL files, as in sqlglot: `ErrorLevel.WARN` (the default) records
    each error-level diagnostic and goes on, so a partial result is labelled partial; `ErrorLevel.RAISE`
    raises `DiagnosticRaised` at the first one.
    """
    if not sources:
        raise SourceError("no SOURCE given; pass a .sql file, a folder of .sql files, '-' for stdin, or a database URL")
    from translator.urls import mask_credentials

    for source in sources:
        if looks_like_url(source) and not is_database_url(source) and not Path(source).exists():
            scheme = source.partition("://")[0] if "://" in source else None
            what = f"database URL scheme {scheme!r} is not supported" if scheme else "looks like a database URL without a scheme"
            raise SourceError(f"SOURCE {mask_credentials(source)!r}: {what}; use {', '.join(s + '://' for s in DATABASE_SCHEMES)}"
                              " or a DDL file")
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
        sources, dialect=check_dialect(dialect), type_overrides=type_overrides, infer_relationships=infer_relationships,
        error_level=error_level,
    )
