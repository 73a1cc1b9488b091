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

__all__ = ["js_value", "js_string", "js_comment", "LINE_TERMINATORS", "JsConstant", "MIN_KEY", "MAX_KEY"]

#: ECMAScript LineTerminator code points (ECMA-262, 12.3): \n, \r, U+2028, U+2029.
LINE_TERMINATORS = ("\n", "\r", "\u2028", "\u2029")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class JsConstant:
    """A mongosh global written bare (`MinKey`, `MaxKey`): only these two exist, so no data becomes one."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        if name not in ("MinKey", "MaxKey"):
            raise ValueError(f"name={name!r} is not a mongosh constant this project writes; use MinKey or MaxKey")
        self.name = name

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


MIN_KEY, MAX_KEY = JsConstant("MinKey"), JsConstant("MaxKey")


def _escape_separators(text: str) -> str:
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _leaf(value: Any) -> str:
    # Outside string literals JSON text holds no U+2028/U+2029, so replacing them everywhere only
    # touches strings, where the escape decodes back to the same character.
    return _escape_separators(json.dumps(value, ensure_ascii=False, default=str, allow_nan=False))


def js_value(value: Any, indent: int | None = None, _level: int = 0) -> str:
    """`value` as a JavaScript literal (objects, arrays, strings, numbers, true/false/null, MinKey/MaxKey),
    laid out like `json.dumps(value, indent=indent)`."""
    if isinstance(value, JsConstant):
        return value.name
    if isinstance(value, dict):
        items = [f"{_leaf(str(k))}: {js_value(v, indent, _level + 1)}" for k, v in value.items()]
        return _block("{", items, "}", indent, _level)
    if isinstance(value, (list, tuple)):
        return _block("[", [js_value(v, indent, _level + 1) for v in value], "]", indent, _level)
    return _leaf(value)


def _block(open_: str, items: list[str], close: str, indent: int | None, level: int) -> str:
    if not items:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(items) + close
    inner, outer = "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)
    return open_ + inner + ("," + inner).join(items) + outer + close


def js_string(text: str) -> str:
    """`text` as a double-quoted JavaScript string literal."""
    return js_value(str(text))


def js_comment(text: str) -> str:
    """`// text` on one line, whatever `text` holds."""
    return "// " + "".join(_ESCAPES.get(ch, ch) for ch in str(text))
