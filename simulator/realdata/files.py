"""Parquet and CSV exports (a file, a folder or a glob), read with pyarrow's dataset API.

A Parquet file splits into its row groups, a CSV file is one range. Every file must have the same
schema; without an order column the file position (file, row group, row) is the insertion order.
"""

from __future__ import annotations

import glob
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds

from simulator.errors import SimulatorError
from simulator.realdata.partial import ORDER
from simulator.realdata.tables import (
    Range,
    ReadOptions,
    TableInfo,
    check_column,
    sample_ranges,
)

__all__ = ["describe", "find_files", "read"]

_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}
_POSITION_BITS = 40  # row offset within a range; the range index above it


def _format(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    return _FORMATS.get(suffixes[-1]) if suffixes else None


def find_files(text: str) -> tuple[list[str], str]:
    """The data files `text` names (sorted) and their one format; one-line errors otherwise."""
    path = Path(text)
    if path.is_dir():
        files = sorted(str(p) for p in path.rglob("*") if p.is_file() and _format(p))
        where = f"folder {text!r}"
    elif any(ch in text for ch in "*?["):
        files = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file() and _format(Path(p)))
        where = f"glob {text!r}"
    elif path.is_file():
        files, where = [text], f"file {text!r}"
        if not _format(path):
            raise SimulatorError("not a .parquet or .csv file", "data", text)
    else:
        raise SimulatorError("no such file or folder (and not a database URL)", "data", text)
    if not files:
        raise SimulatorError(f"the {where} holds no .parquet or .csv files", "data", text)
    formats = {fmt for f in files if (fmt := _format(Path(f)))}  # every file has a format (filtered above)
    if len(formats) > 1:
        raise SimulatorError("mixes Parquet and CSV files; point it at one kind", "data", text)
    return files, formats.pop()


def _kind(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "time"
    return "text"


def _schema(path: str, fmt: str) -> pa.Schema:
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return pq.read_schema(path)
        return ds.dataset(path, format="csv").schema
    except (pa.ArrowException, OSError) as exc:
        raise SimulatorError(f"cannot read it ({' '.join(str(exc).split())[:200]})", "data", path) from None


def describe(source, entity: str | None, order_by: str | None, options: ReadOptions) -> TableInfo:
    files, fmt = find_files(source.path)
    schema = _schema(files[0], fmt)
    for other in files[1:]:
        theirs = _schema(other, fmt)
        if not theirs.equals(schema):
            diff = next(
                (
                    f"{f.name}: {f.type} vs {theirs.field(f.name).type}"
                    if f.name in theirs.names
                    else f"{f.name} missing"
                    for f in schema
                    if f.name not in theirs.names or theirs.field(f.name).type != f.type
                ),
                "different columns",
            )
            raise SimulatorError(
                f"the files have different schemas ({files[0]} vs {other}: {diff}); export them with one schema",
                "data",
                source.path,
            )
    columns = {f.name: _kind(f.type) for f in schema}
    ranges: list[Range] = []
    total, size = 0, 0
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for f in files:
            meta = pq.ParquetFile(f).metadata
            for g in range(meta.num_row_groups):
                rg = meta.row_group(g)
                ranges.append(Range(len(ranges), part=(f, g), estimated_rows=rg.num_rows))
                total += rg.num_rows
                size += rg.total_byte_size
    else:
        ranges = [Range(i, part=(f, None)) for i, f in enumerate(files)]
    order = check_column(order_by, list(columns), source.path, "order_by") if order_by else None
    sampling, scale = None, 1.0
    chosen = tuple(ranges)
    if options.sample is not None and options.sample < 1.0:
        chosen = sample_ranges(chosen, options.sample, options.seed)
        scale = len(ranges) / len(chosen)
        sampling = (
            f"range sample: {len(chosen)} of {len(ranges)} row groups/files chosen at random (seed {options.seed})"
        )
    notes = () if order else ("no order_by column: the file position (file, row group, row) is the insertion order",)
    return TableInfo(
        name=entity or source.path,
        ident=(fmt,),
        columns=columns,
        order_by=order,
        estimated_rows=total if fmt == "parquet" else None,
        row_bytes=int(size / total) if total else None,
        ranges=chosen,
        sampling=sampling,
        notes=notes,
        scale=scale,
    )


def _convert(col: pa.ChunkedArray | pa.Array, kind: str) -> pa.Array:
    if kind == "time":
        if pa.types.is_date(col.type):
            col = col.cast(pa.timestamp("ms"))
        return col.cast(pa.timestamp("ms"), safe=False).cast(pa.int64())
    return col.cast(pa.int64() if kind == "int" else pa.string())


def read(source, info: TableInfo, part: Range, fields: Sequence[str], options: ReadOptions) -> Iterator[pa.Table]:
    path, group = part.part
    wanted = list(dict.fromkeys(list(fields) + ([info.order_by] if info.order_by else [])))
    if info.ident[0] == "parquet":
        import pyarrow.parquet as pq

        batches = pq.ParquetFile(path).iter_batches(batch_size=options.chunk_rows, row_groups=[group], columns=wanted)
    else:
        batches = ds.dataset(path, format="csv").to_batches(columns=wanted, batch_size=options.chunk_rows)
    offset = 0
    try:
        for batch in batches:
            cols = {f: _convert(batch.column(f), info.columns[f]) for f in fields}
            if info.order_by:
                cols[ORDER] = _convert(batch.column(info.order_by), info.columns[info.order_by])
            else:
                position = (np.int64(part.index) << np.int64(_POSITION_BITS)) + np.arange(
                    offset, offset + batch.num_rows
                )
                cols[ORDER] = pa.array(position.astype(np.int64))
            offset += batch.num_rows
            yield pa.table(cols)
    except pa.ArrowException as exc:
        raise SimulatorError(f"cannot read it ({' '.join(str(exc).split())[:200]})", "data", path) from None
