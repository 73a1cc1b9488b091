"""DynamoDB: partitions by an (undocumented, here uniform) hash, 10 GB splits, per-partition throughput.

AWS does not publish DynamoDB's partition hash; a uniform 64-bit hash stands in for it (Murmur3 of
the key bytes). Documented limits modelled: a partition holds up to 10 GB and serves up to 3,000 RCU
and 1,000 WCU; burst capacity keeps up to 300 s of unused capacity; adaptive capacity isolates hot
items on their own partition but cannot lift one key value above the per-partition limits.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.data import Chunk
from simulator.encode import cassandra_tokens
from simulator.limits import limits
from simulator.metrics import Alarm
from simulator.stores.base import KeyLoad, StoreModel, StoreOutcome, register

__all__ = ["DynamoDBModel", "LIMITS"]

#: Per-partition limits (simulator/limits.toml).
LIMITS = {
    "partition_bytes": float(limits()["dynamodb"]["partition_bytes"]),
    "rcu": float(limits()["dynamodb"]["partition_rcu"]),
    "wcu": float(limits()["dynamodb"]["partition_wcu"]),
    "burst_seconds": float(limits()["dynamodb"]["burst_seconds"]),
}
_BUCKET_BITS = 16


@register
class DynamoDBModel(StoreModel):
    name = "dynamodb"
    unit = "partition"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.bucket_rows = np.zeros(1 << _BUCKET_BITS)

    @property
    def n_slots(self) -> int:
        return self.bucket_rows.size

    def route(self, chunk: Chunk, weights: np.ndarray | None = None) -> np.ndarray:
        tokens = cassandra_tokens(self.key, self.data, chunk)
        buckets = (tokens.view(np.uint64) >> np.uint64(64 - _BUCKET_BITS)).astype(np.int64)
        self.bucket_rows += np.bincount(buckets, weights=weights, minlength=self.bucket_rows.size)
        return buckets

    def _partitions(self, reads: np.ndarray, writes: np.ndarray) -> list[tuple[int, int]]:
        """Hash-range partitions [lo, hi) over buckets: even split for throughput, then 10 GB splits."""
        c = self.config
        need = math.ceil(reads.sum() / LIMITS["rcu"] + writes.sum() / LIMITS["wcu"])
        n = max(1, c.shards or 1, need)
        n = 1 << max(0, math.ceil(math.log2(n)))  # partitions split in halves
        n = min(n, self.bucket_rows.size)
        step = self.bucket_rows.size // n
        todo = [(i * step, (i + 1) * step) for i in range(n)]
        done = []
        limit_rows = LIMITS["partition_bytes"] / c.bytes_per_row
        while todo:
            lo, hi = todo.pop()
            if self.bucket_rows[lo:hi].sum() > limit_rows and hi - lo > 1:
                mid = (lo + hi) // 2
                todo += [(lo, mid), (mid, hi)]
            else:
                done.append((lo, hi))
        return sorted(done)

    def outcome(self, load: KeyLoad) -> StoreOutcome:
        reads, writes = self.slot_ops()
        parts = self._partitions(reads, writes)
        self._slot_map = np.zeros(self.n_slots, np.int64)
        for i, (lo, hi) in enumerate(parts):
            self._slot_map[lo:hi] = i
        rows = np.array([self.bucket_rows[lo:hi].sum() for lo, hi in parts])
        p_reads = np.array([reads[lo:hi].sum() for lo, hi in parts])
        p_writes = np.array([writes[lo:hi].sum() for lo, hi in parts])
        # Adaptive capacity splits busy partitions for heat, so sustained throttling is what single
        # key values ask beyond one partition's limits.
        thr_r = float((np.maximum(0.0, load.value_reads - LIMITS["rcu"]) * load.value_counts).sum())
        thr_w = float((np.maximum(0.0, load.value_writes - LIMITS["wcu"]) * load.value_counts).sum())
        burst_thr = 0.0
        if load.burst_reads > 0:
            hottest = float(load.value_reads.max()) if load.value_reads.size else 0.0
            # Only what the burst adds on top of the hottest value's sustained throttling.
            extra = max(0.0, hottest + load.burst_reads - LIMITS["rcu"]) - max(0.0, hottest - LIMITS["rcu"])
            excess = extra * load.burst_seconds
            pool = LIMITS["burst_seconds"] * max(0.0, LIMITS["rcu"] - hottest)
            burst_thr = max(0.0, excess - pool) / load.burst_seconds
        alarms = []
        total = thr_r + thr_w + burst_thr
        if total > 0:
            alarms.append(
                Alarm(
                    "dynamodb.throttling",
                    f"{total:,.0f} requests/s throttled (reads {thr_r:,.0f}, writes {thr_w:,.0f}, "
                    f"burst {burst_thr:,.0f}): one partition key value exceeds 3,000 RCU / 1,000 WCU; "
                    "spread it with a suffix (write sharding)",
                    value=total,
                )
            )
        return StoreOutcome(
            "partition",
            tuple(f"p{i}" for i in range(len(parts))),
            np.rint(rows).astype(np.int64),
            p_reads + p_writes,
            tuple(alarms),
            {
                "partitions": len(parts),
                "hash": "uniform stand-in (Murmur3 of the key bytes); DynamoDB's own hash is undocumented",
                "throttled_per_second": {"reads": thr_r, "writes": thr_w, "burst_reads": burst_thr},
                "partition_reads_per_second": [round(float(x), 3) for x in p_reads],
                "partition_writes_per_second": [round(float(x), 3) for x in p_writes],
            },
        )

    def grow(self, added: int, mib_per_second: float) -> dict:
        return {"added": added, "unit": "partition", "supported": False,
                "note": "DynamoDB splits partitions itself (at 10 GB, or for throughput); nothing moves by hand"}

    def slot_shards(self) -> np.ndarray:
        return self._slot_map
