"""Citus: `isolate_tenant_to_new_shard`, then `rebalance_table_shards` (the rebalancer evens workers).
Citus routes on its distribution column, the tenant, whatever the key: a tenant is always on one worker."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simulator.engine import simulate
from simulator.imbalance import imbalance_threshold
from simulator.remedy.base import Case, Outcome, WhaleRemedy, register, tenant_literal

#: A shard holding more than this many times its even share raises citus.hot_shard.
_HOT_SHARD_FACTOR = 2.0


@register
class CitusIsolation(WhaleRemedy):
    family = "citus"
    tenant_always_alone = True

    def over_hard_limit(self, case: Case, counts: np.ndarray, share: np.ndarray) -> np.ndarray:
        return share * case.before.details.get("shard_count", 32) > _HOT_SHARD_FACTOR

    def apply(self, case: Case, whales: list[int]) -> Outcome:
        config = replace(case.config, isolate=len(whales))
        (isolated,) = simulate(case.store, [case.key], case.data, config, case.seed, case.traffic)
        remedy = [
            f"SELECT isolate_tenant_to_new_shard(<table>, {tenant_literal(case.data, t)}, 'CASCADE');" for t in whales
        ]
        remedy.append("SELECT rebalance_table_shards();  -- moves the isolated shards and evens the workers out")
        counts = case.data.group_counts
        assert counts is not None  # only called for a key that leads with the tenant
        notes = []
        if float(counts[whales[0]] / counts.sum()) * (case.config.nodes or 4) > imbalance_threshold(case.store):
            notes.append(
                "Citus never splits a tenant: a whale larger than the alarm share of one worker stays above it"
            )
        return Outcome([isolated], remedy, notes, str(case.key), whales)
