"""The fused generate+hash+lookup+count kernel gives exactly what the generic chunk path gives."""

from __future__ import annotations

import numpy as np
from cassandra.metadata import Murmur3Token
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from simulator._fused import token_two8
from simulator.data import dataset_from_statistics, parse_key, synthetic_dataset
from simulator.engine import simulate
from simulator.generators import parse_skew
from simulator.stores import StoreConfig, store_model

INT64 = st.integers(-(2**63), 2**63 - 1)


@njit(cache=True)
def _two8_array(a, b):
    out = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        out[i] = token_two8(a[i], b[i])
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(INT64, INT64), min_size=1, max_size=50))
def test_two_bigint_composite_token_equals_the_driver(pairs):
    a = np.array([p[0] for p in pairs], np.int64)
    b = np.array([p[1] for p in pairs], np.int64)
    expected = [
        Murmur3Token.hash_fn(b"\x00\x08" + x.to_bytes(8, "big", signed=True) + b"\x00\x00\x08" + y.to_bytes(8, "big", signed=True) + b"\x00")
        for x, y in pairs
    ]
    assert _two8_array(a, b).tolist() == expected


def _both_paths(data, key, config, seed, chunk_rows):
    parsed = [parse_key(k, list(data.fields)) for k in key]
    fused = simulate("cassandra", parsed, data, config, seed=seed, chunk_rows=chunk_rows)
    plain = simulate("cassandra", parsed, data, config, seed=seed, chunk_rows=chunk_rows, fused=False)
    return fused, plain


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(["tenant_id,id", "id", "ts", "tenant_id,ts", "id,tenant_id", "ts,id,tenant_id"]), min_size=1, max_size=3, unique=True),
    st.integers(1, 200),
    st.integers(1, 60_000),
    st.integers(1, 9),
    st.integers(1, 32),
    st.integers(500, 25_000),
    st.integers(0, 10_000),
)
def test_fused_equals_generic_path(keys, tenants, rows, nodes, vnodes, chunk_rows, seed):
    data = synthetic_dataset(tenants, rows, parse_skew("zipf:1.2"), "serial", np.random.default_rng(seed))
    fused, plain = _both_paths(data, keys, StoreConfig(nodes=nodes, vnodes=vnodes), seed, chunk_rows)
    for f, p in zip(fused, plain):
        assert f.to_dict() == p.to_dict()
        assert int(f.per_shard_rows.sum()) == rows


def test_fused_equals_generic_path_on_workload_statistics():
    attrs = {"account": {"distinct": 40, "most_common": [[7, 0.5], [9, 0.2]]}, "id": {}, "created": {}}
    data = dataset_from_statistics(50_000, attrs, np.random.default_rng(3))
    fused, plain = _both_paths(data, ["account,id", "id", "account,created"], StoreConfig(nodes=5), 3, 7_000)
    assert [f.to_dict() for f in fused] == [p.to_dict() for p in plain]


def test_fused_path_is_taken_only_for_row_derived_fields():
    data = synthetic_dataset(10, 1000, parse_skew("uniform"), "serial", np.random.default_rng(0))
    model = store_model("cassandra")
    rng = np.random.default_rng(0)
    assert model(StoreConfig(), parse_key("tenant_id,id", list(data.fields)), data, rng).fused_counter() is not None
    uuids = synthetic_dataset(10, 1000, parse_skew("uniform"), "uuid4", np.random.default_rng(0))
    assert model(StoreConfig(), parse_key("tenant_id,id", list(uuids.fields)), uuids, rng).fused_counter() is None
