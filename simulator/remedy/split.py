"""Remedies that split a whale into pieces of the key: Cassandra's bucket column in the partition key,
`((tenant_id, bucket))`, and DynamoDB's write sharding, a suffix `TENANT#t#0..N-1` on the partition key."""

from __future__ import annotations

import math

import numpy as np

from simulator.engine import simulate
from simulator.imbalance import imbalance_threshold
from simulator.limits import limits
from simulator.remedy.base import Case, Outcome, WhaleRemedy, combine, register, split_tenants, tenant_literal

#: Pieces per unit a split whale needs so that hashing them spreads it evenly (more pieces, less lumpiness).
_PIECES_PER_UNIT = 4
#: Pieces of one tenant the simulation builds at most (the recommendation still states the count needed).
_MAX_SIMULATED_PIECES = 4096
#: Rounds of widening (see `SplitRemedy.apply`).
_ROUNDS = 4


class SplitRemedy(WhaleRemedy):
    """Split each whale into pieces; subclasses say how many the store's limits need, and how to write it."""

    def pieces_needed(self, case: Case, count: int, share: float) -> int:
        """Pieces a whale of `count` rows and `share` of the traffic needs for the store's hard limits."""
        raise NotImplementedError

    def describe(self, case: Case, tenant: int, pieces: int) -> str:
        raise NotImplementedError

    def apply(self, case: Case, whales: list[int]) -> Outcome:
        """Split the whales; while the result still alarms, split the next largest tenant too and use twice
        as many pieces (hashing few large pieces onto few units is lumpy), for a few rounds."""
        assert case.data.group_counts is not None  # only called for a key that leads with the tenant
        order = [int(t) for t in np.argsort(-case.data.group_counts, kind="stable")]
        notes: list[str] = []
        for round_ in range(_ROUNDS):
            factor = _PIECES_PER_UNIT * 2**round_
            parts, remedy = self._split_once(case, whales, factor)
            if not combine(case.store, parts)["alarms"]:
                break
            nxt = next((t for t in order if t not in whales), None)
            if nxt is None:
                break
            whales = whales + [nxt]
        if round_:
            notes.append(f"widened to the {len(whales)} largest tenants and {factor} pieces per unit to get there")
        return Outcome(parts, remedy, notes, str(case.key) + " (whales split)", whales)

    def _split_once(self, case: Case, whales: list[int], factor: int):
        units = len(case.before.labels)
        counts = case.data.group_counts
        assert counts is not None  # only called for a key that leads with the tenant
        limit = imbalance_threshold(case.store)
        pieces, remedy = {}, []
        for t in whales:
            share = float(counts[t] / counts.sum())
            n = max(
                2, math.ceil(factor * share * units / (limit - 1.0)), self.pieces_needed(case, int(counts[t]), share)
            )
            remedy.append(self.describe(case, t, n))
            # Beyond a few thousand pieces hashing spreads a tenant evenly anyway; more would only cost memory
            # (a huge request rate asks for billions of suffixes), and a piece needs at least one row.
            pieces[t] = max(1, min(n, int(counts[t]), _MAX_SIMULATED_PIECES))
        (after,) = simulate(
            case.store, [case.key], split_tenants(case.data, pieces), case.config, case.seed, case.traffic
        )
        return [after], remedy


@register
class CassandraBuckets(SplitRemedy):
    family = "cassandra"

    def over_hard_limit(self, case: Case, counts: np.ndarray, share: np.ndarray) -> np.ndarray:
        lim = limits()["cassandra"]
        full = counts * case.config.row_scale
        return (full > lim["max_partition_rows"]) | (counts * case.config.bytes_per_row > lim["max_partition_bytes"])

    def pieces_needed(self, case: Case, count: int, share: float) -> int:
        lim = limits()["cassandra"]
        return max(
            math.ceil(count * case.config.row_scale / lim["max_partition_rows"]),
            math.ceil(count * case.config.bytes_per_row / lim["max_partition_bytes"]),
        )

    def describe(self, case: Case, tenant: int, pieces: int) -> str:
        return (
            f"tenant {tenant_literal(case.data, tenant)}: PRIMARY KEY (({case.data.group}, bucket), ...) with "
            f"bucket = hash(row id) % {pieces} (0 for the other tenants; keep each tenant's bucket count in a "
            "lookup table)"
        )


@register
class DynamoDBWriteSharding(SplitRemedy):
    family = "dynamodb"

    def over_hard_limit(self, case: Case, counts: np.ndarray, share: np.ndarray) -> np.ndarray:
        lim = limits()["dynamodb"]
        reads, writes = case.traffic.reads_per_second * share, case.traffic.writes_per_second * share
        return (reads > lim["partition_rcu"]) | (writes > lim["partition_wcu"])

    def pieces_needed(self, case: Case, count: int, share: float) -> int:
        lim = limits()["dynamodb"]
        return max(
            math.ceil(case.traffic.reads_per_second * share / lim["partition_rcu"]),
            math.ceil(case.traffic.writes_per_second * share / lim["partition_wcu"]),
        )

    def describe(self, case: Case, tenant: int, pieces: int) -> str:
        return (
            f"tenant {tenant_literal(case.data, tenant)}: write sharding, partition key "
            f"TENANT#<id>#<0..{pieces - 1}> (suffix = hash(item id) % {pieces}); its reads query the {pieces} "
            "suffixes in parallel"
        )
