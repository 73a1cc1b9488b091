"""Run candidate keys through a store model over streamed rows and collect their metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.checks import check_count, check_number, check_seed
from simulator.data import Chunk, Dataset, KeySpec, iter_chunks
from simulator.encode import encoding_notes, ordinals
from simulator.generators import SkewSpec, split_counts, tenant_weights
from simulator.grow import DEFAULT_MIB_PER_SECOND, check_growth
from simulator.imbalance import imbalance_alarms
from simulator.metrics import Alarm, BalanceMetrics, KeyCharacteristics, balance, monotonicity
from simulator.stores import KeyLoad, StoreConfig, store_model

__all__ = ["Traffic", "CandidateResult", "simulate", "rank"]

_MONOTONIC_R = 0.7
_SAMPLE_ROWS = 100_000


@dataclass(frozen=True)
class Traffic:
    """Requests per second and how they spread over tenants (None = in proportion to tenant size)."""

    reads_per_second: float = 10_000.0
    writes_per_second: float = 1_000.0
    read_skew: SkewSpec | None = None
    write_skew: SkewSpec | None = None
    burst_share: float = 0.0
    burst_seconds: float = 60.0


@dataclass(frozen=True, eq=False)
class CandidateResult:
    """Everything one key's simulation found."""

    store: str
    key: str
    rows: int
    unit: str
    labels: tuple[str, ...]
    per_shard_rows: np.ndarray
    per_shard_bytes: np.ndarray
    per_shard_ops: np.ndarray
    metrics: BalanceMetrics
    ops_metrics: BalanceMetrics
    characteristics: KeyCharacteristics
    alarms: tuple[Alarm, ...]
    tenants_spread: int | None
    access_patterns: tuple[dict[str, Any], ...]
    details: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def score(self) -> tuple[float, float]:
        """Lower is better: alarms first, then the worse of row and traffic imbalance."""
        return (len(self.alarms), max(self.metrics.max_over_mean, self.ops_metrics.max_over_mean))

    def to_dict(self) -> dict[str, Any]:
        targeted = [p for p in self.access_patterns if p["targeted"]]
        return {
            "store": self.store,
            "key": self.key,
            "rows": self.rows,
            "shards": len(self.labels),
            "unit": self.unit,
            "per_shard": {
                "labels": list(self.labels),
                "rows": [int(x) for x in self.per_shard_rows],
                "bytes": [int(x) for x in self.per_shard_bytes],
                "ops": [round(float(x), 3) for x in self.per_shard_ops],
            },
            "metrics": self.metrics.to_dict(),
            "ops_metrics": self.ops_metrics.to_dict(),
            "key_characteristics": self.characteristics.to_dict(),
            "tenants_on_more_than_one_shard": self.tenants_spread,
            "access_patterns": {
                "single_shard_share": len(targeted) / max(1, len(self.access_patterns)),
                "patterns": list(self.access_patterns),
            },
            "alarms": [a.to_dict() for a in self.alarms],
            "details": self.details,
            "notes": list(self.notes),
        }


