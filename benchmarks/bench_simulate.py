"""A full `simulate` of N rows (default 100 million) against the floor: np.bincount of N precomputed shard ids.

The simulation generates every row (tenant from zipf:1.1 over 1,000 tenants, serial id), hashes the
composite Cassandra partition key (tenant_id, id) with Murmur3, finds its vnode range, and accumulates
rows, requests and tenant spread, streaming 4 M-row chunks; for this key one compiled pass per chunk
does all of it (simulator/_fused.py) without materializing any per-row array. The floor only
counts ids that already exist. Both are timed here, in the same run, in alternating rounds.
Run: .venv/bin/python benchmarks/bench_simulate.py [ROWS] [STORE] [KEY] [ROUNDS]
"""

from __future__ import annotations

import resource
import statistics
import sys
import time

import numpy as np

from simulator.data import parse_key, synthetic_dataset
from simulator.engine import simulate
from simulator.generators import parse_skew
from simulator.stores import StoreConfig


def main(rows: int = 100_000_000, store: str = "cassandra", key: str = "tenant_id,id", rounds: int = 3) -> None:
    rng = np.random.default_rng(0)
    data = synthetic_dataset(1000, rows, parse_skew("zipf:1.1"), "serial", rng)
    config = StoreConfig(shards=16, nodes=16)
    keys = [parse_key(key, list(data.fields))]
    small = synthetic_dataset(1000, 10_000, parse_skew("zipf:1.1"), "serial", rng)
    t = time.perf_counter()
    simulate(store, [parse_key(key, list(small.fields))], small, config, seed=1)  # JIT compile / cache load
    warm = time.perf_counter() - t
    ids = rng.integers(0, 16, rows, dtype=np.int64)

    # Rounds alternate between the two so both see the same machine state; medians are reported.
    ours, floor = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        (res,) = simulate(store, keys, data, config, seed=1)
        ours.append(time.perf_counter() - t)
        assert int(res.per_shard_rows.sum()) == rows
        t = time.perf_counter()
        floor_counts = np.bincount(ids, minlength=16)
        floor.append(time.perf_counter() - t)
        assert floor_counts.sum() == rows
    del ids
    o, f = statistics.median(ours), statistics.median(floor)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows: {rows:,}; store {store}; key {key}; {len(res.labels)} {res.unit}s; {rounds} interleaved rounds, medians"
    )
    print(f"warm-up (JIT compile or cache load, excluded): {warm:.2f} s")
    print(
        f"floor     np.bincount of precomputed shard ids: {f:8.2f} s  ({rows / f / 1e6:7.1f} M rows/s)  "
        f"[{', '.join(f'{x:.2f}' for x in floor)}]"
    )
    print(
        f"ours      simulate (generate + hash + route)  : {o:8.2f} s  ({rows / o / 1e6:7.1f} M rows/s)  "
        f"[{', '.join(f'{x:.2f}' for x in ours)}]"
    )
    print(f"ratio     ours / floor                        : {o / f:8.1f}x slower")
    print(f"peak RSS (includes the floor's {rows * 8 / 2**20:,.0f} MB id array): {peak_mb:,.0f} MB")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 100_000_000, *(args[1:3]), *([int(args[3])] if len(args) > 3 else []))
