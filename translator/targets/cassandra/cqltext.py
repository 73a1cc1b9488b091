"""The one place CQL text is escaped: identifiers, string literals and `--` comments.

Every renderer of the Cassandra target (the CQL script, the read queries, the human form where it shows
CQL) writes names through `identifier`, text values through `string_literal`, and remarks through
`comment`, so that a name read from a DDL file or a live database stays inert however it is spelt.

- `identifier`: bare when it is a plain unreserved lower-case name, else double-quoted with `"` doubled
  (CQL's QUOTED_NAME: any character but a lone `"`).
- `string_literal`: single-quoted with `'` doubled (CQL has no backslash escapes, so nothing else is special).
- `comment`: one `--` line; line breaks (CR, LF, U+0085, U+2028, U+2029) and other control characters are
  shown as `\\uXXXX`, so a comment can never end early and let the rest of its line become a statement.
"""

from __future__ import annotations

import re

from translator.targets.cassandra.mapping import rules

__all__ = ["identifier", "qualified", "string_literal", "comment", "printable"]

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def identifier(name: str) -> str:
    """`name` as CQL must spell it: bare when valid unquoted and not reserved, else double-quoted."""
    r = rules()
    if r.unquoted_pattern.match(name) and name not in r.reserved:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(keyspace: str, name: str) -> str:
    return f"{identifier(keyspace)}.{identifier(name)}"


def string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def printable(text: str) -> str:
    """`text` on one line: control characters and line separators as visible `\\uXXXX` escapes."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def comment(text: str) -> str:
    """A `--` comment line holding `text` inertly (see `printable`)."""
    return "-- " + printable(text)