def _per_group_traffic(data: Dataset, traffic: Traffic, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Reads and writes per second of each group (tenant); its rows share them evenly."""
    assert data.group_counts is not None  # only called for a dataset with a group field
    counts = data.group_counts.astype(np.float64)
    size_share = counts / counts.sum()
    order = np.argsort(counts, kind="stable")[::-1]

    def spread(skew: SkewSpec | None) -> np.ndarray:
        if skew is None:
            return size_share
        w = np.zeros(counts.size)
        w[order] = tenant_weights(skew, counts.size, rng)  # the largest tenants are also the busiest
        return w

    return traffic.reads_per_second * spread(traffic.read_skew), traffic.writes_per_second * spread(traffic.write_skew)


def _per_row(rate_per_group: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each group's requests per second shared evenly by its rows; an empty group has none to share."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, rate_per_group / counts, 0.0)


def _key_load(key: KeySpec, data: Dataset, reads_g, writes_g, traffic: Traffic) -> tuple[KeyLoad, KeyCharacteristics]:
    specs = [data.fields[f] for f in key.fields]
    unique = any(s.distinct is None for s in specs)
    counts = data.group_counts
    group = data.group
    if group is not None and key.fields == (group,):
        assert counts is not None  # a dataset with a group field has its counts
        order = np.argsort(counts, kind="stable")[::-1][:5]
        values = data.fields[group].values
        mc = tuple((str(values[i]) if i < len(values) else str(int(i)), int(counts[i])) for i in order)
        load = KeyLoad(int(counts.max()), reads_g, writes_g, np.ones(counts.size), 0.0)
        distinct = int((counts > 0).sum())
    elif unique:
        per_row_r = (
            _per_row(reads_g, counts) if counts is not None else np.array([traffic.reads_per_second / data.rows])
        )
        per_row_w = (
            _per_row(writes_g, counts) if counts is not None else np.array([traffic.writes_per_second / data.rows])
        )
        n = counts if counts is not None else np.array([data.rows])
        load = KeyLoad(1, per_row_r, per_row_w, n.astype(np.float64))
        distinct, mc = data.rows, ()
    else:
        w = np.ones(1)
        for s in specs:
            weights = s.weights
            assert weights is not None  # no per-row unique field here: every field has weights
            w = np.outer(w, weights).ravel() if w.size * weights.size <= 1_000_000 else w * weights.max()
        value_rows = data.rows * w
        load = KeyLoad(
            int(np.ceil(value_rows.max())),
            traffic.reads_per_second * w,
            traffic.writes_per_second * w,
            np.ones(w.size),
        )
        top = np.argsort(w)[::-1][:5]
        distinct, mc = int(min(data.rows, (w > 0).sum())), tuple((str(int(i)), int(round(value_rows[i]))) for i in top)
    load = KeyLoad(
        load.max_rows_per_value, load.value_reads, load.value_writes, load.value_counts,
        traffic.burst_share * traffic.reads_per_second, traffic.burst_seconds,
    )
    return load, KeyCharacteristics(distinct, mc, 0.0, False, load.max_rows_per_value)


def _monotonicity(key: KeySpec, data: Dataset, seed: np.random.SeedSequence) -> tuple[float, bool]:
    """Correlation of key order with insertion order over the first rows, and whether that is monotonic.

    Hashed fields are read as the store orders them, by their hash; a key that leads with a hashed field
    is never monotonic (its order is the hash's), like analyzeShardKey.
    """
    rng = np.random.default_rng(seed)
    first = next(iter_chunks(data, key.fields, min(data.rows, _SAMPLE_ROWS), rng, shuffle=True))
    keys, _ = ordinals(key, data, first)
    r = monotonicity(keys, np.arange(first.size))
    return r, abs(r) >= _MONOTONIC_R and not key.hashed[0]


def _patterns(
    key: KeySpec, data: Dataset, prefix: bool, given: Sequence[tuple[str, tuple[str, ...]]] | None
) -> tuple[dict[str, Any], ...]:
    """Which access patterns one shard serves: a range key needs its first field in the pattern's
    equality fields, a hash key all of its fields; anything else is scatter-gather.

    Without `given` patterns (name, equality fields), equality lookups on each field and on the
    tenant plus each other field stand in.
    """
    combos: list[tuple[str, tuple[str, ...]]]
    if given is None:
        combos = [(" and ".join(f"{f} = ?" for f in c), c) for c in [(f,) for f in data.fields]]
        if data.group:
            combos += [(f"{data.group} = ? and {f} = ?", (data.group, f)) for f in data.fields if f != data.group]
    else:
        combos = list(given)
    needed = key.fields[:1] if prefix else key.fields
    return tuple(
        {"pattern": name, "equality": list(fields), "targeted": all(f in fields for f in needed)}
        for name, fields in combos
    )


def simulate(
    store: str,
    keys: Sequence[KeySpec],
    data: Dataset,
    config: StoreConfig,
    seed: int,
    traffic: Traffic = Traffic(),
    chunk_rows: int = 4_000_000,
    progress: Callable[[int], None] | None = None,
    patterns: Sequence[tuple[str, tuple[str, ...]]] | None = None,
    fused: bool = True,
    grow: int = 0,
    move_mib_per_second: float | None = None,
) -> list[CandidateResult]:
    """Simulate every candidate key on the same generated rows; results in the order of `keys`.

    `fused=False` forces the generic path (materialized chunks) where a store offers a fused kernel;
    both give identical results, which is how the fused kernels are tested.
    """
    model_cls = store_model(store)
    _check_arguments(seed, traffic, chunk_rows)
    model_cls.check_memory(config)
    grow, mib_per_second = check_growth(
        grow, DEFAULT_MIB_PER_SECOND if move_mib_per_second is None else move_mib_per_second
    )
    root = np.random.SeedSequence(seed)
    traffic_seed, data_seed, store_seed, sample_seed = root.spawn(4)
    reads_g: np.ndarray | None
    writes_g: np.ndarray | None
    if data.group:
        reads_g, writes_g = _per_group_traffic(data, traffic, np.random.default_rng(traffic_seed))
    else:
        reads_g = writes_g = None
    results = []
    for key in keys:
        model = model_cls(config, key, data, np.random.default_rng(store_seed))
        # What the store routes on: Citus distributes on the key's first column only.
        routed = model.routing_key(key)
        load, chars = _key_load(routed, data, reads_g, writes_g, traffic)
        if data.group:
            # Set above for a dataset with a group field.
            assert reads_g is not None and writes_g is not None and data.group_counts is not None
            model.set_rates(_per_row(reads_g + writes_g, data.group_counts))
        else:
            model.set_rates((traffic.reads_per_second + traffic.writes_per_second) / data.rows)
        spread_pairs = _run(model, routed, data, reads_g, writes_g, traffic, data_seed, chunk_rows, progress, fused)
        out = model.outcome(load)
        slot_shard = model.slot_shards()
        spread = None
        if spread_pairs is not None:
            first, other = spread_pairs
            both = (first >= 0) & (other >= 0)
            spread = int((slot_shard[first[both]] != slot_shard[other[both]]).sum())
        if grow:
            out.details["grow"] = model.grow(grow, mib_per_second)
        r, monotonic = _monotonicity(routed, data, sample_seed)
        chars = KeyCharacteristics(
            chars.distinct_values, chars.most_common, round(r, 6), monotonic, chars.max_rows_per_value
        )
        alarms = out.alarms + imbalance_alarms(store, balance(out.rows), balance(out.ops))
        results.append(
            CandidateResult(
                store=store,
                key=str(key),
                rows=data.rows,
                unit=out.unit,
                labels=out.labels,
                per_shard_rows=out.rows,
                per_shard_bytes=out.rows * config.bytes_per_row,
                per_shard_ops=out.ops,
                metrics=balance(out.rows),
                ops_metrics=balance(out.ops),
                characteristics=chars,
                alarms=alarms,
                tenants_spread=spread,
                access_patterns=_patterns(routed, data, model.prefix_targeting, patterns),
                details=out.details,
                notes=tuple(data.notes) + tuple(encoding_notes(key, data)) + tuple(out.details.pop("notes", [])),
            )
        )
    return results


def _check_arguments(seed: int, traffic: Traffic, chunk_rows: int) -> None:
    """One-line errors naming the argument for what numpy would otherwise reject with a traceback (or
    silently turn into NaN in the output)."""
    check_seed(seed)
    check_count("chunk_rows", chunk_rows, 1, 2**31, example=4_000_000)
    check_number("reads_per_second", traffic.reads_per_second, minimum=0, maximum=1e15, example=10_000)
    check_number("writes_per_second", traffic.writes_per_second, minimum=0, maximum=1e15, example=1_000)
    check_number("burst_share", traffic.burst_share, minimum=0, maximum=1, example=0.2)
    check_number("burst_seconds", traffic.burst_seconds, above=0, maximum=1e9, example=60)


def _run(model, key, data, reads_g, writes_g, traffic, data_seed, chunk_rows, progress, fused=True):
    """Route all rows; returns per tenant its first slot and another slot it reached (-1: none)."""
    if data.group and key.fields == (data.group,):
        # O(tenants): every row of a tenant shares its key, so route each tenant once with its count.
        codes = np.arange(data.group_counts.size, dtype=np.int64)
        chunk = Chunk(0, {data.group: [codes]}, codes)
        slots = model.route(chunk, data.group_counts)
        model.account(slots, reads_g, writes_g)
        if progress:
            progress(data.rows)
        return slots, np.full(slots.size, -1, np.int64)
    rng = np.random.default_rng(data_seed)
    needed = list(key.fields)
    groups = data.group_counts.size if data.group else 0
    # Per tenant: the first slot its rows went to and some other slot, if any (enough to tell
    # whether the tenant spans shards once slots are mapped to shards, without a tenants x slots table).
    first = np.full(groups, -1, np.int64)
    other = np.full(groups, -1, np.int64)
    n_slots = max(model.n_slots, 1)
    # Small tenants x slots tables are counted outright: one unweighted bincount per chunk gives
    # rows per slot, requests per slot and the tenants' spread at once.
    table = np.zeros(groups * n_slots, np.int64) if 0 < groups * n_slots <= 4_000_000 else None
    counter = model.fused_counter() if fused and table is not None and not model.order_sensitive else None
    if counter is not None:
        # Same rows as iter_chunks (it draws nothing else for these fields), never materialized.
        start = 0
        for part in split_counts(data.group_counts, chunk_rows, rng):
            counter(start, part, table.reshape(groups, n_slots))
            start += int(part.sum())
            if progress:
                progress(int(part.sum()))
    chunks = () if counter is not None else iter_chunks(data, needed, chunk_rows, rng, shuffle=model.order_sensitive)
    for chunk in chunks:
        slots = model.route(chunk)
        if chunk.group is not None and table is not None:
            table += np.bincount(chunk.group * n_slots + slots, minlength=table.size)
        elif chunk.group is not None:
            g = chunk.group
            cnt = data.group_counts[g]
            model.account(slots, reads_g[g] / cnt, writes_g[g] / cnt)
            unseen = first[g] < 0
            first[g[unseen]] = slots[unseen]
            differs = slots != first[g]
            other[g[differs]] = slots[differs]
        else:
            n = chunk.size
            model.account(
                slots,
                np.full(n, traffic.reads_per_second / data.rows),
                np.full(n, traffic.writes_per_second / data.rows),
            )
        if progress:
            progress(chunk.size)
    if not groups:
        return None
    if table is not None:
        m = table.reshape(groups, n_slots)
        counts = data.group_counts
        model.account(np.arange(n_slots), _per_row(reads_g, counts) @ m, _per_row(writes_g, counts) @ m)
        nz = m > 0
        has = nz.any(axis=1)
        first = np.where(has, nz.argmax(axis=1), -1)
        last = n_slots - 1 - nz[:, ::-1].argmax(axis=1)
        other = np.where(has & (last != first), last, -1)
    return first, other


def rank(results: Sequence[CandidateResult]) -> list[CandidateResult]:
    """Candidates best first (fewest alarms, then the most even spread of rows and traffic)."""
    return sorted(results, key=lambda r: r.score)
