"""Whale tenants: find them, recommend what each store offers for them, simulate it, report before/after.

A whale is a tenant that takes the unit (shard, node, worker, partition) holding it past the store's
imbalance alarm (share s on n units: s * (n - 1) + 1 > the max/mean threshold), or past a hard limit. The
remedies are each store's own:

- MongoDB: zones pinning each whale to shards of its own (`sh.addShardToZone`, `sh.updateZoneKeyRange`);
  a key of the tenant alone is refined first (`refineCollectionShardKey`) so a whale can span ranges.
- Citus: `isolate_tenant_to_new_shard`, then `rebalance_table_shards` (the rebalancer evens workers).
- DynamoDB: write sharding, a suffix `TENANT#t#0..N-1` on the whale's partition key.
- Cassandra: a bucket column in the partition key, `((tenant_id, bucket))`, B buckets for the whale.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import numpy as np

from simulator.data import Dataset, FieldSpec, KeySpec, keys_on
from simulator.engine import CandidateResult, Traffic, simulate
from simulator.imbalance import imbalance_threshold
from simulator.limits import limits
from simulator.metrics import balance
from simulator.stores import StoreConfig

__all__ = ["remedy_whales"]

#: Alarms a whale raises; a remedy that leaves none of them (and max/mean under the threshold) resolves it.
_WHALE_ALARMS = {
    "imbalance",
    "partition_bytes",
    "partition_rows",
    "partition_cells",
    "throttling",
    "jumbo_chunks",
    "hot_shard",
}
#: Pieces per unit a split whale needs so that hashing them spreads it evenly (more pieces, less lumpiness).
_PIECES_PER_UNIT = 4
#: Pieces of one tenant the simulation builds at most (the recommendation still states the count needed).
_MAX_SIMULATED_PIECES = 4096
#: Rounds of widening a split remedy (see `_split_remedy`).
_ROUNDS = 4


def _summary(result: CandidateResult) -> dict[str, Any]:
    return {
        "rows_max_over_mean": round(result.metrics.max_over_mean, 6),
        "ops_max_over_mean": round(result.ops_metrics.max_over_mean, 6),
        "alarms": [a.code for a in result.alarms],
        "labels": list(result.labels),
        "per_unit_rows": [int(x) for x in result.per_shard_rows],
        "per_unit_ops": [round(float(x), 3) for x in result.per_shard_ops],
    }


def _tenant_value(data: Dataset, code: int) -> Any:
    assert data.group is not None  # only called for a key that leads with the tenant
    values = data.fields[data.group].values
    return values[code] if code < len(values) else int(code)


def _whales(
    store: str, key: KeySpec, before: CandidateResult, data: Dataset, config: StoreConfig, traffic: Traffic, most: int
) -> list[int]:
    counts = data.group_counts
    assert counts is not None  # only called for a key that leads with the tenant
    share = counts / max(1, counts.sum())
    units = len(before.labels)
    family = store.split("-")[0]
    # A tenant sits on one unit only when the tenant alone is the key (Citus always routes on its
    # distribution column, the tenant). Under a compound key its rows and requests spread over many ranges
    # or partitions: no tenant is a whale by itself, and the run's own alarms show anything still too large.
    alone = tuple(key.fields) == (data.group,) or family == "citus"
    # The unit holding the tenant carries it plus its even share of the rest: s + (1 - s) / n of the
    # data, i.e. s * (n - 1) + 1 times the mean; past the threshold, the tenant is a whale.
    whale = (share * (units - 1) + 1 > imbalance_threshold(store)) & alone
    per_row = (traffic.reads_per_second * share, traffic.writes_per_second * share)
    if family == "cassandra" and alone:
        lim = limits()["cassandra"]
        full = counts * config.row_scale
        whale |= (full > lim["max_partition_rows"]) | (counts * config.bytes_per_row > lim["max_partition_bytes"])
    elif family == "dynamodb" and alone:
        lim = limits()["dynamodb"]
        whale |= (per_row[0] > lim["partition_rcu"]) | (per_row[1] > lim["partition_wcu"])
    # MongoDB: a tenant over the range size (a jumbo range) needs the refined key, not a zone of its own.
    elif family == "citus":
        whale |= share * before.details.get("shard_count", 32) > 2.0  # citus.hot_shard
    order = np.argsort(-counts, kind="stable")
    return [int(t) for t in order[:most] if whale[t]]


def _split_tenants(data: Dataset, pieces: dict[int, int]) -> Dataset:
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


def _scaled(traffic: Traffic, share: float) -> Traffic:
    return replace(
        traffic, reads_per_second=traffic.reads_per_second * share, writes_per_second=traffic.writes_per_second * share
    )


def _zones(shares: list[float], rest: float, shards: int) -> list[int]:
    """Shards per whale zone (the others keep at least one) that minimize the busiest shard's share."""
    k = [1] * len(shares)
    while sum(k) < shards - 1:
        loads = [s / n for s, n in zip(shares, k, strict=True)]
        worst = int(np.argmax(loads))
        rest_after = rest / (shards - sum(k) - 1)
        if max(loads[worst] * k[worst] / (k[worst] + 1), rest_after) >= max(max(loads), rest / (shards - sum(k))):
            break
        k[worst] += 1
    return k


