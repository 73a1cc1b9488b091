"""MongoDB: zones pinning each whale to shards of its own (`sh.addShardToZone`, `sh.updateZoneKeyRange`);
a key of the tenant alone is refined first (`refineCollectionShardKey`) so a whale can span ranges. A
tenant over the range size (a jumbo range) needs the refined key, not a zone of its own, so MongoDB has no
hard-limit whale of its own."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from simulator.data import keys_on
from simulator.engine import simulate
from simulator.remedy.base import Case, Outcome, WhaleRemedy, register, scaled, tenant_literal


def zone_sizes(shares: list[float], rest: float, shards: int) -> list[int]:
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


@register
class MongoZones(WhaleRemedy):
    family = "mongodb"

    def apply(self, case: Case, whales: list[int]) -> Outcome:
        store, key, data, config, seed, traffic = case.store, case.key, case.data, case.config, case.seed, case.traffic
        remedy: list[str] = []
        notes: list[str] = []
        # mongodb-hashed hashes the first field when the key marks none.
        hashed_first = key.hashed[0] or (store == "mongodb-hashed" and not any(key.hashed))
        if len(key.fields) == 1:
            suffix = next((f for f, s in data.fields.items() if s.kind != "categorical" and f != data.group), "_id")
            data, (key,) = keys_on(data, [f"{key}, {suffix}".replace(" ", "")])
            lead = '"hashed"' if hashed_first else "1"
            remedy.append(
                f"refineCollectionShardKey to {{{data.group}: {lead}, {suffix}: 1}} so a whale's documents can "
                "span ranges"
            )
        counts = data.group_counts
        assert counts is not None  # only called for a key that leads with the tenant
        shares = [float(counts[t] / counts.sum()) for t in whales]
        shards = config.shards or 4
        if len(whales) > shards - 1:
            whales, shares = whales[: shards - 1], shares[: shards - 1]
            notes.append(f"only {shards - 1} whales get a zone: the other tenants keep at least one shard")
        k = zone_sizes(shares, 1.0 - sum(shares), shards)
        parts, first = [], 0
        for t, n, s in zip(whales, k, shares, strict=True):
            mask = np.zeros(counts.size, np.int64)
            mask[t] = counts[t]
            sub = replace(data, rows=int(mask.sum()), group_counts=mask)
            (res,) = simulate(store, [key], sub, replace(config, shards=n), seed, scaled(traffic, s))
            parts.append(res)
            zone = f"whale-{t}"
            value = tenant_literal(data, t)
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
                store, [key], sub, replace(config, shards=shards - first), seed, scaled(traffic, 1.0 - sum(shares))
            )
            parts.append(res)
            remedy.append(f"zone 'tenants' on shard{first}..shard{shards - 1}: the key ranges between the whales")
        return Outcome(parts, remedy, notes, str(key), whales)
