"""Cassandra: Murmur3Partitioner tokens on a vnode ring, replicas by SimpleStrategy or NTS."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulator._fused import (
    LAYOUT_GENERIC,
    LAYOUT_ONE8,
    LAYOUT_TWO8,
    SOURCE_GROUP,
    SOURCE_ROW,
    SOURCE_TIME,
    ring_count_chunk,
)
from simulator._murmur3 import ring_route_columns
from simulator.data import Chunk
from simulator.encode import cassandra_tokens, column_layout, has_literal_values
from simulator.grow import growth_report, ring_moves
from simulator.limits import limits
from simulator.metrics import Alarm, balance
from simulator.ring import grow_ring, nts_replicas, random_ring, replication_aware_ring, simple_replicas
from simulator.stores.base import KeyLoad, StoreModel, StoreOutcome, register

__all__ = ["CassandraModel", "PARTITION_LIMITS"]

#: Cassandra's partition guard rails: bytes, rows, cells (simulator/limits.toml).
PARTITION_LIMITS = {what: limits()["cassandra"][f"max_partition_{what}"] for what in ("bytes", "rows", "cells")}

#: Field kinds the fused kernel derives from the row index alone.
_ROW_SOURCES = {"serial": SOURCE_ROW, "time": SOURCE_TIME}
#: Row blocks per fused chunk: enough that a descheduled thread's share is small, few enough that
#: handing them to threads costs little (4 to 64 measured within noise of each other on 2 CPUs).
_BLOCKS = 8


@register
class CassandraModel(StoreModel):
    name = "cassandra"
    placement = "nodes"
    unit = "node"

    @classmethod
    def memory_bytes(cls, config):
        # Per ring token: the token, its owner, its range's rows and a Python tuple of replicas.
        return (config.nodes or 6) * config.vnodes * 400.0, "nodes", config.nodes

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        c = self.config
        nodes = c.nodes or 6
        if c.allocation == "replication-aware":
            self.ring = replication_aware_ring(nodes, c.vnodes, c.rf, self.rng, c.racks, c.dcs)
        else:
            self.ring = random_ring(nodes, c.vnodes, self.rng, c.racks, c.dcs)
        self.range_rows = np.zeros(self.ring.tokens.size, np.float64)

    @property
    def n_slots(self) -> int:
        return len(self.ring.nodes)

    def route(self, chunk: Chunk, weights: np.ndarray | None = None) -> np.ndarray:
        single_literal = len(self.key.fields) == 1 and has_literal_values(self.key, self.data)
        if weights is None and chunk.size >= 4096 and not single_literal:
            # Streaming path: hash, range lookup and counting in one compiled pass.
            table, shift = self.ring.bucket_table()
            nodes, counts = ring_route_columns(
                *column_layout(self.key, self.data, chunk), self.ring.tokens, table, shift, self.ring.owners
            )
            self.range_rows += counts
            return nodes
        ranges = self.ring.range_of(cassandra_tokens(self.key, self.data, chunk))
        self.range_rows += np.bincount(ranges, weights=weights, minlength=self.range_rows.size)
        return self.ring.owners[ranges]

    def fused_counter(self) -> Callable[[int, np.ndarray, np.ndarray], None] | None:
        """Generate, hash, look up and count in one kernel when every key column is the tenant code, a
        serial id or the insert time (all functions of the row's group and index)."""
        sources = []
        for name in self.key.fields:
            kind = self.data.fields[name].kind
            source = SOURCE_GROUP if name == self.data.group else _ROW_SOURCES.get(kind)
            if source is None or self.data.fields[name].widths != (8,):
                return None
            sources.append(source)
        if len(sources) == 1 and has_literal_values(self.key, self.data):
            return None  # hashed as its literal values, not as int64 codes
        layout = {1: LAYOUT_ONE8, 2: LAYOUT_TWO8}.get(len(sources), LAYOUT_GENERIC)
        m = len(sources)
        args = (
            np.array(sources, np.int64), np.full(m, 8, np.int64), np.arange(m, dtype=np.int64), m > 1, layout,
            np.int64(self.data.start_ms), 1000.0 / self.data.inserts_per_second,
        )
        # 16 buckets per ring token: the lookup's forward scan almost never runs (table still in L1).
        table, shift = self.ring.bucket_table(per_token=16)

        def count(start: int, part: np.ndarray, group_slot: np.ndarray) -> None:
            self.range_rows += ring_count_chunk(
                part, np.int64(start), *args, self.ring.tokens, table, shift, self.ring.owners, group_slot, _BLOCKS
            )

        return count

    def grow(self, added: int, mib_per_second: float) -> dict:
        """New nodes take tokens (as `allocation` does); copies stream where a node becomes a replica."""
        c = self.config
        after = grow_ring(self.ring, added, c.vnodes, self.rng, c.allocation, c.rf, c.racks, c.dcs)
        moves = ring_moves(self.ring, after, self.range_rows, c.rf, c.dcs > 1 or c.racks > 1)
        return growth_report(
            "node", added, [n.name for n in after.nodes], moves["primary_rows"], moves["moved_copies"],
            moves["stored_copies"], c.bytes_per_row, mib_per_second,
            new_token_ranges=moves["new_ranges"],
            replica_rows_after=[int(x) for x in np.rint(moves["replica_rows"])],
            replica_balance_after=balance(moves["replica_rows"]).to_dict(),
            rule=f"each new node takes {c.vnodes} tokens ({c.allocation}); replicas of the split ranges stream to it "
                 f"(rf {c.rf}); moved_share is of all replica copies",
        )

    def outcome(self, load: KeyLoad) -> StoreOutcome:
        c = self.config
        max_rows_per_value = load.max_rows_per_value
        rows = np.bincount(self.ring.owners, weights=self.range_rows, minlength=self.n_slots)
        reads, writes = self.slot_ops()
        dcs = sorted({n.dc for n in self.ring.nodes})
        replicas = (
            nts_replicas(self.ring, {dc: c.rf for dc in dcs})
            if c.dcs > 1 or c.racks > 1
            else simple_replicas(self.ring, c.rf)
        )
        replica_rows = np.zeros(self.n_slots)
        for r, reps in enumerate(replicas):
            replica_rows[list(reps)] += self.range_rows[r]
        alarms = []
        part_rows = int(round(max_rows_per_value * c.row_scale))
        part_bytes = int(round(max_rows_per_value * c.bytes_per_row))
        part_cells = part_rows * c.columns
        for what, value in (("bytes", part_bytes), ("rows", part_rows), ("cells", part_cells)):
            if value > PARTITION_LIMITS[what]:
                alarms.append(
                    Alarm(
                        f"cassandra.partition_{what}",
                        f"largest partition has {value:,} {what} (limit {PARTITION_LIMITS[what]:,}); "
                        "add a bucketing column to the partition key",
                        value=float(value),
                    )
                )
        return StoreOutcome(
            "node",
            tuple(n.name for n in self.ring.nodes),
            np.rint(rows).astype(np.int64),
            reads + writes,
            tuple(alarms),
            {
                "vnodes": c.vnodes,
                "allocation": c.allocation,
                "rf": c.rf,
                "ownership": [round(float(x), 6) for x in self.ring.ownership()],
                "replica_rows": [int(x) for x in np.rint(replica_rows)],
                "largest_partition_rows": part_rows,
                "token_ranges": int(self.range_rows.size),
                "largest_token_ranges": [
                    {
                        "end_token": int(self.ring.tokens[r]),
                        "node": self.ring.nodes[self.ring.owners[r]].name,
                        "rows": int(self.range_rows[r]),
                    }
                    for r in np.argsort(self.range_rows)[::-1][:5]
                ],
            },
        )
