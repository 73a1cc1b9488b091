"""Cassandra Murmur3 tokens for 10 million bigint keys vs a Python loop over cassandra-driver's hash_fn.

Baseline: `Murmur3Token.hash_fn(key_bytes)` called per key on pre-serialized bytes, timed on a
subsample and extrapolated at its per-key rate (a 10 M-key loop would only take longer, not tell more).
Both runs happen here, now, on this machine; the ratio is what this script reports.
Run: .venv/bin/python benchmarks/bench_cassandra_tokens.py [N]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from cassandra.metadata import Murmur3Token

from simulator.hashing import cassandra_token


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(n: int = 10_000_000, sample: int = 300_000) -> None:
    keys = np.random.default_rng(0).integers(-(2**63), 2**63 - 1, n, dtype=np.int64)
    cassandra_token(keys[:1000], "bigint")  # load the compiled kernel outside the timing
    ours = best_of(5, lambda: cassandra_token(keys, "bigint"))

    sub = [int(k).to_bytes(8, "big", signed=True) for k in keys[:sample]]
    hash_fn = Murmur3Token.hash_fn
    loop = best_of(3, lambda: [hash_fn(b) for b in sub])
    loop_rate = sample / loop

    check = cassandra_token(keys[:sample], "bigint").tolist() == [hash_fn(b) for b in sub]
    our_rate = n / ours
    print(f"keys: {n:,} bigint; baseline subsample: {sample:,} keys (extrapolated per key)")
    print(f"baseline  python loop over Murmur3Token.hash_fn: {loop_rate / 1e6:8.2f} M keys/s")
    print(f"ours      simulator.hashing.cassandra_token    : {our_rate / 1e6:8.2f} M keys/s ({ours * 1e3:.1f} ms)")
    print(f"ratio     ours / baseline                      : {our_rate / loop_rate:8.1f}x   (exact on subsample: {check})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000)
