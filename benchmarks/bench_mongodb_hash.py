"""MongoDB hash64 over arrays vs a hashlib loop, for distinct keys and for repeated (tenant) keys.

Baseline: `hashlib.md5(message).digest()[:8]` per value on pre-built hash64 messages (seed, canonical
type, int64 value), timed on a subsample and extrapolated at its per-value rate.
Run: .venv/bin/python benchmarks/bench_mongodb_hash.py [N]
"""

from __future__ import annotations

import hashlib
import struct
import sys
import time

import numpy as np

from simulator.hashing import mongodb_hash


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def baseline_rate(values: np.ndarray) -> tuple[float, list[int]]:
    messages = [struct.pack("<iiq", 0, 10, int(v)) for v in values]
    md5 = hashlib.md5
    unpack = struct.unpack
    out: list[int] = []
    t = best_of(3, lambda: out.__setitem__(slice(None), [unpack("<q", md5(m).digest()[:8])[0] for m in messages]))
    return values.size / t, out


def main(n: int = 5_000_000, sample: int = 300_000) -> None:
    rng = np.random.default_rng(0)
    cases = {
        "distinct int64 keys": rng.integers(-(2**63), 2**63 - 1, n, dtype=np.int64),
        "1,000 tenants repeated": rng.zipf(1.3, n).astype(np.int64) % 1000,
    }
    mongodb_hash(np.arange(1000, dtype=np.int64))  # load the compiled kernel outside the timing
    for label, values in cases.items():
        ours = best_of(3, lambda: mongodb_hash(values))
        rate, expected = baseline_rate(values[:sample])
        exact = mongodb_hash(values[:sample]).tolist() == expected
        print(f"{label}: {n:,} values; baseline subsample {sample:,} (extrapolated per value)")
        print(f"  baseline  hashlib.md5 loop      : {rate / 1e6:8.2f} M values/s")
        print(f"  ours      simulator mongodb_hash: {n / ours / 1e6:8.2f} M values/s ({ours * 1e3:.0f} ms)")
        print(f"  ratio     ours / baseline       : {n / ours / rate:8.1f}x   (exact on subsample: {exact})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000)
