"""Domain errors. The CLI maps every `PolyschemaError` to a one-line message and exit status 2."""

from __future__ import annotations

__all__ = ["PolyschemaError", "SourceError", "MappingError", "WorkloadError", "ConnectionProblem", "DesignError",
           "UnservablePattern"]


class PolyschemaError(Exception):
    """Base of every error the library raises on bad input; `str(err)` is one line for the user."""


class SourceError(PolyschemaError):
    """A SOURCE cannot be read: missing file, empty, binary, wrong encoding, no DDL."""


class MappingError(PolyschemaError):
    """A mappings file is malformed or names an unknown canonical type."""


class WorkloadError(PolyschemaError):
    """A workload file is invalid; the message lists every problem with its path in the file."""


class ConnectionProblem(PolyschemaError):
    """A live database or endpoint cannot be reached; the message names host, port and reason."""


class DesignError(PolyschemaError):
    """A design cannot be produced from the given schema and workload."""


class UnservablePattern(DesignError):
    """One access pattern has a shape the target cannot serve (a store limitation, not bad input); a target
    that catches it leaves that pattern out with an error diagnostic and designs the rest (partial)."""
