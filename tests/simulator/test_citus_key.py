"""Citus places rows by one distribution column: a compound key is routed on its first field only."""

from __future__ import annotations

import numpy as np

from simulator.data import KeySpec, synthetic_dataset
from simulator.engine import simulate
from simulator.generators import parse_skew
from simulator.stores import StoreConfig


def test_compound_key_routes_and_is_characterized_on_the_distribution_column():
    data = synthetic_dataset(300, 50_000, parse_skew("zipf:1.1"), "serial", np.random.default_rng(4))
    tenant, compound = simulate(
        "citus",
        [KeySpec(("tenant_id",), (False,)), KeySpec(("tenant_id", "id"), (False, False))],
        data,
        StoreConfig(),
        4,
    )
    assert compound.per_shard_rows.tolist() == tenant.per_shard_rows.tolist()
    # Characteristics are tenant_id's: its distinct values and its largest tenant, not one row per id.
    assert compound.characteristics.distinct_values == int((data.group_counts > 0).sum())
    assert compound.characteristics.max_rows_per_value == int(data.group_counts.max())
    assert any("distributes on one column" in n and "'tenant_id'" in n for n in compound.notes)
    assert not any("distributes on one column" in n for n in tenant.notes)
    # A query by tenant_id alone goes to one worker under either key.
    by_tenant = [p for p in compound.access_patterns if p["equality"] == ["tenant_id"]]
    assert by_tenant and all(p["targeted"] for p in by_tenant)
