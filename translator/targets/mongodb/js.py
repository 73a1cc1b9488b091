"""The one place JavaScript (mongosh) text is made from data: every identifier from a schema or a live
database reaches a script only through these helpers, so a table named `x"); db.dropDatabase(); //`
stays a string.

- `js_value`: any JSON-able value as a JavaScript literal. JSON escapes quotes, backslashes and control
  characters; U+2028 and U+2029 are escaped as well, because before ES2019 (and in esprima, the parser
  the tests use) they end a line even inside a string literal.
- `js_comment`: a `//` comment line. A `//` comment ends only at a line terminator, so the text keeps
  everything except line terminators, which are written as JSON escapes (`\\n`, `\\u2028`, ...):
  `*/`, `--`, `//`, `${` and quotes are inert there.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["js_value", "js_string", "js_comment", "LINE_TERMINATORS"]

#: ECMAScript LineTerminator code points (ECMA-262, 12.3): \n, \r, U+2028, U+2029.
LINE_TERMINATORS = ("\n", "\r", "\u2028", "\u2029")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _escape_separators(text: str) -> str:
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def js_value(value: Any, indent: int | None = None) -> str:
    """`value` as a JavaScript literal (objects, arrays, strings, numbers, true/false/null)."""
    # Outside string literals JSON text holds no U+2028/U+2029, so replacing them everywhere only
    # touches strings, where the escape decodes back to the same character.
    return _escape_separators(json.dumps(value, indent=indent, ensure_ascii=False, default=str, allow_nan=False))


def js_string(text: str) -> str:
    """`text` as a double-quoted JavaScript string literal."""
    return js_value(str(text))


def js_comment(text: str) -> str:
    """`// text` on one line, whatever `text` holds."""
    return "// " + "".join(_ESCAPES.get(ch, ch) for ch in str(text))
