"""CQL names: which source names are renamed, quoted or replaced, and table names within Cassandra's limit.

Cassandra folds unquoted identifiers to lower case, so a source name such as `OrderItems` would not
survive unquoted; such names are lower-cased (a rename) and reported, while names that cannot be
written unquoted at all (reserved words, spaces, quotes) are quoted by `cqltext.identifier`. Control
characters and line separators could be quoted, but no driver, cqlsh listing or log would show them
intact: they are replaced by `_`, with a diagnostic.
"""

from __future__ import annotations

import hashlib
import re

from translator.diagnostics import DiagnosticSink
from translator.targets.cassandra.cqltext import identifier, printable
from translator.targets.cassandra.mapping import rules
from translator.targets.common import unique_name

__all__ = ["column_name", "table_name", "NameSpace"]

_UNQUOTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")


def column_name(raw: str, sink: DiagnosticSink, subject: str) -> str:
    """A column name for `raw`: lower-cased when only case is the problem (renamed, with a diagnostic);
    control characters replaced by `_`; an empty name becomes `column`."""
    r = rules()
    cleaned = _UNQUOTABLE.sub("_", raw) or "column"
    if cleaned != raw:
        sink.warning(
            "cassandra-name-replaced",
            f"{printable(subject)}: name {printable(raw)!r} holds control characters "
            f"or line breaks (or is empty); written {printable(cleaned)!r}",
            subject=printable(subject),
        )
        raw = cleaned
    lowered = raw.lower()
    if raw != lowered and r.unquoted_pattern.match(lowered):
        sink.info(
            "cassandra-renamed",
            f"{printable(subject)}: column {raw!r} renamed {lowered!r} (CQL folds unquoted names to lower case)",
            subject=printable(subject),
        )
        raw = lowered
    if identifier(raw) != raw:
        sink.info(
            "cassandra-quoted",
            f"{printable(subject)}: column {raw!r} is reserved or not a plain identifier; it "
            f"is quoted as {identifier(raw)}",
            subject=printable(subject),
        )
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
        sink.info(
            "cassandra-table-name-shortened",
            f"{subject}: table name {cleaned!r} exceeds {r.max_table_name} characters; using {short!r}",
            subject=subject,
        )
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
