"""Mergeable partial results of reading one range of a table: what a Dask task returns.

Per candidate key, the value counts stay exact (a table of distinct key values and their row counts)
while a key has at most `exact_limit` distinct values. Past that bound a key's counts become a sketch,
two documented mergeable summaries:

* Misra-Gries heavy hitters with `k` counters (mergeable as in Agarwal et al., "Mergeable summaries",
  PODS 2012: add the counters, subtract the (k+1)-th largest, keep the positive ones). Each value's
  count is under-estimated by at most rows / (k + 1); every value above that share is kept.
* A bottom-k ("KMV") sample of the distinct key values: the k values of smallest 64-bit hash, each with
  its exact row count (a value in the merged bottom-k is in the bottom-k of every part that holds it).
  Distinct values estimate (k - 1) / (h_k / 2^64), relative standard error about 1 / sqrt(k - 2)
  (Beyer et al., SIGMOD 2007); the sample is a uniform sample of the distinct values for routing.

The insertion-order sample for monotonicity is a bottom-k sample of rows by a hash of their order
value, so it too is the same however the table was split. Merging is associative and, for exact
counts, commutative: in-process and Dask runs give the same tables (they are sorted before use).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
import pyarrow as pa

__all__ = [
    "ORDER",
    "KeyCounts",
    "Limits",
    "Partial",
    "chunk_partial",
    "distinct_estimate",
    "heavy_error",
    "key_values_table",
    "merge",
    "order_sample_rows",
    "row_hash",
    "sort_values",
]

#: Column holding each row's insertion order (a serial key, a timestamp in ms, or the file position).
ORDER = "__order"
_HASH = "__h"
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Limits:
    """Bounds of the partial results: distinct values kept exactly, sketch sizes, order-sample rows."""

    exact_limit: int = 2_000_000
    heavy_k: int = 1_024
    kmv_k: int = 65_536
    order_sample: int = 100_000
    #: Rows whose order hash falls in this lowest fraction of the hash space are candidates for the
    #: order sample (a fixed filter, so still the same however the table is split); set from the
    #: catalog's row estimate to a few times `order_sample` rows, it spares sorting every row.
    order_keep: float = 1.0


@dataclass(frozen=True, eq=False)
class KeyCounts:
    """One key's counts: `exact` (fields + n) while small, else `heavy` and `kmv` (fields + n [+ __h])."""

    fields: tuple[str, ...]
    rows: int
    nulls: int
    exact: pa.Table | None = None
    heavy: pa.Table | None = None
    kmv: pa.Table | None = None

    @property
    def is_exact(self) -> bool:
        return self.exact is not None


@dataclass(frozen=True, eq=False)
class Partial:
    """Rows read, per-key counts, and the insertion-order sample (key fields + ORDER + __h)."""

    rows: int
    keys: tuple[KeyCounts, ...]
    order_sample: pa.Table | None


def _splitmix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finalizer (splitmix64): cheap, vectorized, no compilation on the workers."""
    z = x.astype(np.uint64, copy=True)
    with np.errstate(over="ignore"):
        z += _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _column_hash(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if pa.types.is_integer(col.type):
        return _splitmix(np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.int64).view(np.uint64))
    from simulator._murmur3 import murmur3_varlen

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    arr = arr.cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    flat = np.frombuffer(data, np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
    return murmur3_varlen(flat, np.ascontiguousarray(offsets)).view(np.uint64)


def row_hash(table: pa.Table, fields: tuple[str, ...]) -> np.ndarray:
    """A 64-bit hash of each row's values in `fields` (equal values, equal hashes, wherever they are read)."""
    h = np.zeros(table.num_rows, np.uint64)
    for i, name in enumerate(fields):
        with np.errstate(over="ignore"):
            h = _splitmix(h ^ _column_hash(table.column(name)) + np.uint64(i))
    return h


