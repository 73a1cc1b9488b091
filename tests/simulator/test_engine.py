"""Acceptance: stores' behaviour under monotonic keys and tenant skew, conservation, store alarms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.data import parse_key, synthetic_dataset
from simulator.engine import Traffic, rank, simulate
from simulator.generators import parse_skew
from simulator.stores import STORES, StoreConfig


def dataset(tenants, rows, skew="zipf:1.2", id_kind="serial", seed=0):
    return synthetic_dataset(tenants, rows, parse_skew(skew), id_kind, np.random.default_rng(seed))


def run(store, keys, data, **config):
    parsed = [parse_key(k, list(data.fields)) for k in keys]
    return simulate(store, parsed, data, StoreConfig(**config), seed=7, chunk_rows=config.pop("chunk", 4_000_000))


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from(sorted(STORES)),
    st.sampled_from(["tenant_id", "tenant_id,id", "id", "hashed(id)", "ts", "tenant_id,ts"]),
    st.integers(1, 300),
    st.integers(1, 20_000),
    st.sampled_from(["serial", "uuid4", "objectid", "uuid7"]),
    st.integers(0, 1000),
)
def test_per_shard_rows_add_up_to_rows_generated(store, key, tenants, rows, id_kind, seed):
    data = dataset(tenants, rows, "zipf:1.1", id_kind, seed)
    (res,) = simulate(
        store, [parse_key(key, list(data.fields))], data,
        StoreConfig(shards=4, nodes=4, range_size_mb=0.5), seed=seed, chunk_rows=3_000,
    )
    assert int(res.per_shard_rows.sum()) == rows
    assert (res.per_shard_rows >= 0).all()
    assert res.per_shard_ops.sum() == pytest.approx(11_000.0, rel=1e-6)  # default reads + writes per second


def test_ranged_monotonic_key_sends_every_insert_to_one_shard_hashed_spreads_them():
    data = dataset(50, 400_000, "uniform")
    ranged, = run("mongodb-range", ["id"], data, shards=4, range_size_mb=4)
    hashed, = run("mongodb-hashed", ["id"], data, shards=4, range_size_mb=4)
    inserts = np.array(ranged.details["inserts"])
    assert inserts.sum() == 400_000 and (inserts > 0).sum() == 1
    assert "mongodb.insert_hot_spot" in [a.code for a in ranged.alarms]
    assert ranged.characteristics.monotonic
    spread = np.array(hashed.details["inserts"])
    assert (spread > 0).all() and spread.max() / spread.mean() < 1.2
    assert not hashed.alarms
    # The balancer still evens out the data itself over time, only the inserts stay hot.
    assert ranged.details["migrations"] > 0


@pytest.mark.parametrize("store", ["cassandra", "mongodb-hashed"])
def test_tenant_key_shows_the_whales_and_tenant_plus_id_fixes_it(store):
    data = dataset(1000, 500_000, "zipf:1.2")
    # A 1 MB range keeps the balancer threshold (3 ranges) well below a shard's share of 200 MB.
    tenant, compound = run(store, ["tenant_id", "tenant_id,id"], data, shards=16, nodes=16, range_size_mb=1)
    assert (
        tenant.characteristics.most_common[0][1] > 100_000
    )  # the biggest whale: over a Cassandra partition's row limit
    assert tenant.metrics.max_over_mean > 3.0 and tenant.metrics.top_share > 0.15
    assert tenant.alarms, "the whale tenant must raise a store alarm"
    assert compound.metrics.max_over_mean < tenant.metrics.max_over_mean / 2
    assert compound.metrics.gini < tenant.metrics.gini / 2
    assert not compound.alarms
    assert rank([tenant, compound])[0] is compound
    assert compound.tenants_spread > 0 and tenant.tenants_spread == 0


def test_tenant_key_works_per_tenant_not_per_row():
    # O(tenants): a billion rows on a tenant key costs what a thousand tenants cost.
    data = dataset(1000, 1_000_000_000, "zipf:1.2")
    res, = run("cassandra", ["tenant_id"], data, nodes=8)
    assert int(res.per_shard_rows.sum()) == 1_000_000_000
    assert {a.code for a in res.alarms} >= {"cassandra.partition_rows", "cassandra.partition_bytes"}


def test_dynamodb_throttles_a_hot_tenant_and_a_hot_key_burst():
    data = dataset(200, 100_000, "zipf:1.5")
    parsed = [parse_key(k, list(data.fields)) for k in ["tenant_id", "tenant_id,id"]]
    traffic = Traffic(reads_per_second=20_000, writes_per_second=500)
    tenant, compound = simulate("dynamodb", parsed, data, StoreConfig(), seed=1, traffic=traffic)
    assert tenant.details["throttled_per_second"]["reads"] > 0
    assert "dynamodb.throttling" in [a.code for a in tenant.alarms]
    assert compound.details["throttled_per_second"]["reads"] == 0
    burst = Traffic(reads_per_second=20_000, writes_per_second=500, burst_share=0.5, burst_seconds=600)
    _, hot = simulate("dynamodb", parsed, data, StoreConfig(), seed=1, traffic=burst)
    assert hot.details["throttled_per_second"]["burst_reads"] > 0


def test_citus_isolating_the_whale_evens_the_workers():
    data = dataset(1000, 200_000, "zipf:1.2")
    plain, = run("citus", ["tenant_id"], data, nodes=4)
    isolated, = run("citus", ["tenant_id"], data, nodes=4, isolate=1)
    assert isolated.details["isolated_tenants"] == [0]
    assert isolated.metrics.max_over_mean < plain.metrics.max_over_mean
    assert int(isolated.per_shard_rows.sum()) == 200_000


def test_mongodb_jumbo_chunk_for_a_whale_on_a_tenant_key():
    data = dataset(100, 300_000, "whales:0.5")
    res, = run("mongodb-range", ["tenant_id"], data, shards=4, range_size_mb=2)
    assert res.details["jumbo_chunks"] >= 1
    assert "mongodb.jumbo_chunks" in [a.code for a in res.alarms]


def test_access_patterns_single_shard_vs_scatter():
    data = dataset(10, 1000)
    ranged, = run("mongodb-range", ["tenant_id,id"], data, shards=2)
    hashed, = run("cassandra", ["tenant_id,id"], data, nodes=3)
    by_tenant = lambda r: next(p for p in r.access_patterns if p["pattern"] == "tenant_id = ?")  # noqa: E731
    assert by_tenant(ranged)["targeted"]  # a range key prefix narrows to the tenant's ranges
    assert not by_tenant(hashed)["targeted"]  # a hash of (tenant, id) needs both


def test_same_seed_same_result():
    data = dataset(100, 20_000)
    a = run("mongodb-hashed", ["tenant_id,id"], data, shards=4, range_size_mb=1)[0]
    b = run("mongodb-hashed", ["tenant_id,id"], data, shards=4, range_size_mb=1)[0]
    assert a.per_shard_rows.tolist() == b.per_shard_rows.tolist()


@settings(max_examples=10, deadline=None)
@given(
    st.sampled_from(sorted(STORES)),
    st.lists(st.floats(0.01, 0.2), min_size=1, max_size=4),
    st.integers(5, 500),
    st.integers(100, 5000),
)
def test_workload_statistics_conserve_rows(store, shares, distinct, rows):
    from simulator.data import dataset_from_statistics

    attrs = {
        "tenant_id": {"distinct": distinct, "most_common": [(i + 1, s / len(shares)) for i, s in enumerate(shares)]},
        "status": {"distinct": 4, "most_common": [("open", 0.7), ("closed", 0.2)]},
        "issue_id": {},
    }
    data = dataset_from_statistics(rows, attrs, np.random.default_rng(0))
    keys = [parse_key(k, list(data.fields)) for k in ("tenant_id", "status", "tenant_id,issue_id")]
    for res in simulate(store, keys, data, StoreConfig(shards=3, nodes=3, range_size_mb=0.1), seed=2, chunk_rows=700):
        assert int(res.per_shard_rows.sum()) == rows
