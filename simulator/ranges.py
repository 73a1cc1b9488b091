"""MongoDB range sharding: ranges (chunks) over an ordered key, splits at the range size, the balancer,
jumbo ranges.

Keys arrive as uint64 ordinals (order-preserving encodings of the shard key, or of its hash for a
hashed key). Streamed inserts keep memory bounded: a range keeps its row count and a small weighted
sample of its keys, and splits at the sample's median. Keys given once each with their row counts
(`insert(keys, weights)`) are packed exactly: ranges of at most the range size in key order, and a
range of its own (jumbo) for a single key value larger than the range size.

The balancer follows MongoDB 6.0+ (data-size based): it moves ranges from the shard with the most data
to the shard with the least while the two differ by at least 3 x the range size (the migration threshold,
https://www.mongodb.com/docs/manual/core/sharding-balancer-administration/#migration-thresholds),
and never moves a jumbo range. `balance()` runs it to that end state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["RangeSharding", "MIGRATION_THRESHOLD_RANGES"]

_SAMPLE = 128
#: MongoDB's migration threshold, in range sizes (3 x the configured range size since 6.0).
MIGRATION_THRESHOLD_RANGES = 3


@dataclass
class RangeSharding:
    """Range table of one sharded collection (mutable state of a running simulation)."""

    n_shards: int
    max_rows: int  # range size / average row size
    rng: np.random.Generator
    bounds: np.ndarray = field(default_factory=lambda: np.zeros(1, np.uint64))
    counts: list[int] = field(default_factory=lambda: [0])
    #: Requests/s of each range's rows (they move with the range).
    ops: list[float] = field(default_factory=lambda: [0.0])
    shard: list[int] = field(default_factory=lambda: [0])
    samples: list[np.ndarray] = field(default_factory=lambda: [np.zeros(0, np.uint64)])
    jumbo: list[bool] = field(default_factory=lambda: [False])
    inserts: np.ndarray | None = None
    top_chunk_inserts: int = 0
    #: Inserts made while the collection had more than one range (the hot-spot share's denominator).
    split_inserts: int = 0
    migrations: int = 0
    migrated_rows: int = 0
    #: Exactly known key values and their row counts (the `weights` path), sorted by key.
    exact_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    exact_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    exact_ops: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))

    @classmethod
    def hashed(cls, n_shards: int, max_rows: int, rng: np.random.Generator) -> RangeSharding:
        """Initial ranges for a hashed key: 2 per shard, split points evenly over the int64 hash space."""
        n = 2 * n_shards
        # Ordinals are hash ^ sign bit, so evenly spaced signed split points are evenly spaced here too.
        bounds = (np.arange(n, dtype=np.float64) * (2.0**64 / n)).astype(np.uint64)
        return cls(
            n_shards,
            max_rows,
            rng,
            bounds=bounds,
            counts=[0] * n,
            ops=[0.0] * n,
            shard=[i // 2 for i in range(n)],
            samples=[np.zeros(0, np.uint64) for _ in range(n)],
            jumbo=[False] * n,
        )

    def __post_init__(self) -> None:
        if self.inserts is None:
            self.inserts = np.zeros(self.n_shards, np.int64)

    def insert(self, keys: np.ndarray, weights: np.ndarray | None = None, ops: np.ndarray | None = None) -> None:
        """Route a batch of inserts (in insertion order), then split oversized ranges and balance.

        `weights` (integer row counts per key) gives each distinct key value once with its rows; those
        are packed exactly (see the module's docstring). `ops` are the requests/s of each key (row).
        """
        ops = np.zeros(np.shape(keys)[0]) if ops is None else np.asarray(ops, np.float64)
        if weights is not None:
            counts = np.rint(np.asarray(weights, np.float64)).astype(np.int64)
            self._insert_exact(np.asarray(keys, np.uint64), counts, ops)
            return
        chunk = np.searchsorted(self.bounds, keys, side="right") - 1
        per_chunk = np.bincount(chunk, minlength=self.bounds.size).astype(np.int64)
        ops_chunk = np.bincount(chunk, weights=ops, minlength=self.bounds.size)
        if self.bounds.size > 1:
            self.top_chunk_inserts += int(per_chunk[-1])
            self.split_inserts += int(keys.size)
        assert self.inserts is not None  # __post_init__ sets it
        self.inserts += np.bincount(np.asarray(self.shard)[chunk], minlength=self.n_shards)
        m = min(keys.size, _SAMPLE * 64)
        pick = self.rng.integers(0, keys.size, m)
        picked_keys, picked_chunk = keys[pick], chunk[pick]
        for c in np.flatnonzero(per_chunk):
            new = picked_keys[picked_chunk == c]
            self.samples[c] = self._merge(self.samples[c], self.counts[c], new, int(per_chunk[c]))
            self.counts[c] += int(per_chunk[c])
            self.ops[c] += float(ops_chunk[c])
        self._split_all()
        self.balance()

    def _insert_exact(self, keys: np.ndarray, weights: np.ndarray, ops: np.ndarray) -> None:
        if sum(self.counts) != int(self.exact_counts.sum()):
            raise ValueError("a range table takes streamed or counted inserts, not both")
        both = np.concatenate([self.exact_keys, keys])
        values, inverse = np.unique(both, return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate([self.exact_counts, weights]).astype(np.float64))
        value_ops = np.bincount(inverse, weights=np.concatenate([self.exact_ops, ops]))
        present = counts > 0  # a tenant without rows has no documents in any range
        self.exact_keys, self.exact_counts = values[present], np.rint(counts[present]).astype(np.int64)
        self.exact_ops = value_ops[present]
        self._pack()
        # Each value stands for rows inserted over the whole run, interleaved with the others: they land
        # where its range ends up, not all in the single initial range.
        total = int(weights.sum())
        if self.bounds.size > 1:
            self.top_chunk_inserts += int(round(total * self.counts[-1] / max(1, sum(self.counts))))
            self.split_inserts += total
        self.balance()
        self.inserts = self.shard_rows()

    def _pack(self) -> None:
        """Ranges over the exact values: cut before a value that would take a range past the range
        size, at every existing bound (earlier splits stay), and around any value larger than the range
        size (a jumbo range). A new range starts on the shard that held its lower bound."""
        old_bounds, old_shard = self.bounds, np.asarray(self.shard)
        keys, counts, limit = self.exact_keys, self.exact_counts, self.max_rows
        area = np.searchsorted(old_bounds, keys, side="right") - 1
        if keys.size == 0:
            return
        starts, sizes = [0], [0]
        for i in range(keys.size):
            n = int(counts[i])
            new_area = i > 0 and area[i] != area[i - 1]
            if sizes[-1] > 0 and (new_area or sizes[-1] + n > limit or n > limit):
                starts.append(i)
                sizes.append(0)
            elif new_area:  # an empty range before this value: keep the old bound
                starts[-1] = i
            sizes[-1] += n
        lows = [int(keys[s]) for s in starts]
        bounds = sorted(set(int(b) for b in old_bounds) | set(lows[1:]) | {int(old_bounds[0])})
        bounds_arr = np.array(bounds, np.uint64)
        which = np.searchsorted(bounds_arr, keys, side="right") - 1
        per_range = np.bincount(which, weights=counts.astype(np.float64), minlength=bounds_arr.size)
        single = np.bincount(which, minlength=bounds_arr.size) == 1
        self.bounds = bounds_arr
        self.counts = [int(x) for x in np.rint(per_range)]
        self.ops = [float(x) for x in np.bincount(which, weights=self.exact_ops, minlength=bounds_arr.size)]
        self.shard = [int(s) for s in old_shard[np.searchsorted(old_bounds, bounds_arr, side="right") - 1]]
        self.jumbo = [bool(single[c] and self.counts[c] > limit) for c in range(bounds_arr.size)]
        self.samples = [np.zeros(0, np.uint64) for _ in range(bounds_arr.size)]

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

    def _cut(self, c: int, at: np.uint64, left_rows: int, left: np.ndarray, right: np.ndarray) -> None:
        self.bounds = np.insert(self.bounds, c + 1, at)
        left_ops = self.ops[c] * (left_rows / self.counts[c]) if self.counts[c] else 0.0
        self.counts[c : c + 1] = [left_rows, self.counts[c] - left_rows]
        self.ops[c : c + 1] = [left_ops, self.ops[c] - left_ops]
        self.samples[c : c + 1] = [left, right]
        self.shard.insert(c + 1, self.shard[c])
        self.jumbo.insert(c + 1, False)

    def _split(self, c: int) -> bool:
        """Split range c at its sample's median; a range whose sample holds one value is cut around that
        value, and is jumbo (False) once it holds nothing else."""
        sample = self.samples[c]
        if sample.size == 0:
            return False
        lo = self.bounds[c]
        hi = self.bounds[c + 1] if c + 1 < self.bounds.size else None
        if sample.min() == sample.max():
            v = sample[0]
            if v > lo:  # rows below v were not sampled: the left part is (estimated) empty
                self._cut(c, v, 0, np.zeros(0, np.uint64), sample)
                return True
            nxt = v + np.uint64(1) if v < np.uint64(2**64 - 1) else None
            if nxt is not None and (hi is None or nxt < hi):
                self._cut(c, nxt, self.counts[c], sample, np.zeros(0, np.uint64))
                return True
            return False  # one key value over the range size: a jumbo range
        mid = sample[sample.size // 2]
        if mid <= lo:
            mid = sample[sample > lo][0]
        left_share = float((sample < mid).sum()) / sample.size
        self._cut(c, mid, int(round(self.counts[c] * left_share)), sample[sample < mid], sample[sample >= mid])
        return True

    def shard_rows(self) -> np.ndarray:
        counts = np.asarray(self.counts, np.float64)
        return np.bincount(np.asarray(self.shard), weights=counts, minlength=self.n_shards).astype(np.int64)

    def balance(self) -> int:
        """Run the balancer to its end state; returns the number of migrations it made.

        While some shard with a movable (non-jumbo, non-empty) range holds at least 3 x the range size
        more than the shard with the least data, move its lowest movable range there (the top range,
        where monotonic inserts land, goes last). Every move shrinks the spread of shard sizes (a range
        is at most a third of the gap), so this ends.
        """
        threshold = MIGRATION_THRESHOLD_RANGES * self.max_rows
        counts = np.asarray(self.counts, np.int64)
        shard = np.asarray(self.shard, np.int64)
        movable = ~np.asarray(self.jumbo, bool) & (counts > 0)
        rows = np.bincount(shard, weights=counts.astype(np.float64), minlength=self.n_shards)
        moves = 0
        while True:
            recipient = int(np.argmin(rows))
            donor = -1
            for s in np.argsort(-rows, kind="stable"):
                if rows[s] - rows[recipient] < threshold:
                    break
                if (movable & (shard == s)).any():
                    donor = int(s)
                    break
            if donor < 0:
                break
            r = int(np.flatnonzero(movable & (shard == donor))[0])
            shard[r] = recipient
            rows[donor] -= counts[r]
            rows[recipient] += counts[r]
            moves += 1
            self.migrated_rows += int(counts[r])
        self.shard = [int(s) for s in shard]
        self.migrations += moves
        return moves

    def add_shards(self, n: int) -> int:
        """Add `n` empty shards and balance; returns the rows the balancer migrated to even them out."""
        before = self.migrated_rows
        self.n_shards += n
        self.inserts = np.concatenate([self.inserts, np.zeros(n, np.int64)])
        self.balance()
        return self.migrated_rows - before

    def chunk_table(self) -> list[dict]:
        return [
            {"min_ordinal": int(b), "rows": n, "shard": s, "jumbo": j}
            for b, n, s, j in zip(self.bounds, self.counts, self.shard, self.jumbo, strict=True)
        ]
