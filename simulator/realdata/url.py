"""Where the rows come from: a database URL (PostgreSQL, MySQL/MariaDB, SQLite) or Parquet/CSV files.

A small copy of the URL parsing the translator does (the simulator cannot import it): enough to reach
the server, plus the one rule that matters most here, that the password is never printed. `Source` keeps
it out of `repr`, `masked()` is the only printable form of the URL, and `scrub()` removes it from any
text (drivers put connection strings into their error messages).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from simulator.errors import SimulatorError

__all__ = ["Source", "mask_url", "parse_source"]

_ENGINES = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}
_PORTS = {"postgres": 5432, "mysql": 3306}
_PASSWORD_ENV = {"postgres": "PGPASSWORD", "mysql": "MYSQL_PWD"}


@dataclass(frozen=True)
class Source:
    """A parsed data source. `engine` is postgres, mysql, sqlite or files; `paths` are the files' paths."""

    engine: str
    text: str = field(repr=False)
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    path: str | None = None
    connect_timeout: float | None = None  # ?connect_timeout=SECONDS in the URL, as libpq spells it

    def timeout(self, default: float) -> float:
        """Seconds to wait for the server to answer a connection: the URL's own, else `default`."""
        return self.connect_timeout if self.connect_timeout is not None else default

    def masked(self) -> str:
        """The URL with the password replaced by `***`: the only form of it that is ever printed."""
        return mask_url(self.text)

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the password (raw and URL-quoted) replaced by `***`."""
        if self.password:
            for form in {self.password, quote(self.password, safe="")}:
                text = text.replace(form, "***")
        return text

    def problem(self, reason: object) -> SimulatorError:
        """A one-line error naming the source (masked) and the reason, with the password scrubbed."""
        first = " ".join(str(reason).split()) or type(reason).__name__
        return SimulatorError(self.scrub(first), "data", self.masked())


def parse_source(text: str) -> Source:
    """A database URL (`postgresql://`, `mysql://`, `mariadb://`, `sqlite:///file.db`) or a Parquet/CSV
    file, folder or glob."""
    if not isinstance(text, str) or not text.strip():
        raise SimulatorError("give a database URL or a Parquet/CSV file, folder or glob", "data", text)
    if "://" not in text:
        return Source("files", text, path=text)
    scheme = text.split("://", 1)[0]
    engine = _ENGINES.get(scheme.split("+", 1)[0].lower())
    if engine is None:
        raise SimulatorError(
            f"URL scheme {scheme!r} is not supported; use postgresql://, mysql://, mariadb://, sqlite:/// "
            "or a Parquet/CSV path",
            "data",
            mask_url(text),
        )
    if engine == "sqlite":
        path = unquote(text.split("://", 1)[1].split("?", 1)[0])
        path = path.removeprefix("/")  # sqlite:///rel.db, sqlite:////abs.db
        if not path:
            raise SimulatorError("names no file; write sqlite:///path/to/file.db", "data", text)
        return Source("sqlite", text, path=path)
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise SimulatorError("the port is not a number 0-65535", "data", mask_url(text)) from None
    query = dict(parse_qsl(parts.query))
    timeout = query.get("connect_timeout")
    try:
        connect_timeout = float(timeout) if timeout is not None else None
    except ValueError:
        connect_timeout = -1.0
    if connect_timeout is not None and connect_timeout <= 0:
        raise SimulatorError(f"connect_timeout={timeout!r} must be a number of seconds > 0", "data", mask_url(text))
    password = unquote(parts.password) if parts.password is not None else os.environ.get(_PASSWORD_ENV[engine])
    return Source(
        engine,
        text,
        host=parts.hostname or "localhost",
        port=port or _PORTS[engine],
        user=unquote(parts.username) if parts.username else None,
        password=password,
        database=unquote(parts.path.lstrip("/")) or None,
        connect_timeout=connect_timeout,
    )


def mask_url(url: str) -> str:
    """`url` with any password between `user:` and `@` replaced by `***` (safe on unparsable input too)."""
    head, sep, rest = url.partition("://")
    if not sep:
        return url
    auth, at, tail = rest.rpartition("@")
    if not at or ":" not in auth:
        return url
    return f"{head}://{auth.split(':', 1)[0]}:***@{tail}"
