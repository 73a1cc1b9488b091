"""SQLite: the file opened read-only (`mode=ro` URI, `PRAGMA query_only`), rowid ranges, a statement deadline.

Identifiers are double-quoted (quotes inside doubled), values are bound parameters. A progress
handler aborts a statement that runs past the statement timeout; the busy timeout bounds the wait
for a lock (SQLite's equivalent of a connect timeout).
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote as url_quote

import pyarrow as pa

from simulator.errors import SimulatorError
from simulator.realdata.partial import ORDER
from simulator.realdata.tables import (
    KIND_TYPES,
    Range,
    ReadOptions,
    TableInfo,
    order_column,
    sample_ranges,
    split_evenly,
)
from simulator.realdata.url import Source

__all__ = ["connect", "describe", "quote", "read"]


def quote(name: str) -> str:
    """An SQLite identifier: double quotes, with any double quote inside doubled."""
    return '"' + name.replace('"', '""') + '"'


def _kind(declared: str) -> str:
    t = (declared or "").upper()
    if "INT" in t:  # SQLite's own affinity rule: any type containing INT is an integer
        return "int"
    if "DATE" in t or "TIME" in t:
        return "time"
    return "text"


@contextmanager
def connect(source: Source, options: ReadOptions) -> Iterator:
    """A read-only connection (the file must exist); closed on exit."""
    import sqlite3

    path = Path(source.path or "")
    if not path.is_file():
        raise SimulatorError(f"no such SQLite file {str(path)!r}", "data", source.masked())
    try:
        conn = sqlite3.connect(
            f"file:{url_quote(str(path.resolve()))}?mode=ro", uri=True, timeout=options.connect_timeout
        )
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise source.problem(exc) from None
    deadline = [time.monotonic() + options.statement_timeout]
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline[0] else 0, 100_000)
    try:
        yield conn
    except sqlite3.Error as exc:
        raise source.problem(exc) from None
    finally:
        conn.close()


def describe(source: Source, entity: str | None, order_by: str | None, options: ReadOptions) -> TableInfo:
    if not entity:
        raise SimulatorError("name the table to read, e.g. entity='orders'", "entity", None)
    with connect(source, options) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        if entity not in names:
            close = difflib.get_close_matches(entity, names, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"{len(names)} tables in the file"
            raise SimulatorError(f"no such table; {hint}", "entity", entity)
        info = conn.execute(f"PRAGMA table_info({quote(entity)})").fetchall()
        columns = {r[1]: _kind(r[2]) for r in info}
        pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
        rowid_alias = len(pk) == 1 and (next(r[2] for r in info if r[1] == pk[0]) or "").upper() == "INTEGER"
        ranges: tuple[Range, ...] = (Range(0),)
        estimated = None
        if rowid_alias:
            lo, hi = conn.execute(f"SELECT MIN({quote(pk[0])}), MAX({quote(pk[0])}) FROM {quote(entity)}").fetchone()
            if lo is not None:
                estimated = int(hi) - int(lo) + 1  # no row count in SQLite's catalog: the key span bounds it
                ranges = split_evenly(int(lo), int(hi), estimated, options)
    sampling, scale = None, 1.0
    if options.sample is not None and options.sample < 1.0:
        if len(ranges) == 1:
            raise SimulatorError(f"{entity} has no INTEGER PRIMARY KEY to sample ranges of", "sample", options.sample)
        total = len(ranges)
        ranges = sample_ranges(ranges, options.sample, options.seed)
        scale = total / len(ranges)
        sampling = f"key-range sample: {len(ranges)} rowid ranges chosen at random (seed {options.seed})"
    return TableInfo(
        name=entity,
        ident=(entity,),
        columns=columns,
        order_by=order_column(columns, pk, order_by, entity),
        estimated_rows=estimated,
        row_bytes=None,
        ranges=ranges,
        sampling=sampling,
        range_key=pk[0] if rowid_alias else None,
        scale=scale,
    )


def _expr(col: str, kind: str) -> str:
    if kind == "int":
        return f"CAST({quote(col)} AS INTEGER)"
    if kind == "time":
        return f"CAST(ROUND((julianday({quote(col)}) - 2440587.5) * 86400000.0) AS INTEGER)"
    return f"CAST({quote(col)} AS TEXT)"


def read(
    source: Source, info: TableInfo, part: Range, fields: Sequence[str], options: ReadOptions
) -> Iterator[pa.Table]:
    names = list(fields) + ([ORDER] if info.order_by else [])
    cols = [_expr(f, info.columns[f]) for f in fields]
    cols += [_expr(info.order_by, info.columns[info.order_by])] if info.order_by else []
    types = [KIND_TYPES[info.columns[f]] for f in fields] + ([pa.int64()] if info.order_by else [])
    where, params = [], []
    if part.lo is not None:
        where.append(f"{quote(info.range_key or '')} >= ?")
        params.append(part.lo)
    if part.hi is not None:
        where.append(f"{quote(info.range_key or '')} < ?")
        params.append(part.hi)
    sql = f"SELECT {', '.join(cols)} FROM {quote(info.ident[0])}" + (f" WHERE {' AND '.join(where)}" if where else "")
    with connect(source, options) as conn:
        cur = conn.execute(sql, params)
        while rows := cur.fetchmany(options.chunk_rows):
            columns = zip(*rows, strict=True)
            yield pa.table({n: pa.array(c, t) for n, c, t in zip(names, columns, types, strict=True)})
