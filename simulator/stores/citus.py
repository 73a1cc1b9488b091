"""Citus: hash-distributed tables, `shard_count` ranges over the int32 hash space, tenant isolation."""

from __future__ import annotations

import numpy as np

from simulator.data import Chunk
from simulator.encode import cassandra_tokens
from simulator.grow import growth_report
from simulator.metrics import Alarm
from simulator.pghash import pg_hashint8
from simulator.stores.base import KeyLoad, StoreModel, StoreOutcome, register

__all__ = ["CitusModel"]


#: rebalance_table_shards' default threshold: a worker within 10% of the average is balanced.
REBALANCE_THRESHOLD = 0.1


def rebalance(sizes: np.ndarray, placement: np.ndarray, workers: int) -> tuple[np.ndarray, int, float]:
    """Citus's rebalancer by data size: (new placement, shard moves, rows moved).

    While the fullest or the emptiest worker is off the average by more than the threshold, move the
    shard on the fullest worker whose size is closest to half their gap (any shard smaller than the gap
    evens them out, so this ends).
    """
    placement = np.asarray(placement, np.int64).copy()
    sizes = np.asarray(sizes, np.float64)
    load = np.bincount(placement, weights=sizes, minlength=workers)
    mean = load.mean()
    moves, moved = 0, 0.0
    for _ in range(sizes.size * workers):
        donor, recipient = int(np.argmax(load)), int(np.argmin(load))
        if load[donor] <= mean * (1 + REBALANCE_THRESHOLD) and load[recipient] >= mean * (1 - REBALANCE_THRESHOLD):
            break
        gap = load[donor] - load[recipient]
        candidates = np.flatnonzero((placement == donor) & (sizes > 0) & (sizes < gap))
        if candidates.size == 0:
            break
        shard = int(candidates[np.argmin(np.abs(sizes[candidates] - gap / 2))])
        placement[shard] = recipient
        load[donor] -= sizes[shard]
        load[recipient] += sizes[shard]
        moves += 1
        moved += sizes[shard]
    return placement, moves, moved


@register
class CitusModel(StoreModel):
    """The distribution column is the key's first field; isolated tenants get a shard of their own."""

    name = "citus"
    unit = "worker"

    @classmethod
    def memory_bytes(cls, config):
        shards, workers = config.shards or 32, config.nodes or 4
        argument, value = ("shards", config.shards) if shards >= workers else ("nodes", config.nodes)
        return (shards + workers) * 64.0, argument, value

    @classmethod
    def routing_key(cls, key):
        # create_distributed_table takes one distribution column: later key fields do not place rows.
        return type(key)(key.fields[:1], key.hashed[:1])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.shard_count = self.config.shards or 32
        self.workers = self.config.nodes or 4
        self.column = self.key.fields[0]
        spec = self.data.fields[self.column]
        self.exact = len(spec.widths) == 1 and not spec.values
        isolate = self.config.isolate if self.column == self.data.group else 0
        counts = self.data.group_counts if isolate else np.zeros(0)
        assert counts is not None  # isolating needs the tenant column, whose counts the dataset has
        self.isolated = np.argsort(counts, kind="stable")[::-1][:isolate] if isolate else np.zeros(0, np.int64)
        self.iso_slot = np.full(counts.size, -1, np.int64)
        self.iso_slot[self.isolated] = self.shard_count + np.arange(self.isolated.size)
        self.shard_rows = np.zeros(self.shard_count + self.isolated.size)

    @property
    def n_slots(self) -> int:
        return self.shard_rows.size

    def route(self, chunk: Chunk, weights: np.ndarray | None = None) -> np.ndarray:
        col = chunk.columns[self.column][0]
        if self.exact:
            h = pg_hashint8(col).astype(np.int64)
        else:  # uuid/text columns: PostgreSQL's hash for them is not modelled; a uniform hash stands in
            h = cassandra_tokens(type(self.key)((self.column,), (False,)), self.data, chunk) >> np.int64(32)
        # Citus gives shard i the hash range starting at INT32_MIN + i * (2**32 // shard_count).
        slot = np.minimum((h + 2**31) // (2**32 // self.shard_count), self.shard_count - 1)
        if self.isolated.size:
            iso = self.iso_slot[col]
            slot = np.where(iso >= 0, iso, slot)
        self.shard_rows += np.bincount(slot, weights=weights, minlength=self.shard_rows.size)
        return slot

    def outcome(self, load: KeyLoad) -> StoreOutcome:
        reads, writes = self.slot_ops()
        placement = np.arange(self.shard_count) % self.workers
        worker_rows = np.bincount(placement, weights=self.shard_rows[: self.shard_count], minlength=self.workers)
        iso_place = []
        for k in range(self.isolated.size):
            # isolate_tenant_to_new_shard + moving the new shard to the least loaded worker.
            w = int(np.argmin(worker_rows))
            worker_rows[w] += self.shard_rows[self.shard_count + k]
            iso_place.append(w)
        placement = np.concatenate([placement, np.array(iso_place, np.int64)]).astype(np.int64)
        rebalanced = 0
        if self.isolated.size:
            # After isolate_tenant_to_new_shard, rebalance_table_shards evens the workers out.
            placement, rebalanced, _ = rebalance(self.shard_rows, placement, self.workers)
            worker_rows = np.bincount(placement, weights=self.shard_rows, minlength=self.workers)
        self._placement = placement
        ops = np.bincount(placement, weights=reads + writes, minlength=self.workers)
        alarms = []
        notes = []
        if len(self.key.fields) > 1:
            notes.append(
                f"Citus distributes on one column: rows are placed by {self.column!r} only; "
                f"{', '.join(repr(f) for f in self.key.fields[1:])} do not change placement, and the key "
                f"characteristics are {self.column!r}'s"
            )
        biggest = float(self.shard_rows.max() / max(1.0, self.shard_rows.sum()))
        if self.shard_count > 1 and biggest > 2.0 / self.shard_count and self.isolated.size == 0:
            alarms.append(
                Alarm(
                    "citus.hot_shard",
                    f"one shard holds {biggest:.0%} of rows; isolate its tenant "
                    "(isolate_tenant_to_new_shard; see remedy_whales) or raise shard_count",
                    value=biggest,
                )
            )
        return StoreOutcome(
            "worker",
            tuple(f"worker{i}" for i in range(self.workers)),
            np.rint(worker_rows).astype(np.int64),
            ops,
            tuple(alarms),
            {
                "shard_count": self.shard_count,
                "distribution_column": self.column,
                "hash": "PostgreSQL hashint8" if self.exact else "uniform stand-in (not PostgreSQL's)",
                "isolated_tenants": [int(t) for t in self.isolated],
                "shard_rows": [int(x) for x in np.rint(self.shard_rows)],
                "rebalancer_moves": rebalanced,
                "notes": notes,
            },
        )

    def grow(self, added: int, mib_per_second: float) -> dict:
        """New workers join empty; the rebalancer moves shards onto them."""
        workers = self.workers + added
        placement, moves, moved = rebalance(self.shard_rows, self._placement, workers)
        rows = np.bincount(placement, weights=self.shard_rows, minlength=workers)
        return growth_report(
            "worker", added, [f"worker{i}" for i in range(workers)], rows, moved, float(self.shard_rows.sum()),
            self.config.bytes_per_row, mib_per_second,
            shard_moves=moves,
            rule=f"rebalance_table_shards (by_disk_size, threshold {REBALANCE_THRESHOLD:g}): whole shards move from "
                 "the fullest worker to the emptiest while that evens them out; a tenant never splits",
        )

    def slot_shards(self) -> np.ndarray:
        return self._placement