def _mongodb(store, key, data, config, seed, traffic, whales):
    remedy, notes = [], []
    # mongodb-hashed hashes the first field when the key marks none.
    hashed_first = key.hashed[0] or (store == "mongodb-hashed" and not any(key.hashed))
    if len(key.fields) == 1:
        suffix = next((f for f, s in data.fields.items() if s.kind != "categorical" and f != data.group), "_id")
        data, (key,) = keys_on(data, [f"{key}, {suffix}".replace(" ", "")])
        lead = '"hashed"' if hashed_first else "1"
        remedy.append(
            f"refineCollectionShardKey to {{{data.group}: {lead}, {suffix}: 1}} so a whale's documents can span ranges"
        )
    counts = data.group_counts
    shares = [float(counts[t] / counts.sum()) for t in whales]
    shards = config.shards or 4
    if len(whales) > shards - 1:
        whales, shares = whales[: shards - 1], shares[: shards - 1]
        notes.append(f"only {shards - 1} whales get a zone: the other tenants keep at least one shard")
    k = _zones(shares, 1.0 - sum(shares), shards)
    parts, first = [], 0
    for t, n, s in zip(whales, k, shares, strict=True):
        mask = np.zeros(counts.size, np.int64)
        mask[t] = counts[t]
        sub = replace(data, rows=int(mask.sum()), group_counts=mask)
        (res,) = simulate(store, [key], sub, replace(config, shards=n), seed, _scaled(traffic, s))
        parts.append(res)
        zone = f"whale-{t}"
        value = json.dumps(_tenant_value(data, t))
        if hashed_first:  # zone ranges on a hashed field are over its hash values
            value = f"convertShardKeyToHashed({value})"
        remedy.append(
            f"zone {zone!r} on shard{first}"
            + (f"..shard{first + n - 1}" if n > 1 else "")
            + f": sh.addShardToZone(<shard>, {json.dumps(zone)}); sh.updateZoneKeyRange(<ns>, "
            f"{{{data.group}: {value}, {key.fields[1]}: MinKey}}, "
            f"{{{data.group}: {value}, {key.fields[1]}: MaxKey}}, {json.dumps(zone)})"
        )
        first += n
    rest = counts.copy()
    rest[whales] = 0
    if rest.sum() > 0:
        sub = replace(data, rows=int(rest.sum()), group_counts=rest)
        (res,) = simulate(
            store, [key], sub, replace(config, shards=shards - first), seed, _scaled(traffic, 1.0 - sum(shares))
        )
        parts.append(res)
        remedy.append(f"zone 'tenants' on shard{first}..shard{shards - 1}: the key ranges between the whales")
    return parts, remedy, notes, str(key), whales


def _split_remedy(
    store: str,
    key: KeySpec,
    data: Dataset,
    config: StoreConfig,
    seed: int,
    traffic: Traffic,
    whales: list[int],
    before: CandidateResult,
) -> tuple[list[CandidateResult], list[str], list[str], str, list[int]]:
    """Split the whales; while the result still alarms, split the next largest tenant too and use twice
    as many pieces (hashing few large pieces onto few units is lumpy), for a few rounds."""
    assert data.group_counts is not None  # only called for a key that leads with the tenant
    order = [int(t) for t in np.argsort(-data.group_counts, kind="stable")]
    notes: list[str] = []
    for round_ in range(_ROUNDS):
        parts, remedy, factor = _split_once(store, key, data, config, seed, traffic, whales, before, 2**round_)
        summary = _combine(store, parts)
        if not summary["alarms"]:
            break
        nxt = next((t for t in order if t not in whales), None)
        if nxt is None:
            break
        whales = whales + [nxt]
    if round_:
        notes.append(f"widened to the {len(whales)} largest tenants and {factor} pieces per unit to get there")
    return parts, remedy, notes, str(key) + " (whales split)", whales


