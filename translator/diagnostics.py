"""Structured diagnostics: every skipped or partly understood statement becomes one of these.

Modelled on sqlglot's errors: a policy (`ErrorLevel`) decides what happens when an error is recorded,
and each record carries where it came from (file, line, column, excerpt) and what was lost.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from translator.errors import PolyschemaError

__all__ = ["Severity", "ErrorLevel", "Diagnostic", "DiagnosticSink", "excerpt"]


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class ErrorLevel(enum.StrEnum):
    """What to do when an error-level diagnostic is recorded."""

    #: Record it and go on (the default: a partial result is labelled partial).
    WARN = "warn"
    #: Raise at the first error-level diagnostic.
    RAISE = "raise"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `code` is a stable kebab-case identifier users can grep and filter on."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    excerpt: str | None = None
    lost: str | None = None
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "excerpt": self.excerpt,
            "lost": self.lost,
            "subject": self.subject,
        }

    def location(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        where = self.location()
        prefix = f"{where}: " if where else ""
        lost = f" (lost: {self.lost})" if self.lost else ""
        return f"{prefix}{self.severity}[{self.code}] {self.message}{lost}"


class DiagnosticRaised(PolyschemaError):
    """Raised under `ErrorLevel.RAISE` at the first error-level diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(slots=True)
class DiagnosticSink:
    """Collects diagnostics during one run, applying the error policy."""

    error_level: ErrorLevel = ErrorLevel.WARN
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> Diagnostic:
        self.items.append(diagnostic)
        if diagnostic.severity is Severity.ERROR and self.error_level is ErrorLevel.RAISE:
            raise DiagnosticRaised(diagnostic)
        return diagnostic

    def info(self, code: str, message: str, **where: Any) -> Diagnostic:
        return self.add(Diagnostic(Severity.INFO, code, message, **where))

    def warning(self, code: str, message: str, **where: Any) -> Diagnostic:
        return self.add(Diagnostic(Severity.WARNING, code, message, **where))

    def error(self, code: str, message: str, **where: Any) -> Diagnostic:
        return self.add(Diagnostic(Severity.ERROR, code, message, **where))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)


def excerpt(text: str, limit: int = 80) -> str:
    """The first `limit` characters of a statement, whitespace folded, for a diagnostic."""
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "\u2026"
