"""Run ingest on a stack of known size, so how deep a statement may nest does not depend on the caller.

sqlglot parses (and renders) nested expressions recursively: about 20 Python frames per parenthesis level.
Run in the caller's thread, the depth a statement may reach would depend on how deep the caller already is
(a test runner, a web handler) and on the caller's `sys.setrecursionlimit`. So ingest runs in a thread of
its own (a fresh stack of `STACK_BYTES`) with the recursion limit raised to at least `RECURSION_LIMIT`
for the call, and refuses statements nested deeper than `MAX_NESTING` levels before sqlglot sees them.
A `RecursionError` that still happens (a long chain of NOT or CASE, which nest without parentheses) is
caught per statement by the reader and the builder and reported as an error diagnostic.

Why a thread rather than only raising the limit: Python frames of sqlglot's recursion also use the C
stack; a thread with a stack we size ourselves cannot overflow it at `RECURSION_LIMIT`, whatever the
main thread's `ulimit -s` is.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["MAX_NESTING", "RECURSION_LIMIT", "on_own_stack"]

T = TypeVar("T")

#: parenthesis levels a statement may nest; deeper ones are reported unreadable (real DDL stays below 20)
MAX_NESTING = 100
#: Python frames available to the parse (MAX_NESTING levels take about 2,000)
RECURSION_LIMIT = 6_000
#: C stack of the ingest thread: room for RECURSION_LIMIT frames with a wide margin
STACK_BYTES = 256 * 1024 * 1024

_LOCK = threading.Lock()
#: threads inside `on_own_stack`, and the recursion limit to restore when the last one leaves
_ACTIVE = 0
_SAVED_LIMIT = 0


def on_own_stack(func: Callable[[], T]) -> T:
    """`func()` run in a fresh thread with a `STACK_BYTES` stack and a recursion limit of at least `RECURSION_LIMIT`."""
    global _ACTIVE, _SAVED_LIMIT
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(func())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            failure.append(exc)

    with _LOCK:
        if _ACTIVE == 0:
            _SAVED_LIMIT = sys.getrecursionlimit()
            sys.setrecursionlimit(max(RECURSION_LIMIT, _SAVED_LIMIT))
        _ACTIVE += 1
        previous_stack = threading.stack_size(STACK_BYTES)
        thread = threading.Thread(target=run, name="polyschema-ingest", daemon=True)
        try:
            thread.start()  # the stack size is read when the thread starts
        except BaseException:
            _ACTIVE -= 1
            raise
        finally:
            threading.stack_size(previous_stack)
    try:
        thread.join()
    finally:
        with _LOCK:
            _ACTIVE -= 1
            if _ACTIVE == 0:
                sys.setrecursionlimit(_SAVED_LIMIT)
    if failure:
        raise failure[0]
    return result[0]
