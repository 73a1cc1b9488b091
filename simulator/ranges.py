"""MongoDB range sharding: chunks over an ordered key, splits at the range size, a balancer, jumbo chunks.

Keys arrive as uint64 ordinals (order-preserving encodings of the shard key, or of its hash for a
hashed key). Memory stays bounded: a chunk keeps its row count and a small weighted sample of its keys,
and splits at the sample's median, so a billion rows never have to be held at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["RangeSharding"]

_SAMPLE = 128
_SIGN = np.uint64(1 << 63)


@dataclass
class RangeSharding:
    """Chunk table of one sharded collection (mutable state of a running simulation)."""

    n_shards: int
    max_rows: int  # range size / average row size
    rng: np.random.Generator
    bounds: np.ndarray = field(default_factory=lambda: np.zeros(1, np.uint64))
    counts: list[int] = field(default_factory=lambda: [0])
    shard: list[int] = field(default_factory=lambda: [0])
    samples: list[np.ndarray] = field(default_factory=lambda: [np.zeros(0, np.uint64)])
    jumbo: list[bool] = field(default_factory=lambda: [False])
    inserts: np.ndarray | None = None
    top_chunk_inserts: int = 0
    migrations: int = 0

    @classmethod
    def hashed(cls, n_shards: int, max_rows: int, rng: np.random.Generator) -> "RangeSharding":
        """Initial chunks for a hashed key: 2 per shard, split points evenly over the int64 hash space."""
        n = 2 * n_shards
        # Ordinals are hash ^ sign bit, so evenly spaced signed split points are evenly spaced here too.
        bounds = (np.arange(n, dtype=np.float64) * (2.0**64 / n)).astype(np.uint64)
        return cls(
            n_shards,
            max_rows,
            rng,
            bounds=bounds,
            counts=[0] * n,
            shard=[i // 2 for i in range(n)],
            samples=[np.zeros(0, np.uint64) for _ in range(n)],
            jumbo=[False] * n,
        )

    def __post_init__(self) -> None:
        if self.inserts is None:
            self.inserts = np.zeros(self.n_shards, np.int64)

    def insert(self, keys: np.ndarray, weights: np.ndarray | None = None) -> None:
        """Route a batch of inserts (in insertion order), then split oversized chunks and balance.

        `weights` (integer row counts per key) lets a caller insert each distinct key value once.
        """
        chunk = np.searchsorted(self.bounds, keys, side="right") - 1
        w = None if weights is None else np.asarray(weights, np.float64)
        per_chunk = np.rint(np.bincount(chunk, weights=w, minlength=self.bounds.size)).astype(np.int64)
        if w is None:
            self.top_chunk_inserts += int(per_chunk[-1])
            self.inserts += np.bincount(np.asarray(self.shard)[chunk], minlength=self.n_shards)
        m = min(keys.size, _SAMPLE * 64)
        if w is None:
            pick = self.rng.integers(0, keys.size, m)
        else:
            pick = self.rng.choice(keys.size, m, p=w / w.sum()) if w.sum() > 0 else np.zeros(0, np.int64)
        picked_keys, picked_chunk = keys[pick], chunk[pick]
        for c in np.flatnonzero(per_chunk):
            new = picked_keys[picked_chunk == c]
            self.samples[c] = self._merge(self.samples[c], self.counts[c], new, int(per_chunk[c]))
            self.counts[c] += int(per_chunk[c])
        self._split_all()
        self._balance()
        if w is not None:
            # Each distinct value stands for rows inserted over the whole run, interleaved with the
            # others: they land where its range ends up, not all in the single initial range.
            before = self.inserts.sum()
            self.inserts = self.inserts + self.shard_rows()
            self.top_chunk_inserts += int(self.counts[-1]) if before == 0 else 0

    def _merge(self, old: np.ndarray, old_n: int, new: np.ndarray, new_n: int) -> np.ndarray:
        both = np.concatenate([old, new])
        if both.size <= _SAMPLE:
            return np.sort(both)
        w = np.concatenate([np.full(old.size, old_n / max(old.size, 1)), np.full(new.size, new_n / max(new.size, 1))])
        # Weighted sampling without replacement (Efraimidis-Spirakis): the S largest log(u) / w.
        score = np.log(self.rng.random(both.size)) / np.maximum(w, 1e-300)
        keep = np.argpartition(score, both.size - _SAMPLE)[-_SAMPLE:]
        return np.sort(both[keep])

    def _split_all(self) -> None:
        c = 0
        while c < self.bounds.size:
            if self.counts[c] > self.max_rows and not self.jumbo[c]:
                if not self._split(c):
                    self.jumbo[c] = True
                continue  # re-check the left half
            c += 1

    def _split(self, c: int) -> bool:
        sample = self.samples[c]
        lo = self.bounds[c]
        cut_candidates = sample[sample > lo]
        if sample.size == 0 or cut_candidates.size == 0 or sample.min() == sample.max():
            return False  # one key value (or no spread we know of): a jumbo chunk
        mid = sample[sample.size // 2]
        if mid <= lo:
            mid = cut_candidates[0]
        left_share = float((sample < mid).sum()) / sample.size
        left_rows = int(round(self.counts[c] * left_share))
        self.bounds = np.insert(self.bounds, c + 1, mid)
        self.counts[c : c + 1] = [left_rows, self.counts[c] - left_rows]
        self.samples[c : c + 1] = [sample[sample < mid], sample[sample >= mid]]
        self.shard.insert(c + 1, self.shard[c])
        self.jumbo.insert(c + 1, False)
        return True

    def shard_rows(self) -> np.ndarray:
        return np.bincount(np.asarray(self.shard), weights=np.asarray(self.counts, np.float64), minlength=self.n_shards).astype(np.int64)

    def _balance(self) -> None:
        # The balancer moves ranges while two shards differ by 3 x the range size or more.
        threshold = 3 * self.max_rows
        for _ in range(self.bounds.size):
            rows = self.shard_rows()
            donor, recipient = int(np.argmax(rows)), int(np.argmin(rows))
            if rows[donor] - rows[recipient] < threshold:
                return
            movable = [i for i, s in enumerate(self.shard) if s == donor and not self.jumbo[i] and self.counts[i] > 0]
            if not movable:
                return
            # Lowest range first; the top range (where monotonic inserts land) is moved last.
            self.shard[movable[0]] = recipient
            self.migrations += 1

    def chunk_table(self) -> list[dict]:
        return [
            {"min_ordinal": int(b), "rows": n, "shard": s, "jumbo": j}
            for b, n, s, j in zip(self.bounds, self.counts, self.shard, self.jumbo)
        ]
