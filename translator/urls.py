"""Connection strings as text: hiding their passwords, whatever their scheme.

A leaf module: introspection, the sources dispatcher and the targets (MongoDB's `apply`) all print URLs in
their errors, and none of them may import another for it.
"""

from __future__ import annotations

import re

__all__ = ["mask_credentials", "mask_url", "strip_password"]

_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.I)


def mask_credentials(text: str) -> str:
    """`text` with the password of a `[scheme://]user:password@host` replaced by `***`; safe on any string."""
    head, sep, rest = text.partition("://")
    if not sep:
        head, rest = "", text
    auth, at, tail = rest.rpartition("@")
    if not at or ":" not in auth or "/" in auth.split(":", 1)[0]:
        return text
    user = auth.split(":", 1)[0]
    return f"{head}{sep}{user}:***@{tail}"


def mask_url(url: str) -> str:
    """`url` with any password (between `user:` and `@`, or in `?password=`) replaced by `***`; safe on any text."""
    return _QUERY_PASSWORD.sub(r"\1***", mask_credentials(url))


def strip_password(url: str) -> str:
    """`url` without its password (`user:secret@` -> `user@`, `?password=` dropped): a command printed for a
    person to run, whose client then asks for the password or reads it from the environment (PGPASSWORD)."""
    head, sep, rest = url.partition("://")
    if sep:
        auth, at, tail = rest.rpartition("@")
        if at and ":" in auth:
            rest = f"{auth.split(':', 1)[0]}@{tail}"
        url = f"{head}{sep}{rest}"
    return re.sub(r"[?&]password=[^&#]*", "", url, flags=re.I)
