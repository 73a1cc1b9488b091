"""One progress line on stderr for long commands: shown on a terminal, silent in a pipe or a file.

`plan`, `translate` and `verify` report their stages through it, so every long run looks the same.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import click

__all__ = ["Progress", "progress_line"]


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


class _Line:
    """A one-line bar, rewritten in place with a carriage return and cleared at the end."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(24 * done / max(total, 1))
        line = f"\r[{'#' * filled}{'.' * (24 - filled)}] {done}/{total} {stage}"[:100]
        self.width = max(self.width, len(line))
        click.echo(line.ljust(self.width), nl=False, err=True)

    def close(self) -> None:
        if self.width:
            click.echo("\r" + " " * self.width + "\r", nl=False, err=True)


def _silent(stage: str, done: int, total: int) -> None:
    return None


@contextmanager
def progress_line(enabled: bool = True) -> Iterator[Progress]:
    """A progress callback: a line on stderr when it is a terminal and `enabled`, else one that says nothing."""
    if not (enabled and sys.stderr.isatty()):
        yield _silent
        return
    line = _Line()
    try:
        yield line
    finally:
        line.close()
