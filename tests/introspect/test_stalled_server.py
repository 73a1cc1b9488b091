"""A server that accepts the connection and then never answers must not hang introspection (issue 12).

The listener is a loopback socket that accepts and holds every connection without sending a byte; the
client timeouts are lowered for the test, and the run must fail within them plus a margin, with one line
that names the host and never the password.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from translator.errors import ConnectionProblem
from translator.introspect import introspect_schema

SECRET = "s3cret-pw"
#: the lowered client timeout (s) and the time the whole failure may take on a busy machine
TIMEOUT_S = 1
MARGIN_S = 6


@contextmanager
def silent_listener() -> Iterator[int]:
    """A loopback port whose server accepts connections and never sends anything; closed at the end."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in held:
            connection.close()
        server.close()


def _fails_fast(url: str) -> str:
    started = time.monotonic()
    with pytest.raises(ConnectionProblem) as caught:
        introspect_schema(url)
    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert elapsed < TIMEOUT_S + MARGIN_S, f"took {elapsed:.1f} s"
    assert "\n" not in message and SECRET not in message
    assert "127.0.0.1" in message
    return message


def test_mysql_listener_that_never_answers_fails_within_the_timeout(monkeypatch):
    from translator.introspect import mysql

    monkeypatch.setattr(mysql, "CONNECT_TIMEOUT_S", TIMEOUT_S)
    monkeypatch.setattr(mysql, "IO_TIMEOUT_S", TIMEOUT_S)
    with silent_listener() as port:
        _fails_fast(f"mysql://root:{SECRET}@127.0.0.1:{port}/db")


def test_postgres_listener_that_never_answers_fails_within_the_timeout(monkeypatch):
    pytest.importorskip("psycopg")
    from translator.introspect import postgres

    monkeypatch.setattr(postgres, "CONNECT_TIMEOUT_S", 2)  # libpq's minimum is 2 s
    with silent_listener() as port:
        _fails_fast(f"postgresql://postgres:{SECRET}@127.0.0.1:{port}/db")


def test_timeouts_are_set_for_every_session():
    """The constants the tests lower are the ones the connections use, and the server-side limits are on."""
    from translator.introspect import mysql, postgres

    assert mysql.IO_TIMEOUT_S > mysql.STATEMENT_TIMEOUT_S > 0
    assert f"statement_timeout={postgres.STATEMENT_TIMEOUT_MS}" in postgres._SESSION_OPTIONS
