"""What every store model shares: its configuration, its outcome, and the registry stores join."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from simulator.checks import check_count, check_number, require_memory
from simulator.data import Chunk, Dataset, KeySpec
from simulator.errors import SimulatorError
from simulator.metrics import Alarm

__all__ = ["StoreConfig", "StoreOutcome", "KeyLoad", "StoreModel", "STORES", "register", "store_model", "sample_scale"]

#: Counts of shards, nodes, racks or datacentres are held in int64 arrays; what memory allows is
#: checked per store (`StoreModel.memory_bytes`) before anything is allocated.
_MAX_PLACEMENTS = 2**62


def sample_scale(rows: int, stands_for: int | None) -> float:
    """`StoreConfig.row_scale` for `rows` simulated rows sampled from a table of `stands_for` rows (1: no sample)."""
    return stands_for / rows if stands_for and rows and stands_for > rows else 1.0


@dataclass(frozen=True)
class StoreConfig:
    """Cluster shape and limits. Defaults follow each store's documented defaults."""

    shards: int | None = None  # MongoDB shards; Citus shard_count; DynamoDB minimum partitions
    nodes: int | None = None  # Cassandra nodes; Citus workers
    vnodes: int = 16
    rf: int = 3
    allocation: str = "random"  # Cassandra: random | replication-aware
    racks: int = 1
    dcs: int = 1
    range_size_mb: float = 128.0
    row_bytes: int = 200
    #: Rows each simulated row stands for: a sample of a larger table keeps the table's sizes (ranges,
    #: partition bytes and rows, moves) while its shares come from the sample.
    row_scale: float = 1.0
    columns: int = 10
    reads_per_second: float = 10_000.0
    writes_per_second: float = 1_000.0
    isolate: int = 0  # Citus: the N largest tenants get a shard of their own
    burst_share: float = 0.0
    burst_seconds: float = 60.0

    @property
    def bytes_per_row(self) -> float:
        """Bytes one simulated row stands for (`row_bytes` x `row_scale`)."""
        return self.row_bytes * self.row_scale

    def __post_init__(self) -> None:
        for name in ("shards", "nodes"):
            if getattr(self, name) is not None:
                check_count(name, getattr(self, name), 1, _MAX_PLACEMENTS, example=4)
        check_count("vnodes", self.vnodes, 1, 4096, example=16)
        check_count("rf", self.rf, 1, 64, example=3)
        check_count("racks", self.racks, 1, _MAX_PLACEMENTS, example=3)
        check_count("dcs", self.dcs, 1, _MAX_PLACEMENTS, example=2)
        if self.allocation not in ("random", "replication-aware"):
            raise SimulatorError("use 'random' or 'replication-aware'", "allocation", self.allocation)
        check_number("range_size_mb", self.range_size_mb, above=0, maximum=1024 * 1024, example=128)
        check_count("row_bytes", self.row_bytes, 1, 2**40, example=200)
        check_number("row_scale", self.row_scale, minimum=1, maximum=1e15, example=100)
        check_count("columns", self.columns, 1, 2**31, example=10)
        check_number("reads_per_second", self.reads_per_second, minimum=0, maximum=1e15, example=10_000)
        check_number("writes_per_second", self.writes_per_second, minimum=0, maximum=1e15, example=1_000)
        check_count("isolate", self.isolate, 0, _MAX_PLACEMENTS, example=1)
        check_number("burst_share", self.burst_share, minimum=0, maximum=1, example=0.2)
        check_number("burst_seconds", self.burst_seconds, above=0, maximum=1e9, example=60)


@dataclass(frozen=True, eq=False)
class KeyLoad:
    """Load per key value: the largest value's rows, and the reads/writes per second of the busiest values."""

    max_rows_per_value: int
    value_reads: np.ndarray
    value_writes: np.ndarray
    value_counts: np.ndarray
    burst_reads: float = 0.0
    burst_seconds: float = 60.0


