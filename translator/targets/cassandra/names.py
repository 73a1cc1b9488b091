"""CQL identifiers: quote reserved or invalid names, keep table names within Cassandra's limit.

Cassandra folds unquoted identifiers to lower case, so a source name such as `OrderItems` would not
survive unquoted; such names are lower-cased (a rename) and reported, while names that cannot be
written unquoted at all (reserved words, spaces) are quoted.
"""

from __future__ import annotations

import hashlib
import re

from translator.diagnostics import DiagnosticSink
from translator.targets.cassandra.mapping import rules
from translator.targets.common import unique_name

__all__ = ["quote", "column_name", "table_name", "NameSpace"]


def quote(name: str) -> str:
    """`name` as it must be written in CQL: bare when it is a valid unreserved lower-case identifier."""
    r = rules()
    if r.unquoted_pattern.match(name) and name not in r.reserved:
        return name
    return '"' + name.replace('"', '""') + '"'


def column_name(raw: str, sink: DiagnosticSink, subject: str) -> str:
    """A column name for `raw`: lower-cased when only case is the problem (renamed, with a diagnostic)."""
    r = rules()
    lowered = raw.lower()
    if raw != lowered and r.unquoted_pattern.match(lowered):
        sink.info("cassandra-renamed", f"{subject}: column {raw!r} renamed {lowered!r} (CQL folds unquoted names to lower case)",
                  subject=subject)
        raw = lowered
    if quote(raw) != raw:
        sink.info("cassandra-quoted", f"{subject}: column {raw!r} is reserved or not a plain identifier; it is quoted as {quote(raw)}",
                  subject=subject)
    return raw


def table_name(raw: str, sink: DiagnosticSink, subject: str) -> str:
    """A lower-case identifier of at most `max_table_name` characters (cut names get a stable hash suffix)."""
    r = rules()
    cleaned = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "t"
    if not cleaned[0].isalpha():
        cleaned = "t_" + cleaned
    if len(cleaned) > r.max_table_name:
        digest = hashlib.sha1(cleaned.encode()).hexdigest()[:6]
        short = cleaned[: r.max_table_name - 7].rstrip("_") + "_" + digest
        sink.info("cassandra-table-name-shortened",
                  f"{subject}: table name {cleaned!r} exceeds {r.max_table_name} characters; using {short!r}", subject=subject)
        cleaned = short
    return cleaned


class NameSpace:
    """Hands out names unique within one scope (a table's columns, the keyspace's tables)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, wanted: str) -> str:
        name = unique_name(wanted, self._used)
        self._used.add(name)
        return name