def _sum_by_value(values: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct int64 values (ascending) and the sum of `n` for each."""
    if values.size == 0:
        return values, n
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < 4 * values.size + 4096:  # dense enough (tenants, serial ids): one bincount
        sums = np.bincount(values - lo, weights=n, minlength=hi - lo + 1)
        present = np.flatnonzero(sums)
        return present.astype(np.int64) + lo, np.rint(sums[present]).astype(np.int64)
    order = np.argsort(values, kind="stable")
    v = values[order]
    starts = np.flatnonzero(np.concatenate([[True], v[1:] != v[:-1]]))
    return v[starts], np.rint(np.add.reduceat(n[order], starts)).astype(np.int64)


def _packed(table: pa.Table, fields: tuple[str, ...]) -> tuple[np.ndarray, list[tuple[int, int]]] | None:
    """Integer key columns packed into one int64 (mixed radix over their value spans), when they fit."""
    cols = [table.column(f).to_numpy() for f in fields]
    spans, total = [], 1
    for c in cols:
        lo, hi = (int(c.min()), int(c.max())) if c.size else (0, 0)
        spans.append((lo, hi - lo + 1))
        total *= hi - lo + 1
    if total >= 2**62:
        return None
    packed = np.zeros(table.num_rows, np.int64)
    for c, (lo, span) in zip(cols, spans, strict=True):
        packed = packed * span + (c - lo)
    return packed, spans


def _group(table: pa.Table, fields: tuple[str, ...], extra: tuple[str, ...] = ()) -> pa.Table:
    """Rows summed (`n`) per distinct value of `fields` (+ `extra`)."""
    if not extra and all(pa.types.is_integer(table.schema.field(f).type) for f in fields):
        packed = _packed(table, fields) if table.num_rows else None
        if packed is not None:
            values, n = _sum_by_value(packed[0], table.column("n").to_numpy().astype(np.float64))
            out = {}
            for f, (lo, span) in reversed(list(zip(fields, packed[1], strict=True))):
                out[f] = values % span + lo
                values = values // span
            return pa.table({**{f: out[f] for f in fields}, "n": n})
    out = table.group_by(list(fields + extra), use_threads=True).aggregate([("n", "sum")])
    return out.rename_columns([*fields, *extra, "n"])


def _misra_gries(table: pa.Table, fields: tuple[str, ...], k: int) -> pa.Table:
    """Keep the k largest counters minus the (k+1)-th largest count (counters already summed)."""
    if table.num_rows <= k:
        return table
    n = table.column("n").to_numpy()
    cut = np.partition(n, n.size - k - 1)[n.size - k - 1]
    keep = np.flatnonzero(n > cut)
    return table.take(keep).set_column(len(fields), "n", pa.array(n[keep] - cut, pa.int64()))


def _bottom_k(table: pa.Table, k: int, order: tuple[str, ...]) -> pa.Table:
    """The k rows of smallest __h (ties broken by `order` columns, so the choice is deterministic)."""
    if table.num_rows > k:
        h = table.column(_HASH).to_numpy()  # signed, the order sort_by uses too
        cut = np.partition(h, k - 1)[k - 1]
        table = table.filter(pa.array(h <= cut))
    table = table.sort_by([(_HASH, "ascending")] + [(c, "ascending") for c in order])
    return table.slice(0, k)


def _sketch(counts: KeyCounts, limits: Limits) -> KeyCounts:
    """Exact counts turned into heavy hitters + bottom-k distinct sample."""
    exact = counts.exact
    assert exact is not None, "only exact counts are sketched"
    hashed = (
        exact.select(list(counts.fields))
        .append_column(_HASH, pa.array(row_hash(exact, counts.fields).view(np.int64)))
        .append_column("n", exact.column("n"))
    )  # the column order _group gives merged sketches
    return KeyCounts(
        counts.fields,
        counts.rows,
        counts.nulls,
        heavy=_misra_gries(exact, counts.fields, limits.heavy_k),
        kmv=_bottom_k(hashed, limits.kmv_k, counts.fields),
    )


def _key_chunk(table: pa.Table, fields: tuple[str, ...], limits: Limits) -> KeyCounts:
    keys = table.select(list(fields))
    present = keys.drop_null()
    exact = _group(present.append_column("n", pa.array(np.ones(present.num_rows, np.int64))), fields)
    counts = KeyCounts(fields, table.num_rows, table.num_rows - present.num_rows, exact=exact)
    return _sketch(counts, limits) if exact.num_rows > limits.exact_limit else counts


def _order_sample(table: pa.Table, fields: tuple[str, ...], limits: Limits) -> pa.Table | None:
    if ORDER not in table.column_names:
        return None
    cols = table.select(list(fields) + [ORDER])
    order = cols.column(ORDER).to_numpy(zero_copy_only=False)
    h = _splitmix(order.astype(np.int64).view(np.uint64))
    if limits.order_keep < 1.0:
        keep = np.flatnonzero(h < np.uint64(min(2**64 - 1, int(limits.order_keep * 2**64))))
        cols, h = cols.take(pa.array(keep)), h[keep]
    cols = cols.append_column(_HASH, pa.array(h.view(np.int64)))
    return _bottom_k(cols, limits.order_sample, (ORDER,))


def chunk_partial(table: pa.Table, keys: tuple[tuple[str, ...], ...], limits: Limits) -> Partial:
    """The partial result of one chunk of rows (key fields, and ORDER when known)."""
    fields = tuple(dict.fromkeys(f for key in keys for f in key))
    return Partial(
        table.num_rows,
        tuple(_key_chunk(table, key, limits) for key in keys),
        _order_sample(table, fields, limits),
    )


def _merge_keys(a: KeyCounts, b: KeyCounts, limits: Limits) -> KeyCounts:
    rows, nulls = a.rows + b.rows, a.nulls + b.nulls
    if a.is_exact and b.is_exact:
        exact = _group(pa.concat_tables([a.exact, b.exact]), a.fields)
        merged = KeyCounts(a.fields, rows, nulls, exact=exact)
        return _sketch(merged, limits) if exact.num_rows > limits.exact_limit else merged
    a = a if not a.is_exact else _sketch(a, limits)
    b = b if not b.is_exact else _sketch(b, limits)
    heavy = _misra_gries(_group(pa.concat_tables([a.heavy, b.heavy]), a.fields), a.fields, limits.heavy_k)
    kmv = _bottom_k(_group(pa.concat_tables([a.kmv, b.kmv]), a.fields, (_HASH,)), limits.kmv_k, a.fields)
    return KeyCounts(a.fields, rows, nulls, heavy=heavy, kmv=kmv)


@overload
def merge(a: Partial, b: Partial | None, limits: Limits = ...) -> Partial: ...
@overload
def merge(a: Partial | None, b: Partial, limits: Limits = ...) -> Partial: ...
@overload
def merge(a: None, b: None, limits: Limits = ...) -> None: ...
def merge(a: Partial | None, b: Partial | None, limits: Limits = Limits()) -> Partial | None:
    """The partial result of the rows of both (either may be None: nothing read yet)."""
    if a is None or b is None:
        return a if b is None else b
    if a.order_sample is None or b.order_sample is None:
        sample = a.order_sample if b.order_sample is None else b.order_sample
    else:
        sample = _bottom_k(pa.concat_tables([a.order_sample, b.order_sample]), limits.order_sample, (ORDER,))
    keys = tuple(_merge_keys(x, y, limits) for x, y in zip(a.keys, b.keys, strict=True))
    return Partial(a.rows + b.rows, keys, sample)


def heavy_error(counts: KeyCounts, limits: Limits) -> float:
    """Misra-Gries bound: each heavy-hitter count is low by at most this many rows."""
    return (counts.rows - counts.nulls) / (limits.heavy_k + 1)


def distinct_estimate(counts: KeyCounts, limits: Limits) -> tuple[int, float]:
    """Distinct values (exact, or the KMV estimate) and its relative standard error (0 when exact)."""
    if counts.exact is not None:
        return counts.exact.num_rows, 0.0
    kmv = counts.kmv
    assert kmv is not None, "counts without exact carry a KMV sample"
    if kmv.num_rows < limits.kmv_k:
        return kmv.num_rows, 0.0  # every distinct value is in the sample
    hk = (float(kmv.column(_HASH).to_numpy().max()) + 2.0**63) / 2.0**64
    k = kmv.num_rows
    return int(round((k - 1) / max(hk, 1e-300))), 1.0 / np.sqrt(k - 2)


def key_values_table(counts: KeyCounts) -> pa.Table:
    """Distinct values and counts to route: exact counts, or heavy hitters then the KMV sample."""
    if counts.exact is not None:
        return counts.exact
    assert counts.kmv is not None, "counts without exact carry a KMV sample"
    return counts.kmv.drop_columns([_HASH])


def sort_values(table: pa.Table, fields: tuple[str, ...]) -> pa.Table:
    """Deterministic order of distinct values (group_by order depends on how rows arrived)."""
    return table.sort_by([(f, "ascending") for f in fields])


def order_sample_rows(sample: pa.Table) -> pa.Table:
    return sample.drop_columns([_HASH]).sort_by([(ORDER, "ascending")])
