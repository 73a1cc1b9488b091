"""The one quoting helper per output language of the DynamoDB renderers.

- shell (`aws-cli`): `shell_quote`, i.e. `shlex.quote`, for every word, JSON payloads included;
- JSON (CloudFormation, NoSQL Workbench, `--cli-input-json`): `json.dumps` via `dump_json`;
- CloudFormation logical IDs, which must be alphanumeric: `logical_id`, which derives one and says
  whether the name had to be changed;
- comments and human text: `inert`, which makes line breaks (including U+2028/U+2029 and other
  vertical whitespace) and control characters visible as escapes, so a name can never start a new line.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

__all__ = ["dump_json", "inert", "logical_id", "shell_quote"]

# Every character that can end a line for some reader (Python's str.splitlines, JavaScript, shells) or
# that a terminal interprets: C0/C1 controls, DEL, and the Unicode line/paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")


def shell_quote(word: str) -> str:
    """`word` as one POSIX shell word that expands to exactly itself (no variables, globs or commands)."""
    return shlex.quote(word)


def dump_json(payload: Any, indent: int | None = 2) -> str:
    """JSON text; non-ASCII escaped too, so no line separator survives raw into a file or shell word."""
    return json.dumps(payload, indent=indent, ensure_ascii=True)


def logical_id(name: str, suffix: str, taken: set[str]) -> tuple[str, bool]:
    """A CloudFormation logical ID (`[A-Za-z0-9]+`, at most 255 characters) for `name`, unique in `taken`
    (which it extends), and whether characters of `name` had to be dropped to make it."""
    words = re.split(r"[^A-Za-z0-9]+", name)
    base = "".join(w[:1].upper() + w[1:] for w in words if w) or "Unnamed"
    changed = bool(re.search(r"[^A-Za-z0-9_.-]", name))  # `_ . -` are word breaks of DynamoDB names, not losses
    candidate = (base + suffix)[:255]
    n = 2
    while candidate in taken:
        candidate = f"{base[:240]}{n}{suffix}"
        n += 1
    taken.add(candidate)
    return candidate, changed


def inert(text: str) -> str:
    """`text` with line breaks and control characters shown as escapes (`\\n`, `\\u2028`)."""
    return _UNSAFE.sub(lambda m: json.dumps(m.group())[1:-1], text)