def _split_once(store, key, data, config, seed, traffic, whales, before, widen):
    family = store.split("-")[0]
    units = len(before.labels)
    counts = data.group_counts
    limit = imbalance_threshold(store)
    pieces, remedy = {}, []
    factor = _PIECES_PER_UNIT * widen
    for t in whales:
        share = float(counts[t] / counts.sum())
        n = max(2, math.ceil(factor * share * units / (limit - 1.0)))
        if family == "cassandra":
            lim = limits()["cassandra"]
            n = max(
                n,
                math.ceil(counts[t] * config.row_scale / lim["max_partition_rows"]),
                math.ceil(counts[t] * config.bytes_per_row / lim["max_partition_bytes"]),
            )
            remedy.append(
                f"tenant {json.dumps(_tenant_value(data, t))}: PRIMARY KEY (({data.group}, bucket), ...) with "
                f"bucket = hash(row id) % {n} (0 for the other tenants; "
                "keep each tenant's bucket count in a lookup table)"
            )
        else:
            lim = limits()["dynamodb"]
            n = max(
                n,
                math.ceil(traffic.reads_per_second * share / lim["partition_rcu"]),
                math.ceil(traffic.writes_per_second * share / lim["partition_wcu"]),
            )
            remedy.append(
                f"tenant {json.dumps(_tenant_value(data, t))}: write sharding, partition key TENANT#<id>#<0..{n - 1}> "
                f"(suffix = hash(item id) % {n}); its reads query the {n} suffixes in parallel"
            )
        # Beyond a few thousand pieces hashing spreads a tenant evenly anyway; more would only cost memory
        # (a huge request rate asks for billions of suffixes), and a piece needs at least one row.
        pieces[t] = max(1, min(n, int(counts[t]), _MAX_SIMULATED_PIECES))
    (after,) = simulate(store, [key], _split_tenants(data, pieces), config, seed, traffic)
    return [after], remedy, factor


def _combine(store: str, parts: list[CandidateResult]) -> dict[str, Any]:
    rows = np.concatenate([p.per_shard_rows for p in parts])
    ops = np.concatenate([p.per_shard_ops for p in parts])
    rm, om = balance(rows), balance(ops)
    alarms = sorted({a.code for p in parts for a in p.alarms if not a.code.endswith(".imbalance")})
    if max(rm.max_over_mean, om.max_over_mean) > imbalance_threshold(store):
        alarms.append(f"{store.split('-')[0]}.imbalance")
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
        "before": _summary(before),
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
    whales = _whales(store, key, before, data, config, traffic, most)
    counts = data.group_counts
    assert counts is not None  # a dataset with a group field has its counts
    family = store.split("-")[0]
    if not whales:
        out.update(whales=[], remedy=[], after=out["before"], resolved=True, summary="no whale tenant", notes=[])
        return out
    if family == "mongodb":
        parts, remedy, notes, after_key, whales = _mongodb(store, key, data, config, seed, traffic, whales)
    elif family == "citus":
        (isolated,) = simulate(store, [key], data, replace(config, isolate=len(whales)), seed, traffic)
        parts, after_key, notes = [isolated], str(key), []
        remedy = [
            f"SELECT isolate_tenant_to_new_shard(<table>, {json.dumps(_tenant_value(data, t))}, 'CASCADE');"
            for t in whales
        ]
        remedy.append("SELECT rebalance_table_shards();  -- moves the isolated shards and evens the workers out")
        if float(counts[whales[0]] / counts.sum()) * (config.nodes or 4) > imbalance_threshold(store):
            notes.append(
                "Citus never splits a tenant: a whale larger than the alarm share of one worker stays above it"
            )
    else:
        parts, remedy, notes, after_key, whales = _split_remedy(store, key, data, config, seed, traffic, whales, before)
    out["whales"] = [
        {
            "tenant": _tenant_value(data, t),
            "rows": int(counts[t]),
            "share": round(float(counts[t] / counts.sum()), 6),
            "reads_per_second": traffic.reads_per_second * float(counts[t] / counts.sum()),
            "writes_per_second": traffic.writes_per_second * float(counts[t] / counts.sum()),
        }
        for t in whales
    ]
    after = _combine(store, parts)
    limit = imbalance_threshold(store)
    resolved = (
        after["rows_max_over_mean"] <= limit
        and after["ops_max_over_mean"] <= limit
        and not any(code.split(".", 1)[1] in _WHALE_ALARMS for code in after["alarms"])
    )
    out.update(
        remedy=remedy,
        after=after,
        after_key=after_key,
        resolved=resolved,
        notes=notes,
        summary=f"{len(whales)} whale tenant(s); the remedy {'brings' if resolved else 'does not bring'} max/mean "
        f"under {limit:g}",
    )
    return out
