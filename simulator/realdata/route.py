"""Route a table's merged key counts through the store models: the synthetic runs' code path, fed real values.

Every distinct key value is routed once with its row count as weight (`StoreModel.route(chunk,
weights)`, the path the synthetic engine takes for tenant keys), then accounted, balanced, alarmed
and ranked exactly like a synthetic candidate. Integer columns route as their values (so Citus hashes
them with PostgreSQL's hashint8, Cassandra as bigint tokens, MongoDB as numbers), timestamps as
milliseconds (CQL timestamp, BSON date), text as literal strings (codes in sorted order, so ranges
keep the values' order).

Key characteristics follow MongoDB's analyzeShardKey (docs/simulator.md): distinct values, the 5 most
common values with their row counts, and monotonicity as the correlation of the key's order with the
insertion order, "monotonic" when |r| >= 0.7; a single hashed field is not monotonic (r = 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from simulator.data import Chunk, Dataset, FieldSpec, KeySpec
from simulator.engine import CandidateResult, Traffic, _patterns
from simulator.metrics import KeyCharacteristics, balance, monotonicity
from simulator.realdata.partial import (
    KeyCounts,
    Limits,
    distinct_estimate,
    heavy_error,
    order_sample_rows,
    sort_values,
)
from simulator.stores import KeyLoad, StoreConfig, store_model

__all__ = ["MONOTONIC_R", "MOST_COMMON", "candidate"]

MONOTONIC_R = 0.7  # analyzeShardKeyMonotonicityCorrelationCoefficientThreshold's default
MOST_COMMON = 5  # analyzeShardKeyNumMostCommonValues' default


def _routing_table(counts: KeyCounts, limits: Limits) -> tuple[pa.Table, np.ndarray, list[str]]:
    """Distinct values to route, their weights (rows), and notes on how exact they are."""
    fields = list(counts.fields)
    if counts.exact is not None:
        table = sort_values(counts.exact, counts.fields)
        return table, table.column("n").to_numpy().astype(np.float64), []
    heavy = counts.heavy
    assert heavy is not None and counts.kmv is not None, "counts without exact carry heavy hitters and a KMV sample"
    rest = counts.kmv.drop_columns(["__h"]).join(heavy.select(fields), keys=fields, join_type="left anti")
    rest_rows = max(0.0, counts.rows - counts.nulls - float(pc.sum(heavy.column("n")).as_py() or 0))
    sampled = float(pc.sum(rest.column("n")).as_py() or 0)
    scale = rest_rows / sampled if sampled else 0.0
    table = sort_values(pa.concat_tables([heavy, rest.select(heavy.column_names)]), counts.fields)
    # Heavy hitters carry their own counts; the sampled values stand in for the rest of the rows.
    is_heavy = pc.is_in(_tuple_ids(table, fields), value_set=_tuple_ids(heavy, fields)).to_numpy(zero_copy_only=False)
    weights = table.column("n").to_numpy().astype(np.float64) * np.where(is_heavy, 1.0, scale)
    return (
        table,
        weights,
        [
            f"key {','.join(fields)}: more than the exact bound of distinct values; per-shard rows are estimated from "
            f"{heavy.num_rows} heavy hitters (each low by at most {heavy_error(counts, limits):,.0f} rows, "
            f"Misra-Gries) and a bottom-k sample of {rest.num_rows:,} other distinct values"
        ],
    )


def _tuple_ids(table: pa.Table, fields: list[str]) -> pa.Array:
    """One string per row that identifies its key tuple (for membership tests)."""
    parts = [pc.cast(table.column(f), pa.string()).combine_chunks() for f in fields]
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")


def _dataset(table: pa.Table, kinds: dict[str, str], rows: int, row_bytes: int, compact: bool) -> tuple[Dataset, Chunk]:
    """The key's distinct values as a Dataset and one Chunk. Text is coded in sorted order with its
    literal values; with `compact`, numbers are too, so a compound range key packs each field in the
    bits its distinct values need rather than 64."""
    fields, columns = {}, {}
    for name, kind in kinds.items():
        if name not in table.column_names:
            fields[name] = FieldSpec(name, "integer")  # not in this key: named for access patterns only
            continue
        col = table.column(name).combine_chunks()
        if kind == "text" or compact:
            unique = pc.unique(col)
            ordered = pc.take(unique, pc.sort_indices(unique))
            codes = pc.index_in(col, value_set=ordered).to_numpy(zero_copy_only=False).astype(np.int64)
            d = max(1, len(ordered))
            values = ordered.cast(pa.timestamp("ms", tz="UTC")) if kind == "time" else ordered
            fields[name] = FieldSpec(name, "categorical", np.full(d, 1.0 / d), tuple(values.to_pylist()))
            columns[name] = [codes]
        else:
            fields[name] = FieldSpec(name, "time" if kind == "time" else "integer")
            columns[name] = [col.to_numpy(zero_copy_only=False).astype(np.int64)]
    return Dataset(max(rows, 1), fields, None, None, row_bytes=row_bytes), Chunk(0, columns, None)


def _most_common(table: pa.Table, fields: Sequence[str], weights: np.ndarray) -> tuple[tuple[str, int], ...]:
    top = np.argsort(-weights, kind="stable")[:MOST_COMMON]
    rows = table.take(pa.array(top)).select(list(fields)).to_pylist()
    label = (lambda r: str(r[fields[0]])) if len(fields) == 1 else (lambda r: ", ".join(f"{f}={r[f]}" for f in fields))
    return tuple((label(r), int(round(weights[i]))) for r, i in zip(rows, top, strict=True))


def _monotonicity(key: KeySpec, sample: pa.Table | None) -> tuple[float, str | None]:
    """r over the insertion-order sample (key rank vs insertion rank), or a note why it is unknown."""
    if len(key.fields) == 1 and key.hashed[0]:
        return 0.0, None  # analyzeShardKey: a single hashed field is not monotonic
    if sample is None:
        return 0.0, "monotonicity unknown: the table has no insertion-order column (give order_by)"
    rows = order_sample_rows(sample).select(list(key.fields)).drop_null()
    if rows.num_rows < 2:
        return 0.0, None
    ranks = [
        pc.rank(rows.column(f), sort_keys="ascending", tiebreaker="dense").to_numpy().astype(np.int64)
        for f in key.fields
    ]
    order = np.lexsort(ranks[::-1])
    stacked = np.stack([r[order] for r in ranks])
    dense = np.empty(rows.num_rows, np.int64)
    dense[order] = np.concatenate([[0], np.cumsum(np.any(stacked[:, 1:] != stacked[:, :-1], axis=0))])
    return monotonicity(dense, np.arange(rows.num_rows)), None


def candidate(
    store: str,
    key: KeySpec,
    counts: KeyCounts,
    sample: pa.Table | None,
    kinds: dict[str, str],
    config: StoreConfig,
    traffic: Traffic,
    rng: np.random.Generator,
    scale: float = 1.0,
    limits: Limits | None = None,
    patterns: Sequence[tuple[str, tuple[str, ...]]] | None = None,
) -> CandidateResult:
    """One candidate key's result from the table's counts (scaled by `scale` for a sample)."""
    limits = limits or Limits()
    table, weights, notes = _routing_table(counts, limits)
    weights = weights * scale
    total = float(weights.sum())
    rows = int(round((counts.rows) * scale))
    model_cls = store_model(store)
    compact = model_cls.order_sensitive and len(key.fields) > 1
    data, chunk = _dataset(table, kinds, rows, config.row_bytes, compact)
    model = model_cls(config, key, data, rng)
    share = weights / total if total > 0 else weights
    # Stores that move data after it lands (MongoDB's balancer) carry each row's requests with it.
    model.set_rates((traffic.reads_per_second + traffic.writes_per_second) / total if total > 0 else 0.0)
    if chunk.size:
        slots = model.route(chunk, weights)
        model.account(slots, traffic.reads_per_second * share, traffic.writes_per_second * share)
    largest = int(round(weights.max())) if weights.size else 0
    load = KeyLoad(
        largest,
        traffic.reads_per_second * share,
        traffic.writes_per_second * share,
        np.ones(share.size),
        traffic.burst_share * traffic.reads_per_second,
        traffic.burst_seconds,
    )
    out = model.outcome(load)
    r, mono_note = _monotonicity(key, sample)
    distinct, err = distinct_estimate(counts, limits)
    if err:
        notes.append(f"key {key}: distinct values estimated (KMV, relative standard error {err:.2%})")
    if counts.nulls:
        notes.append(f"key {key}: {counts.nulls:,} rows have a NULL key field and were not routed")
    if mono_note:
        notes.append(mono_note)
    chars = KeyCharacteristics(
        distinct, _most_common(table, key.fields, weights), round(r, 6), abs(r) >= MONOTONIC_R, largest
    )
    return CandidateResult(
        store=store,
        key=str(key),
        rows=rows,
        unit=out.unit,
        labels=out.labels,
        per_shard_rows=out.rows,
        per_shard_bytes=out.rows * config.row_bytes,
        per_shard_ops=out.ops,
        metrics=balance(out.rows),
        ops_metrics=balance(out.ops),
        characteristics=chars,
        alarms=out.alarms,
        tenants_spread=None,
        access_patterns=_patterns(key, data, model.prefix_targeting, patterns),
        details=out.details,
        notes=tuple(notes) + tuple(out.details.pop("notes", [])),
    )
