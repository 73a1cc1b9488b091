"""The one escaping helper per output language of the report. Every text that comes from the input
(identifiers, comments, pattern descriptions, diagnostics) passes through one of these before it is
written, so it can never become markup or code.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["html_text", "md_text", "md_code", "mermaid_text"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
#: Inside a quoted label a few more characters are inert (no quote, no `#` entity code, no `<`, no `%`).
_MERMAID_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_ .,:()/=+-]")
_MERMAID_KEYWORDS = {"end", "graph", "subgraph", "style", "class", "click", "flowchart", "direction"}


def html_text(value: Any) -> str:
    """Text for HTML and SVG (element content and quoted attribute values)."""
    return html.escape(str(value), quote=True)


def md_text(value: Any) -> str:
    """Text for a Markdown paragraph or table cell: punctuation backslash-escaped, angle brackets as
    entities (GitHub would render tags), line breaks folded."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def md_code(value: Any) -> str:
    """Text shown verbatim as a Markdown code span (a command line): the fence is one backtick longer than
    any run of backticks inside, so nothing inside can close it; line breaks are folded."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def mermaid_text(value: Any, label: bool = False) -> str:
    """An identifier (or, with `label`, the text of a quoted label) inside a Mermaid block: letters, digits
    and underscores only (labels also keep spaces and `.,:()/=+-`), never empty; an identifier never
    leads with a digit nor is a keyword (`end`). Anything else (quotes, braces, backticks, `#`, `<`, line
    breaks, `%%`) is replaced, so a hostile name cannot close the label, the statement or the block."""
    text = (_MERMAID_LABEL_UNSAFE if label else _MERMAID_UNSAFE).sub("_", " ".join(str(value).split())) or "_"
    if not label and (text[0].isdigit() or text.lower() in _MERMAID_KEYWORDS):
        text = "n_" + text
    return text
