"""PostgreSQL: read-only transactions, block (ctid) ranges, `COPY (SELECT ...) TO STDOUT` streaming.

Identifiers are quoted by psycopg.sql.Identifier, values are bound parameters (COPY composes them
client-side with psycopg's literal quoting), and every session has a connect timeout and a
statement_timeout. `TABLESAMPLE SYSTEM (pct) REPEATABLE (seed)` takes the sample.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.csv as pacsv

from simulator.errors import SimulatorError
from simulator.realdata.partial import ORDER
from simulator.realdata.tables import (
    KIND_TYPES,
    Range,
    ReadOptions,
    TableInfo,
    order_column,
    wanted_ranges,
)
from simulator.realdata.url import Source

__all__ = ["connect", "describe", "read"]

_INT = {"int2", "int4", "int8"}
_TIME = {"timestamp", "timestamptz", "date"}
_CHUNK_BYTES = 8 << 20
_BLOCK_ROWS = 262_144
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


@contextmanager
def connect(source: Source, options: ReadOptions) -> Iterator:
    """A connection inside a READ ONLY transaction, with connect and statement timeouts; closed on exit."""
    import psycopg

    timeout_ms = max(1, int(options.statement_timeout * 1000))
    try:
        conn = psycopg.connect(
            host=source.host,
            port=source.port,
            user=source.user,
            password=source.password,
            dbname=source.database or source.user or "postgres",
            connect_timeout=max(1, round(source.timeout(options.connect_timeout))),
            options=f"-c statement_timeout={timeout_ms} -c default_transaction_read_only=on",
            application_name="polyschema-simulate",
        )
    except psycopg.Error as exc:
        raise source.problem(exc) from None
    try:
        conn.execute("SET TRANSACTION READ ONLY")
        yield conn
    except psycopg.Error as exc:
        raise source.problem(exc) from None
    finally:
        conn.close()


def _find_table(conn, entity: str) -> tuple[int, str, str, str, float, int]:
    schema, _, name = entity.rpartition(".")
    row = conn.execute(
        "SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text, c.reltuples::float8, "
        "pg_relation_size(c.oid) / current_setting('block_size')::int8 "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relname = %s AND c.relkind IN ('r', 'p', 'm', 'v', 'f') "
        "AND (CASE WHEN %s = '' THEN pg_table_is_visible(c.oid) ELSE n.nspname = %s END)",
        (name, schema, schema),
    ).fetchone()
    if row is None:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p', 'm', 'v', 'f') AND pg_table_is_visible(oid)"
            )
        ]
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"{len(names)} tables are visible"
        raise SimulatorError(f"no such table; {hint}", "entity", entity)
    return row


def describe(source: Source, entity: str | None, order_by: str | None, options: ReadOptions) -> TableInfo:
    """Columns, primary key, the catalog's row estimate and the block ranges of `entity`."""
    if not entity:
        raise SimulatorError("name the table to read, e.g. entity='orders' or 'public.orders'", "entity", None)
    with connect(source, options) as conn:
        oid, schema, name, kind, reltuples, blocks = _find_table(conn, entity)
        columns = {
            a: "int" if t in _INT else "time" if t in _TIME else "text"
            for a, t in conn.execute(
                "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                (oid,),
            )
        }
        pk = [
            r[0]
            for r in conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = %s AND i.indisprimary",
                (oid,),
            )
        ]
        size = conn.execute("SELECT pg_relation_size(%s::oid)", (oid,)).fetchone()[0]
    estimated = int(reltuples) if reltuples >= 0 else None  # -1: never analyzed
    qualified = f"{schema}.{name}"
    plain = dataclasses.replace(options, sample=None)
    if kind in ("r", "m", "p") and blocks > 0:
        n = min(wanted_ranges(estimated or blocks * 50, plain), int(blocks))
        cuts = [int(blocks) * i // n for i in range(1, n)]
        bounds = [None] + cuts + [None]
        per = None if estimated is None else max(1, estimated // n)
        ranges = tuple(Range(i, bounds[i], bounds[i + 1], estimated_rows=per) for i in range(n))
    else:
        ranges = (Range(0, estimated_rows=estimated),)
    sampling = None
    if options.sample is not None and options.sample < 1.0:
        if kind not in ("r", "m"):
            raise SimulatorError(f"{qualified} is not a plain table; TABLESAMPLE needs one", "sample", options.sample)
        sampling = f"TABLESAMPLE SYSTEM ({options.sample * 100:g}%) REPEATABLE ({options.seed})"
    return TableInfo(
        name=qualified,
        ident=(schema, name),
        columns=columns,
        order_by=order_column(columns, pk, order_by, qualified),
        estimated_rows=estimated,
        row_bytes=int(size / reltuples) if reltuples > 0 and size else None,
        ranges=ranges,
        sampling=sampling,
        scale=1.0 / options.sample if sampling and options.sample is not None else 1.0,
    )


def _select(info: TableInfo, fields: Sequence[str], options: ReadOptions, part: Range):
    from psycopg import sql

    def expr(col: str, alias: str):
        ident = sql.Identifier(col)
        kind = info.columns[col]
        if kind == "int":
            e = sql.SQL("{}::int8").format(ident)
        elif kind == "time":
            e = sql.SQL("floor(extract(epoch FROM {}) * 1000)::int8").format(ident)
        else:
            e = sql.SQL("{}::text").format(ident)
        return sql.SQL("{} AS {}").format(e, sql.Identifier(alias))

    cols = [expr(f, f) for f in fields] + ([expr(info.order_by, ORDER)] if info.order_by else [])
    params: list = []
    sample = sql.SQL("")
    if info.sampling:
        assert options.sample is not None, "info.sampling is set only from options.sample"
        sample = sql.SQL(" TABLESAMPLE SYSTEM (%s) REPEATABLE (%s)")
        params += [options.sample * 100, options.seed]
    where = []
    if part.lo is not None:
        where.append(sql.SQL("ctid >= %s::tid"))
        params.append(f"({part.lo},0)")
    if part.hi is not None:
        where.append(sql.SQL("ctid < %s::tid"))
        params.append(f"({part.hi},0)")
    cond = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where) if where else sql.SQL("")
    query = sql.SQL("COPY (SELECT {} FROM {}{}{}) TO STDOUT").format(
        sql.SQL(", ").join(cols), sql.Identifier(*info.ident), sample, cond
    )
    return query, params


def _parse(block: bytes, names: list[str], types: dict[str, pa.DataType]) -> pa.Table:
    table = pacsv.read_csv(
        io.BytesIO(block),
        read_options=pacsv.ReadOptions(column_names=names, block_size=_CHUNK_BYTES * 2),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, double_quote=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=["\\N"], strings_can_be_null=True),
    )
    for i, name in enumerate(names):
        col = table.column(i)
        if pa.types.is_string(col.type) and b"\\" in block:
            # COPY text format escapes backslash and control characters; undo it where it happened.
            values = [
                None if v is None else _ESCAPE.sub(lambda m: _UNESCAPE.get(m[1], m[1]), v) for v in col.to_pylist()
            ]
            table = table.set_column(i, name, pa.array(values, pa.string()))
    return table


