"""What every reader shares: the table description, its ranges, read options, and the column kinds.

A reader is a module of this package named after the source's engine (`postgres`, `mysql`, `sqlite`,
`files`) with `describe(source, entity, order_by, options) -> TableInfo` and
`read(source, info, part, fields, options) -> Iterator[pyarrow.Table]`. Every reader hands rows over in
the same shape: integer columns as int64, dates and timestamps as int64 milliseconds since the epoch
(UTC), anything else as text, and the insertion order (when known) in the `ORDER` column.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from simulator.errors import SimulatorError

__all__ = [
    "KIND_TYPES",
    "Range",
    "ReadOptions",
    "TableInfo",
    "check_column",
    "order_column",
    "sample_ranges",
    "split_evenly",
    "wanted_ranges",
]

#: Column kinds and their Arrow types: how a key column's values are hashed and ordered.
KIND_TYPES = {"int": pa.int64(), "time": pa.int64(), "text": pa.string()}

# A creation timestamp found from the schema when no serial key and no --order-by name one.
_CREATED = re.compile(r"^(created|inserted|creation)(_?(at|on|time|ts|date))?$", re.IGNORECASE)


@dataclass(frozen=True)
class ReadOptions:
    """How to read: rows per chunk, timeouts (seconds), sample fraction, and rows per range (task)."""

    chunk_rows: int = 1_000_000
    statement_timeout: float = 600.0
    connect_timeout: float = 10.0
    sample: float | None = None
    seed: int = 0
    range_rows: int = 1_000_000
    max_ranges: int = 10_000

    def __post_init__(self) -> None:
        if self.sample is not None and not 0.0 < self.sample <= 1.0:
            raise SimulatorError("give a fraction in (0, 1], e.g. 0.01", "sample", self.sample)
        if self.chunk_rows < 1 or self.range_rows < 1:
            raise SimulatorError(
                "must be >= 1",
                "chunk_rows" if self.chunk_rows < 1 else "range_rows",
                min(self.chunk_rows, self.range_rows),
            )
        if self.statement_timeout <= 0 or self.connect_timeout <= 0:
            raise SimulatorError(
                "must be > 0 seconds",
                "statement_timeout" if self.statement_timeout <= 0 else "connect_timeout",
                min(self.statement_timeout, self.connect_timeout),
            )


@dataclass(frozen=True)
class Range:
    """One task's share of the table: key bounds [lo, hi) (None = open), or a file part."""

    index: int
    lo: Any = None
    hi: Any = None
    part: Any = None
    estimated_rows: int | None = None


@dataclass(frozen=True)
class TableInfo:
    """A table as its catalog describes it, split into ranges."""

    name: str
    ident: tuple[str, ...]
    columns: dict[str, str]
    order_by: str | None
    estimated_rows: int | None
    row_bytes: int | None
    ranges: tuple[Range, ...]
    sampling: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    range_key: str | None = None  # the integer key the ranges are cut on (None: block or file ranges)
    scale: float = 1.0  # rows of the table per row read (1 / the sampled fraction)
    key_span: tuple[int, int] | None = None  # smallest and largest value of range_key


def check_column(name: str, columns: Sequence[str], table: str, argument: str) -> str:
    """`name` when the table has it; otherwise a one-line error with the closest name."""
    if name in columns:
        return name
    close = difflib.get_close_matches(name, list(columns), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"its columns: {', '.join(columns)}"
    raise SimulatorError(f"not a column of {table}; {hint}", argument, name)


def order_column(columns: dict[str, str], primary_key: Sequence[str], order_by: str | None, table: str) -> str | None:
    """The insertion-order column: `order_by`, else a one-column integer primary key, else a creation
    timestamp named like created_at; None when the schema names none."""
    if order_by is not None:
        return check_column(order_by, list(columns), table, "order_by")
    if len(primary_key) == 1 and columns.get(primary_key[0]) == "int":
        return primary_key[0]
    created = [c for c, kind in columns.items() if kind == "time" and _CREATED.match(c)]
    return created[0] if created else None


def split_evenly(lo: int, hi: int, estimated_rows: int | None, options: ReadOptions) -> tuple[Range, ...]:
    """Integer key ranges covering [lo, hi]; the first and last are open so no row falls outside."""
    n = min(
        wanted_ranges(estimated_rows if estimated_rows and estimated_rows > 0 else hi - lo + 1, options), hi - lo + 1
    )
    cuts = [lo + (hi - lo + 1) * i // n for i in range(1, n)]
    bounds = [None] + cuts + [None]
    per = None if estimated_rows is None else max(1, estimated_rows // n)
    return tuple(Range(i, bounds[i], bounds[i + 1], estimated_rows=per) for i in range(n))


def wanted_ranges(rows: int, options: ReadOptions) -> int:
    """How many ranges to cut: one per `range_rows`, and enough that a key-range sample can pick
    about `sample` of them (at least 20 to choose from)."""
    n = math.ceil(rows / options.range_rows)
    if options.sample is not None and options.sample < 1.0:
        n = max(n, math.ceil(20 / options.sample))
    return max(1, min(options.max_ranges, n))


def sample_ranges(ranges: tuple[Range, ...], fraction: float, seed: int) -> tuple[Range, ...]:
    """A seeded random subset of the ranges holding about `fraction` of them (a key-range sample)."""
    import numpy as np

    if fraction >= 1.0 or not ranges:
        return ranges
    keep = max(1, round(len(ranges) * fraction))  # describe() sets TableInfo.scale = len(ranges) / keep
    pick = np.sort(np.random.default_rng(seed).choice(len(ranges), keep, replace=False))
    return tuple(ranges[i] for i in pick)
