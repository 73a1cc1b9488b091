"""MongoDB range table: the balancer reaches MongoDB's own end state; jumbo ranges are single values
over the range size; hashed keys are ranged over their hash and never called monotonic."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.data import KeySpec, synthetic_dataset
from simulator.engine import simulate
from simulator.generators import parse_skew
from simulator.ranges import MIGRATION_THRESHOLD_RANGES, RangeSharding
from simulator.stores import StoreConfig


def _end_state_holds(t: RangeSharding) -> None:
    rows = t.shard_rows()
    movable = [not j and n > 0 for j, n in zip(t.jumbo, t.counts, strict=True)]
    threshold = MIGRATION_THRESHOLD_RANGES * t.max_rows
    for donor in range(t.n_shards):
        if rows[donor] - rows.min() >= threshold:
            # Only jumbo ranges are left on a shard that is still 3 ranges ahead: MongoDB cannot move them.
            assert not any(m and s == donor for m, s in zip(movable, t.shard, strict=True)), (rows, donor)


def _jumbo_only_for_single_values_over_the_range_size(t: RangeSharding) -> None:
    which = np.searchsorted(t.bounds, t.exact_keys, side="right") - 1
    for c, (n, jumbo) in enumerate(zip(t.counts, t.jumbo, strict=True)):
        values = t.exact_counts[which == c]
        assert jumbo == (values.size == 1 and n > t.max_rows), (c, n, values)
        if not jumbo:
            assert n <= t.max_rows


@given(
    sizes=st.lists(st.integers(0, 5_000), min_size=1, max_size=300),
    shards=st.integers(1, 9),
    max_rows=st.integers(50, 2_000),
    hashed=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_counted_tenants_balance_to_mongodb_end_state(sizes, shards, max_rows, hashed, seed):
    rng = np.random.default_rng(seed)
    if hashed:  # hash ordinals: spread over the whole uint64 space
        keys = np.unique(rng.integers(0, 2**64 - 1, len(sizes), dtype=np.uint64))
        sizes = sizes[: keys.size]
    else:
        keys = np.arange(len(sizes), dtype=np.uint64)
    t = (RangeSharding.hashed if hashed else RangeSharding)(shards, max_rows, rng)
    t.insert(keys, np.array(sizes))
    assert t.shard_rows().sum() == sum(sizes)
    _end_state_holds(t)
    _jumbo_only_for_single_values_over_the_range_size(t)
    # Growth: the balancer moves ranges onto the new shards until the end state holds again.
    t.add_shards(1)
    assert t.shard_rows().sum() == sum(sizes)
    _end_state_holds(t)


@settings(max_examples=12)
@given(
    tenants=st.integers(1, 400),
    skew=st.sampled_from(["zipf:1.1", "zipf:2", "lognormal:2", "uniform", "zipf:1.1+whales:0.3"]),
    shards=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_streamed_inserts_balance_to_mongodb_end_state(tenants, skew, shards, seed):
    data = synthetic_dataset(tenants, 60_000, parse_skew(skew), "uuid4", np.random.default_rng(seed), row_bytes=4096)
    config = StoreConfig(shards=shards, range_size_mb=8.0, row_bytes=4096)  # 2,048 rows per range
    for key in (KeySpec(("tenant_id", "id"), (False, False)), KeySpec(("id",), (False,))):
        (res,) = simulate("mongodb-range", [key], data, config, seed)
        rows = res.per_shard_rows
        jumbo = res.details["jumbo_chunks"]
        if not jumbo:
            assert rows.max() - rows.min() < 3 * 2048, rows


def test_the_issue_example_no_longer_leaves_every_row_on_shard_0():
    # Issue 12: 20M rows of 10,000 zipf tenants at 900 bytes on 4 shards gave 100% on shard 0, 74
    # jumbo ranges and 0 migrations. Scaled down 10x in rows and range size alike (same ranges).
    data = synthetic_dataset(
        10_000, 2_000_000, parse_skew("zipf:1.1"), "serial", np.random.default_rng(0), row_bytes=900
    )
    config = StoreConfig(shards=4, range_size_mb=12.8, row_bytes=900)
    max_rows = int(12.8 * 2**20 // 900)
    (res,) = simulate("mongodb-range", [KeySpec(("tenant_id",), (False,))], data, config, 0)
    over = int((data.group_counts > max_rows).sum())
    assert res.details["jumbo_chunks"] == over
    assert res.details["migrations"] > 0
    assert res.per_shard_rows.min() > 0


def test_hashed_key_on_mongodb_range_is_ranged_over_its_hash_and_not_monotonic():
    data = synthetic_dataset(100, 300_000, parse_skew("zipf:1.1"), "serial", np.random.default_rng(1))
    config = StoreConfig(shards=4, range_size_mb=4.0)
    plain, hashed = simulate("mongodb-range", [KeySpec(("id",), (False,)), KeySpec(("id",), (True,))], data, config, 1)
    assert plain.characteristics.monotonic and not hashed.characteristics.monotonic
    assert abs(hashed.characteristics.monotonicity_r) < 0.1
    assert "mongodb.insert_hot_spot" in [a.code for a in plain.alarms]
    assert "mongodb.insert_hot_spot" not in [a.code for a in hashed.alarms]
    # Ranged over the hash: pre-split ranges on every shard, inserts spread over all of them.
    assert (hashed.per_shard_rows > 0).all() and hashed.metrics.max_over_mean < 1.2
    assert hashed.details["largest_chunks"] != plain.details["largest_chunks"]


@settings(max_examples=12)
@given(rows=st.integers(2_000, 40_000), shards=st.integers(2, 6), seed=st.integers(0, 2**16))
def test_an_imbalance_the_balancer_leaves_is_explained_exactly_when_under_its_threshold(rows, shards, seed):
    # A collection of a few ranges stays on one shard: MongoDB's real end state, whatever the key. The run
    # says so when (and only when) an imbalance remains and the shards differ by less than 3 ranges.
    data = synthetic_dataset(50, rows, parse_skew("uniform"), "uuid4", np.random.default_rng(seed), row_bytes=1024)
    config = StoreConfig(shards=shards, range_size_mb=4.0, row_bytes=1024)  # 4,096 rows per range
    (res,) = simulate("mongodb-range", [KeySpec(("tenant_id", "id"), (False, False))], data, config, seed)
    per_shard = res.per_shard_rows
    imbalanced = per_shard.max() / per_shard.mean() > 1.5
    under = per_shard.max() - per_shard.min() < MIGRATION_THRESHOLD_RANGES * 4096
    explained = any("migration threshold" in note for note in res.notes)
    assert explained == (imbalanced and under), (per_shard, res.notes)
