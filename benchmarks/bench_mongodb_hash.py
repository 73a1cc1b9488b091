"""MongoDB hash64 over arrays vs a hashlib loop, for distinct keys and for repeated (tenant) keys.

Baseline: `hashlib.md5(message).digest()[:8]` per value on pre-built hash64 messages (seed, canonical
type, int64 value), timed on a subsample and extrapolated at its per-value rate. Rounds alternate
between the loop and our call; medians are reported; the compiled kernel is warmed up first.
Run: .venv/bin/python benchmarks/bench_mongodb_hash.py [N]
"""

from __future__ import annotations

import hashlib
import statistics
import struct
import sys

import numpy as np
from _timing import timed  # puts the project on sys.path

from simulator.hashing import mongodb_hash  # noqa: E402


def main(n: int = 5_000_000, sample: int = 300_000, rounds: int = 3) -> None:
    rng = np.random.default_rng(0)
    cases = {
        "distinct int64 keys": rng.integers(-(2**63), 2**63 - 1, n, dtype=np.int64),
        "1,000 tenants repeated": rng.zipf(1.3, n).astype(np.int64) % 1000,
    }
    warm = timed(lambda: mongodb_hash(np.arange(1000, dtype=np.int64)))  # JIT compile / cache load
    print(f"warm-up (JIT compile or cache load, excluded): {warm:.2f} s; {rounds} interleaved rounds, medians")
    md5, unpack = hashlib.md5, struct.unpack
    for label, values in cases.items():
        messages = [struct.pack("<iiq", 0, 10, int(v)) for v in values[:sample]]
        loop, ours = [], []
        for _ in range(rounds):  # alternate so both see the same machine state
            loop.append(
                timed(lambda messages=messages: [unpack("<q", md5(m).digest()[:8])[0] for m in messages]) * n / sample
            )
            ours.append(timed(lambda values=values: mongodb_hash(values)))
        lo, us = statistics.median(loop), statistics.median(ours)
        expected = [unpack("<q", md5(m).digest()[:8])[0] for m in messages]
        exact = mongodb_hash(values[:sample]).tolist() == expected
        print(f"{label}: {n:,} values; baseline subsample {sample:,} (extrapolated per value)")
        print(f"  baseline  hashlib.md5 loop      : {n / lo / 1e6:8.2f} M values/s")
        print(f"  ours      simulator mongodb_hash: {n / us / 1e6:8.2f} M values/s ({us * 1e3:.0f} ms)")
        print(f"  ratio     ours / baseline       : {lo / us:8.1f}x   (exact on subsample: {exact})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000)
