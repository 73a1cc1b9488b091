"""Database URLs: parse them, fill credentials from the usual environment variables, mask passwords.

The password never leaves `ConnectionParams` except to the driver: `repr()` hides it, `masked()` shows
the URL with `***` in its place, and `scrub()` removes it from any text (driver error messages included).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from translator.errors import ConnectionProblem, SourceError
from translator.urls import mask_credentials, mask_url

__all__ = ["ENGINES", "ConnectionParams", "parse_url", "mask_url", "mask_credentials"]

#: URL scheme -> engine module name in `translator.introspect` (a module per engine, found by this name).
ENGINES: dict[str, str] = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}

_DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}
# Environment variables the engines' own clients read, in the order they are consulted.
_ENV = {
    "postgres": {"host": ("PGHOST",), "port": ("PGPORT",), "user": ("PGUSER", "USER"),
                 "password": ("PGPASSWORD",), "database": ("PGDATABASE",)},
    "mysql": {"host": ("MYSQL_HOST",), "port": ("MYSQL_TCP_PORT",), "user": ("MYSQL_USER", "USER"),
              "password": ("MYSQL_PWD",), "database": ("MYSQL_DATABASE",)},
}


@dataclass(frozen=True)
class ConnectionParams:
    """Where and how to connect; `password` is excluded from `repr` so it cannot leak into logs."""

    engine: str
    scheme: str
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    path: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    @property
    def where(self) -> str:
        """`host:port` (or the file path) for one-line connection errors."""
        if self.engine == "sqlite":
            return str(self.path)
        return f"{self.host}:{self.port}"

    def masked(self) -> str:
        """The URL with the password replaced by `***` (the only form of a URL polyschema prints)."""
        if self.engine == "sqlite":
            return f"{self.scheme}:///{self.path}"  # sqlite:///rel.db, sqlite:////abs.db
        auth = ""
        if self.user:
            auth = quote(self.user, safe="") + (":***" if self.password else "") + "@"
        db = f"/{self.database}" if self.database else ""
        return f"{self.scheme}://{auth}{self.host}:{self.port}{db}"

    def scrub(self, text: str) -> str:
        """`text` with every occurrence of the password (raw and URL-quoted) replaced by `***`."""
        if self.password:
            for form in {self.password, quote(self.password, safe="")}:
                text = text.replace(form, "***")
        return text

    def problem(self, reason: object) -> ConnectionProblem:
        """A one-line `ConnectionProblem` naming host, port and reason, with the password scrubbed."""
        first = " ".join(str(reason).split()) or type(reason).__name__
        return ConnectionProblem(self.scrub(f"cannot connect to {self.masked()} ({self.where}): {first}"))


def _env(engine: str, key: str, environ: Mapping[str, str]) -> str | None:
    for name in _ENV.get(engine, {}).get(key, ()):
        if environ.get(name):
            return environ[name]
    return None


def parse_url(url: str, environ: Mapping[str, str] | None = None) -> ConnectionParams:
    """Parse a database URL; credentials and host missing from it come from the engine's environment variables.

    Every refusal is a one-line `SourceError` that shows the URL with its password masked.
    """
    try:
        return _parse_url(url, environ)
    except ValueError as exc:  # urllib's own checks: a broken IPv6 literal, a bad port, ...
        reason = mask_url(" ".join(str(exc).split()))
        raise SourceError(f"database URL {mask_url(str(url))!r} is malformed ({reason}); write e.g. "
                          "postgresql://user@host:5432/db, with an IPv6 host in brackets: [::1]") from None


def _parse_url(url: str, environ: Mapping[str, str] | None) -> ConnectionParams:
    if not isinstance(url, str) or "://" not in url:
        raise SourceError(f"database URL {mask_url(str(url))!r} is not a URL; write e.g. postgresql://user@host:5432/db")
    environ = os.environ if environ is None else environ
    scheme = url.split("://", 1)[0]
    engine = ENGINES.get(scheme.split("+", 1)[0].lower())
    if engine is None:
        raise SourceError(f"database URL {mask_url(url)!r}: scheme {scheme!r} is not supported; use one of: {', '.join(ENGINES)}")
    if engine == "sqlite":
        path = url.split("://", 1)[1]
        if "@" in path.split("/", 1)[0]:
            raise SourceError(f"database URL {mask_url(url)!r}: SQLite URLs take no user or password (the file is "
                              "opened read-only); write sqlite:///path/to/file.db")
        # sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy writes them
        path = path[1:] if path.startswith("/") else path
        if "?" in path:
            raise SourceError(f"database URL {mask_url(url)!r}: SQLite URLs take no ?options (the file is always opened "
                              "read-only)")
        path = unquote(path)
        if not path:
            raise SourceError(f"database URL {mask_url(url)!r} names no file; write sqlite:///path/to/file.db")
        return ConnectionParams(engine, scheme, path=path)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise SourceError(f"database URL {mask_url(url)!r}: the port is not a number 0-65535") from None
    env_port = _env(engine, "port", environ)
    if port is None and env_port:
        if not env_port.isdigit():
            raise SourceError(f"environment port {env_port!r} is not a number; fix PGPORT/MYSQL_TCP_PORT")
        port = int(env_port)
    database = unquote(parts.path.lstrip("/")) or _env(engine, "database", environ)
    options = parse_qsl(parts.query, keep_blank_values=True)
    names = [name for name, _ in options]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SourceError(f"database URL {mask_url(url)!r}: option {twice[0]!r} is given {names.count(twice[0])} times; "
                          "give it once")
    given = dict(options)
    # `?user=` and `?password=` are the same settings as `user:password@`: one place only, never both.
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    for name, value in (("user", user), ("password", password)):
        if name in given and value is not None:
            raise SourceError(f"database URL {mask_url(url)!r}: the {name} is given both before '@' and as ?{name}=; "
                              "give it once")
    user = user if user is not None else given.pop("user", None)
    password = password if password is not None else given.pop("password", None)
    return ConnectionParams(
        engine=engine,
        scheme=scheme,
        host=parts.hostname or _env(engine, "host", environ) or "localhost",
        port=port or _DEFAULT_PORTS[engine],
        user=user or _env(engine, "user", environ),
        password=password if password is not None else _env(engine, "password", environ),
        database=database or None,
        options=tuple(given.items()),
    )
