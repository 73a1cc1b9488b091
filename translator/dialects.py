"""Dialect names: the aliases people use and the check against the dialects sqlglot reads.

A leaf module (it imports nothing of the translator but errors), so that `sources` and `ingest` can both
use it without importing each other.
"""

from __future__ import annotations

import difflib

from translator.errors import SourceError

__all__ = ["DIALECT_ALIASES", "check_dialect"]

#: other names people give a dialect -> the sqlglot name (`--dialect`, and folder names in ingest)
DIALECT_ALIASES = {"postgresql": "postgres", "pg": "postgres", "mssql": "tsql", "sqlserver": "tsql", "mariadb": "mysql"}


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
    raise SourceError(f"dialect={dialect!r} is not a dialect sqlglot reads; {hint}")
