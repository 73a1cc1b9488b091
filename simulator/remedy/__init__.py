"""Whale tenants: find them, recommend what each store offers for them, simulate it, report before/after.

A whale is a tenant that takes the unit (shard, node, worker, partition) holding it past the store's
imbalance alarm (share s on n units: s * (n - 1) + 1 > the max/mean threshold), or past a hard limit. The
remedies are each store's own, one module per kind, registered by store family (`base.REMEDIES`):

- MongoDB (`zones`): zones pinning each whale to shards of its own (`sh.addShardToZone`,
  `sh.updateZoneKeyRange`); a key of the tenant alone is refined first (`refineCollectionShardKey`) so a
  whale can span ranges.
- Citus (`isolate`): `isolate_tenant_to_new_shard`, then `rebalance_table_shards` (the rebalancer evens workers).
- DynamoDB (`split`): write sharding, a suffix `TENANT#t#0..N-1` on the whale's partition key.
- Cassandra (`split`): a bucket column in the partition key, `((tenant_id, bucket))`, B buckets for the whale.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.data import Dataset, KeySpec
from simulator.engine import Traffic, simulate
from simulator.imbalance import imbalance_threshold
from simulator.remedy import isolate, split, zones  # noqa: F401 - registration
from simulator.remedy.base import REMEDIES, WHALE_ALARMS, Case, combine, family_of, summary, tenant_value
from simulator.stores import StoreConfig

__all__ = ["remedy_whales"]


def _whales(case: Case, most: int) -> list[int]:
    data, key, before = case.data, case.key, case.before
    counts = data.group_counts
    assert counts is not None  # only called for a key that leads with the tenant
    share = counts / max(1, counts.sum())
    units = len(before.labels)
    remedy = REMEDIES[family_of(case.store)]
    # A tenant sits on one unit only when the tenant alone is the key (or the store routes on the tenant
    # whatever the key). Under a compound key its rows and requests spread over many ranges or
    # partitions: no tenant is a whale by itself, and the run's own alarms show anything still too large.
    alone = tuple(key.fields) == (data.group,) or remedy.tenant_always_alone
    if not alone:
        return []
    # The unit holding the tenant carries it plus its even share of the rest: s + (1 - s) / n of the
    # data, i.e. s * (n - 1) + 1 times the mean; past the threshold, the tenant is a whale.
    whale = (share * (units - 1) + 1 > imbalance_threshold(case.store)) | remedy.over_hard_limit(case, counts, share)
    order = np.argsort(-counts, kind="stable")
    return [int(t) for t in order[:most] if whale[t]]


def remedy_whales(
    store: str,
    key: KeySpec,
    data: Dataset,
    config: StoreConfig,
    seed: int,
    traffic: Traffic | None = None,
    most: int = 8,
) -> dict[str, Any]:
    """Before/after of `store`'s own remedy for the whale tenants of `data` under `key` (docs/simulator.md)."""
    traffic = Traffic() if traffic is None else traffic
    (before,) = simulate(store, [key], data, config, seed, traffic)
    out: dict[str, Any] = {
        "store": store,
        "key": str(key),
        "threshold": imbalance_threshold(store),
        "before": summary(before),
    }
    if not data.group or key.fields[0] != data.group:
        out.update(
            whales=[],
            remedy=[],
            after=out["before"],
            resolved=not before.alarms,
            summary="the key does not lead with the tenant: no per-tenant remedy applies",
            notes=[],
        )
        return out
    case = Case(store, key, data, config, seed, traffic, before)
    whales = _whales(case, most)
    if not whales:
        out.update(whales=[], remedy=[], after=out["before"], resolved=True, summary="no whale tenant", notes=[])
        return out
    done = REMEDIES[family_of(store)].apply(case, whales)
    counts = data.group_counts
    assert counts is not None  # a dataset with a group field has its counts
    out["whales"] = [
        {
            "tenant": tenant_value(data, t),
            "rows": int(counts[t]),
            "share": round(float(counts[t] / counts.sum()), 6),
            "reads_per_second": traffic.reads_per_second * float(counts[t] / counts.sum()),
            "writes_per_second": traffic.writes_per_second * float(counts[t] / counts.sum()),
        }
        for t in done.whales
    ]
    after = combine(store, done.parts)
    limit = imbalance_threshold(store)
    resolved = (
        after["rows_max_over_mean"] <= limit
        and after["ops_max_over_mean"] <= limit
        and not any(code.split(".", 1)[1] in WHALE_ALARMS for code in after["alarms"])
    )
    out.update(
        remedy=done.remedy,
        after=after,
        after_key=done.after_key,
        resolved=resolved,
        notes=done.notes,
        summary=f"{len(done.whales)} whale tenant(s); the remedy {'brings' if resolved else 'does not bring'} "
        f"max/mean under {limit:g}",
    )
    return out
