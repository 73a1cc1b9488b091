"""MongoDB sharded collections: ranged and hashed shard keys over chunks with a balancer."""

from __future__ import annotations

import numpy as np

from simulator.data import Chunk
from simulator.encode import ordinals
from simulator.grow import growth_report
from simulator.imbalance import imbalance_threshold
from simulator.metrics import Alarm
from simulator.ranges import MIGRATION_THRESHOLD_RANGES, RangeSharding
from simulator.stores.base import KeyLoad, StoreModel, StoreOutcome, register

__all__ = ["MongoRangeModel", "MongoHashedModel"]


class _MongoModel(StoreModel):
    unit = "shard"
    order_sensitive = True
    prefix_targeting = True
    placement = "shards"

    @classmethod
    def memory_bytes(cls, config):
        # A hashed collection starts with two ranges per shard, each a few Python list entries.
        return (config.shards or 4) * 2 * 400.0, "shards", config.shards

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        c = self.config
        self.shards = c.shards or 4
        max_rows = max(1, int(c.range_size_mb * 2**20 // c.bytes_per_row))
        self.table = self._table(max_rows)
        self.truncated = False

    def _table(self, max_rows: int) -> RangeSharding:
        if self.key.hashed[0]:
            # A hashed prefix is ranged over its hash; shardCollection pre-splits it (2 ranges per shard).
            return RangeSharding.hashed(self.shards, max_rows, self.rng)
        return RangeSharding(self.shards, max_rows, self.rng)

    @property
    def n_slots(self) -> int:
        return self.shards

    def set_rates(self, row_rate: np.ndarray | float) -> None:
        """Requests/s of one row, per tenant code (or for every row): ranges carry their rows' requests,
        so requests follow a range when the balancer moves it."""
        self.row_rate = row_rate

    def _rates(self, chunk: Chunk, weights: np.ndarray | None) -> np.ndarray:
        rate = getattr(self, "row_rate", 0.0)
        per_row = (
            rate[chunk.group]
            if isinstance(rate, np.ndarray) and chunk.group is not None
            else np.full(chunk.size, float(np.mean(rate)))
        )
        return per_row * (weights if weights is not None else 1.0)

    def route(self, chunk: Chunk, weights: np.ndarray | None = None) -> np.ndarray:
        keys, truncated = ordinals(self.key, self.data, chunk)
        self.truncated |= truncated
        ops = self._rates(chunk, weights)
        if weights is not None:  # one row per distinct key value: order within the batch is moot
            self.table.insert(keys, weights, ops)
            return np.asarray(self.table.shard)[np.searchsorted(self.table.bounds, keys, side="right") - 1]
        # Splits and migrations happen between inserts; batches well under a range keep that timing.
        step = max(1_000, self.table.max_rows // 4)
        out = np.empty(keys.size, np.int64)
        for lo in range(0, keys.size, step):
            part = keys[lo : lo + step]
            out[lo : lo + step] = np.asarray(self.table.shard)[
                np.searchsorted(self.table.bounds, part, side="right") - 1
            ]
            self.table.insert(part, ops=ops[lo : lo + step])
        return out

    def grow(self, added: int, mib_per_second: float) -> dict:
        """New empty shards; the balancer migrates ranges until its end state holds again."""
        t = self.table
        migrations = t.migrations
        moved = t.add_shards(added)
        self.shards = t.n_shards
        return growth_report(
            "shard", added, [f"shard{i}" for i in range(t.n_shards)], t.shard_rows(), moved, float(sum(t.counts)),
            self.config.bytes_per_row, mib_per_second,
            migrations=t.migrations - migrations,
            rule="the balancer moves ranges from the shard with the most data to the one with the least while they "
                 "differ by 3 x the range size or more; jumbo ranges stay",
        )

    def outcome(self, load: KeyLoad) -> StoreOutcome:
        t = self.table
        t.balance()
        assert t.inserts is not None  # set when the table is built
        # Requests per shard from the ranges it holds at the end (not where rows first landed).
        range_ops = np.bincount(np.asarray(t.shard), weights=np.asarray(t.ops, np.float64), minlength=self.shards)
        alarms = []
        jumbo = [i for i, j in enumerate(t.jumbo) if j]
        if jumbo:
            alarms.append(
                Alarm(
                    "mongodb.jumbo_chunks",
                    f"{len(jumbo)} jumbo chunk(s): one key value holds more than the "
                    f"{self.config.range_size_mb:g} MB range size; add a more selective field to the key",
                    value=float(len(jumbo)),
                )
            )
        # Inserts into the top range once there are several: every one of them on one shard means the
        # key grows monotonically (a single-range collection takes all inserts whatever the key).
        top_share = t.top_chunk_inserts / t.split_inserts if t.split_inserts else 0.0
        if self.shards > 1 and top_share >= 0.9 and not self.key.hashed[0]:
            alarms.append(
                Alarm(
                    "mongodb.insert_hot_spot",
                    f"{top_share:.0%} of inserts hit the last chunk (monotonic key): one shard takes every "
                    "insert; hash the key or lead with a non-monotonic field",
                    value=top_share,
                )
            )
        notes = ["later key fields keep only their high bits in the chunk order"] if self.truncated else []
        notes += self._below_threshold_note(t.shard_rows())
        return StoreOutcome(
            "shard",
            tuple(f"shard{i}" for i in range(self.shards)),
            t.shard_rows(),
            range_ops,
            tuple(alarms),
            {
                "chunks": len(t.counts),
                "largest_chunks": sorted(t.chunk_table(), key=lambda c: -c["rows"])[:5],
                "jumbo_chunks": len(jumbo),
                "migrations": t.migrations,
                "migrated_rows": t.migrated_rows,
                "inserts": [int(x) for x in t.inserts],
                "top_chunk_insert_share": round(top_share, 6),
                "range_size_mb": self.config.range_size_mb,
                "notes": notes,
            },
        )


    def _below_threshold_note(self, rows: np.ndarray) -> list[str]:
        """Why an imbalance stays: the balancer moves nothing while shards differ by less than its migration
        threshold, so a collection of a few ranges sits on one shard whatever its key."""
        if self.shards < 2 or rows.sum() == 0 or rows.max() / rows.mean() <= imbalance_threshold(self.name):
            return []
        gap_mib = float(rows.max() - rows.min()) * self.config.bytes_per_row / 2**20
        threshold_mib = MIGRATION_THRESHOLD_RANGES * self.config.range_size_mb
        if gap_mib >= threshold_mib:
            return []
        return [
            f"the shards differ by {gap_mib:,.0f} MiB, under the balancer's migration threshold "
            f"({MIGRATION_THRESHOLD_RANGES} x the {self.config.range_size_mb:g} MB range size = "
            f"{threshold_mib:g} MiB): MongoDB moves no range until the data grows, whatever the key"
        ]


@register
class MongoRangeModel(_MongoModel):
    name = "mongodb-range"


@register
class MongoHashedModel(_MongoModel):
    """A hashed key: the first field is hashed unless another is marked `hashed(...)`."""

    name = "mongodb-hashed"

    def __init__(self, config, key, data, rng) -> None:
        if not any(key.hashed):
            key = type(key)(key.fields, (True,) + (False,) * (len(key.fields) - 1))
        super().__init__(config, key, data, rng)
