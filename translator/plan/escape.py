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


def mermaid_text(value: Any) -> str:
    """An identifier or label inside a Mermaid block: letters, digits and underscores only, never empty,
    never leading with a digit. Anything else (quotes, braces, backticks, line breaks, `%%`, `end`) is
    replaced, so a hostile name cannot close the block or the diagram statement."""
    text = _MERMAID_UNSAFE.sub("_", str(value)) or "_"
    if text[0].isdigit() or text.lower() in {"end", "graph", "subgraph", "style", "class", "click"}:
        text = "n_" + text
    return text
