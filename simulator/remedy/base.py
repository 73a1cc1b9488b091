"""What every store's whale remedy shares: the registry, the whale test, and the before/after summaries.

A remedy is a `WhaleRemedy` registered under its store family (the store name before its first '-':
`mongodb-range` and `mongodb-hashed` share `mongodb`), so `remedy_whales` dispatches by lookup, not by
a ladder of store names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from simulator.data import Dataset, FieldSpec, KeySpec
from simulator.engine import CandidateResult, Traffic
from simulator.imbalance import imbalance_threshold
from simulator.metrics import balance
from simulator.stores import StoreConfig

#: Alarms a whale raises; a remedy that leaves none of them (and max/mean under the threshold) resolves it.
WHALE_ALARMS = frozenset(
    {"imbalance", "partition_bytes", "partition_rows", "partition_cells", "throttling", "jumbo_chunks", "hot_shard"}
)


@dataclass(frozen=True)
class Outcome:
    """What a remedy did: the simulated parts after it, the commands, notes, the key after, the whales."""

    parts: list[CandidateResult]
    remedy: list[str]
    notes: list[str]
    after_key: str
    whales: list[int]


@dataclass(frozen=True)
class Case:
    """One remedy question: `store` under `key` on `data`, as the run before the remedy saw it."""

    store: str
    key: KeySpec
    data: Dataset
    config: StoreConfig
    seed: int
    traffic: Traffic
    before: CandidateResult


class WhaleRemedy:
    """One store family's remedy. Subclasses set `family` and implement `apply`."""

    family: ClassVar[str] = ""
    #: True where the store routes on the tenant whatever the key (Citus's distribution column).
    tenant_always_alone: ClassVar[bool] = False

    def over_hard_limit(self, case: Case, counts: np.ndarray, share: np.ndarray) -> np.ndarray:
        """Tenants past a hard limit of the store when they sit on one unit (none by default)."""
        return np.zeros(counts.size, bool)

    def apply(self, case: Case, whales: list[int]) -> Outcome:
        raise NotImplementedError


REMEDIES: dict[str, WhaleRemedy] = {}


def register(cls: type[WhaleRemedy]) -> type[WhaleRemedy]:
    REMEDIES[cls.family] = cls()
    return cls


def family_of(store: str) -> str:
    return store.split("-")[0]


def summary(result: CandidateResult) -> dict[str, Any]:
    return {
        "rows_max_over_mean": round(result.metrics.max_over_mean, 6),
        "ops_max_over_mean": round(result.ops_metrics.max_over_mean, 6),
        "alarms": [a.code for a in result.alarms],
        "labels": list(result.labels),
        "per_unit_rows": [int(x) for x in result.per_shard_rows],
        "per_unit_ops": [round(float(x), 3) for x in result.per_shard_ops],
    }


def combine(store: str, parts: list[CandidateResult]) -> dict[str, Any]:
    """One summary of the parts a remedy simulated separately (zones, or the split population)."""
    rows = np.concatenate([p.per_shard_rows for p in parts])
    ops = np.concatenate([p.per_shard_ops for p in parts])
    rm, om = balance(rows), balance(ops)
    alarms = sorted({a.code for p in parts for a in p.alarms if not a.code.endswith(".imbalance")})
    if max(rm.max_over_mean, om.max_over_mean) > imbalance_threshold(store):
        alarms.append(f"{family_of(store)}.imbalance")
    return {
        "rows_max_over_mean": round(rm.max_over_mean, 6),
        "ops_max_over_mean": round(om.max_over_mean, 6),
        "alarms": alarms,
        "labels": [label for p in parts for label in p.labels]
        if len(parts) == 1
        else [f"shard{i}" for i in range(rows.size)],
        "per_unit_rows": [int(x) for x in rows],
        "per_unit_ops": [round(float(x), 3) for x in ops],
    }


def tenant_value(data: Dataset, code: int) -> Any:
    assert data.group is not None  # only called for a key that leads with the tenant
    values = data.fields[data.group].values
    return values[code] if code < len(values) else int(code)


def tenant_literal(data: Dataset, code: int) -> str:
    """The tenant's value as a literal for the printed commands (JSON text: inert in every shell)."""
    return json.dumps(tenant_value(data, code))


def scaled(traffic: Traffic, share: float) -> Traffic:
    return replace(
        traffic, reads_per_second=traffic.reads_per_second * share, writes_per_second=traffic.writes_per_second * share
    )


def split_tenants(data: Dataset, pieces: dict[int, int]) -> Dataset:
    """Each whale t becomes pieces[t] key values (t, then new codes) sharing its rows evenly."""
    assert data.group is not None and data.group_counts is not None  # only for a key that leads with the tenant
    counts = list(data.group_counts.astype(np.int64))
    for t, n in pieces.items():
        base, extra = divmod(int(counts[t]), n)
        parts = [base + (1 if i < extra else 0) for i in range(n)]
        counts[t] = parts[0]
        counts += parts[1:]
    counts_arr = np.array(counts, np.int64)
    fields = dict(data.fields)
    # New codes have no literal value: every tenant is hashed as its stand-in integer code.
    fields[data.group] = FieldSpec(data.group, "categorical", counts_arr / counts_arr.sum())
    return replace(data, fields=fields, group_counts=counts_arr)