def _copy_out(conn, statement: bytes) -> Iterator[bytes]:
    """COPY TO STDOUT data in blocks of `_BLOCK_ROWS` whole rows.

    Driven through libpq (psycopg's `pgconn`) directly: psycopg's Copy iterator costs a Python
    generator round trip per row, which alone was slower than the server sends rows.
    """
    import psycopg
    from psycopg import pq

    pg = conn.pgconn
    pg.send_query(statement)
    result = pg.get_result()
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        while pg.get_result() is not None:
            pass
        raise psycopg.OperationalError(_message(result, pg))
    get = pg.get_copy_data
    size = 1
    while size > 0:
        # Copied into one buffer at once: a list of the rows' memoryviews, each pinning its libpq
        # buffer, was several times slower.
        block = bytearray()
        for _ in range(_BLOCK_ROWS):
            size, row = get(0)  # one CopyData message is one row; blocks until it arrives
            if size <= 0:
                break
            block += row
        if size < -1:
            raise psycopg.OperationalError(pg.error_message.decode("utf-8", "replace"))
        if block:
            yield bytes(block)
    final = pg.get_result()
    while pg.get_result() is not None:
        pass
    if final is None or final.status != pq.ExecStatus.COMMAND_OK:
        raise psycopg.OperationalError(_message(final, pg))


def _message(result, pg) -> str:
    raw = result.error_message if result is not None else pg.error_message
    return raw.decode("utf-8", "replace") or "COPY failed"


def read(
    source: Source, info: TableInfo, part: Range, fields: Sequence[str], options: ReadOptions
) -> Iterator[pa.Table]:
    """The range's rows in chunks of `_BLOCK_ROWS` rows, as Arrow tables."""
    import psycopg

    names = list(fields) + ([ORDER] if info.order_by else [])
    types = {n: KIND_TYPES[info.columns[n]] for n in fields}
    if info.order_by:
        types[ORDER] = KIND_TYPES[info.columns[info.order_by]]
    query, params = _select(info, fields, options, part)
    with connect(source, options) as conn:
        statement = psycopg.ClientCursor(conn).mogrify(query, params).encode(conn.info.encoding)
        for block in _prefetched(_copy_out(conn, statement)):
            yield _parse(block, names, types)


def _prefetched(blocks: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """`blocks`, produced by a thread up to `depth` ahead: receiving rows (a Python loop) overlaps with
    parsing and counting the previous block (pyarrow and numpy, which release the GIL). The thread is
    done before this generator finishes, so the connection is never used by two threads at once."""
    import queue
    import threading

    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def produce() -> None:
        try:
            for block in blocks:
                if stop.is_set():
                    break
                box.put(block)
            box.put(end)
        except BaseException as exc:  # handed to the consumer, which raises it
            box.put(exc)

    worker = threading.Thread(target=produce, name="copy-reader", daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put() through, then wait for the thread
            try:
                box.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()
