"""Cassandra Murmur3 tokens for 10 million bigint keys vs a Python loop over cassandra-driver's hash_fn.

Baseline: `Murmur3Token.hash_fn(key_bytes)` called per key on pre-serialized bytes, timed on a
subsample and extrapolated at its per-key rate (a 10 M-key loop would only take longer, not tell more).
Fairness: the compiled kernels are JIT-compiled (or loaded from numba's cache) by a warm-up call
before any timing; then every round times the driver loop, our call and two references back to back,
so all of them see the same machine state, and each line reports the median over the rounds.
References, for context: the kernel writing into an already-allocated array (no page faults), and
`np.copy` of the keys (one read and one fresh write of the same bytes: the memory floor).
Run: .venv/bin/python benchmarks/bench_cassandra_tokens.py [N] [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys

import numpy as np
from _timing import timed  # puts the project on sys.path
from cassandra.metadata import Murmur3Token

from simulator._blocks import available_threads  # noqa: E402
from simulator._murmur3 import murmur3_int64_into  # noqa: E402
from simulator.hashing import cassandra_token  # noqa: E402


def main(n: int = 10_000_000, rounds: int = 5, sample: int = 300_000) -> None:
    keys = np.random.default_rng(0).integers(-(2**63), 2**63 - 1, n, dtype=np.int64)
    sub = [int(k).to_bytes(8, "big", signed=True) for k in keys[:sample]]
    hash_fn = Murmur3Token.hash_fn
    warm = timed(
        lambda: (cassandra_token(keys[:1000], "bigint"), murmur3_int64_into(keys[:1000], 8, np.empty(1000, np.int64)))
    )
    out = np.empty(n, np.int64)
    runs: dict[str, list[float]] = {"loop": [], "ours": [], "into": [], "copy": []}
    for _ in range(rounds):
        runs["loop"].append(timed(lambda: [hash_fn(b) for b in sub]) * n / sample)
        runs["ours"].append(timed(lambda: cassandra_token(keys, "bigint")))
        runs["into"].append(timed(lambda: murmur3_int64_into(keys, 8, out)))
        runs["copy"].append(timed(lambda: np.copy(keys)))
    med = {k: statistics.median(v) for k, v in runs.items()}
    check = cassandra_token(keys[:sample], "bigint").tolist() == [hash_fn(b) for b in sub]

    def line(label: str, key: str) -> str:
        spread = ", ".join(f"{n / t / 1e6:.0f}" for t in runs[key])
        return f"{label}: {n / med[key] / 1e6:8.1f} M keys/s ({med[key] * 1e3:7.1f} ms)  [rounds: {spread}]"

    print(f"keys: {n:,} bigint; {rounds} interleaved rounds, medians; {available_threads()} CPUs")
    print(
        f"warm-up (JIT compile or cache load, excluded): {warm:.2f} s; baseline subsample {sample:,} keys, extrapolated"
    )
    print(line("baseline  python loop over Murmur3Token.hash_fn ", "loop"))
    print(line("ours      simulator.hashing.cassandra_token     ", "ours"))
    print(line("reference kernel into a preallocated array      ", "into"))
    print(line("reference np.copy of the keys (memory floor)    ", "copy"))
    print(
        f"ratio     ours / baseline                       : {med['loop'] / med['ours']:8.1f}x   "
        f"(exact on subsample: {check})"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 10_000_000, int(args[1]) if len(args) > 1 else 5)