@dataclass(frozen=True, eq=False)
class StoreOutcome:
    """Per-shard rows and ops (requests/s) after the run, plus the store's own alarms and details."""

    unit: str
    labels: tuple[str, ...]
    rows: np.ndarray
    ops: np.ndarray
    alarms: tuple[Alarm, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


class StoreModel:
    """Base of the store models. Subclasses set `name`, `unit`, `order_sensitive` and implement
    `route` (shard of each row of a chunk, accumulating their state) and `outcome`."""

    name: ClassVar[str] = ""
    unit: ClassVar[str] = "shard"
    order_sensitive: ClassVar[bool] = False
    #: Whether a key pattern is served by one shard only when it names the key's first field (ranges)
    #: rather than all of the key's fields (hashes).
    prefix_targeting: ClassVar[bool] = False
    #: The `StoreConfig` count this store places data on when it has only one kind ("shards" or
    #: "nodes"); the other option then names the same thing, so `--shards 16` works for Cassandra too.
    placement: ClassVar[str | None] = None

    @classmethod
    def placement_counts(cls, shards: int | None, nodes: int | None) -> tuple[int | None, int | None]:
        """(shards, nodes) with the store's own count taken from the other option when only that is given."""
        if cls.placement == "nodes" and nodes is None:
            return shards, shards
        if cls.placement == "shards" and shards is None:
            return nodes, nodes
        return shards, nodes

    @classmethod
    def memory_bytes(cls, config: StoreConfig) -> tuple[float, str, Any]:
        """Bytes the model's own state needs for `config`, and the argument (name, value) that drives it."""
        return 0.0, "shards", config.shards

    @classmethod
    def check_memory(cls, config: StoreConfig) -> None:
        """Refuse a cluster shape whose model would not fit in memory, with the estimate."""
        needed, argument, value = cls.memory_bytes(config)
        require_memory(needed, argument, value)

    @classmethod
    def routing_key(cls, key: KeySpec) -> KeySpec:
        """The part of `key` the store places rows by (all of it unless the store says otherwise)."""
        return key

    def __init__(self, config: StoreConfig, key: KeySpec, data: Dataset, rng: np.random.Generator) -> None:
        self.config, self.key, self.data, self.rng = config, key, data, rng
        self._reads = np.zeros(0)
        self._writes = np.zeros(0)

    @property
    def n_slots(self) -> int:
        """How many routing targets `route` returns ids for (shards, ranges, buckets)."""
        raise NotImplementedError

    def route(self, chunk: Chunk, weights: np.ndarray | None = None) -> np.ndarray:
        """Slot id of each row (or distinct key value, with `weights` its row counts); updates state."""
        raise NotImplementedError

    def set_rates(self, row_rate: np.ndarray | float) -> None:
        """Requests/s of one row, per tenant code or for every row; stores that move data after it lands
        (MongoDB's balancer) keep requests with the data. Others account through `account`."""

    def account(self, slots: np.ndarray, reads: np.ndarray, writes: np.ndarray) -> None:
        """Add the rows' requests per second to the slots that serve them."""
        n = max(self.n_slots, int(slots.max()) + 1 if slots.size else 0)
        for name, w in (("_reads", reads), ("_writes", writes)):
            acc = getattr(self, name)
            if acc.size < n:
                acc = np.concatenate([acc, np.zeros(n - acc.size)])
            acc[:n] += np.bincount(slots, weights=w, minlength=n)[:n]
            setattr(self, name, acc)

    def slot_ops(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.n_slots
        pad = lambda a: np.concatenate([a, np.zeros(max(0, n - a.size))])[:n]  # noqa: E731
        return pad(self._reads), pad(self._writes)

    def outcome(self, load: KeyLoad) -> StoreOutcome:
        raise NotImplementedError

    def grow(self, added: int, mib_per_second: float) -> dict[str, Any]:
        """Add `added` nodes or shards after the run: the data that moves under the store's rules, the
        time it takes at `mib_per_second`, and the balance after (`simulator.grow.growth_report`)."""
        return {"added": added, "unit": self.unit, "supported": False,
                "note": f"{self.name} places data itself; there is nothing to grow by hand"}

    def fused_counter(self) -> Callable[[int, np.ndarray, np.ndarray], None] | None:
        """A compiled `count(start, part, group_slot)` for unshuffled chunks given only as rows per group.

        It must route the chunk's rows exactly as `route` would, add them to `group_slot`
        (groups x n_slots) and update the model's own state. None (the default) when this store or key
        needs materialized chunks.
        """
        return None

    def slot_shards(self) -> np.ndarray:
        """Shard index of each slot, valid after `outcome` (identity unless a store says otherwise)."""
        return np.arange(self.n_slots)


#: store name (as on the command line) -> model class
STORES: dict[str, type[StoreModel]] = {}


def register(cls: type[StoreModel]) -> type[StoreModel]:
    STORES[cls.name] = cls
    return cls


def store_model(name: str) -> type[StoreModel]:
    """The model class of a store name; a typo gets the closest name suggested."""
    import difflib

    if name not in STORES:
        close = difflib.get_close_matches(name, list(STORES), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use one of " + ", ".join(sorted(STORES))
        raise SimulatorError(f"unknown store; {hint}", "store", name)
    return STORES[name]
