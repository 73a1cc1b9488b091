"""The fused generate+hash+lookup+count kernel gives exactly what the generic chunk path gives."""

from __future__ import annotations

import numpy as np
from cassandra.metadata import Murmur3Token
from hypothesis import example, given, settings
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
        Murmur3Token.hash_fn(
            b"\x00\x08"
            + x.to_bytes(8, "big", signed=True)
            + b"\x00\x00\x08"
            + y.to_bytes(8, "big", signed=True)
            + b"\x00"
        )
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
    st.lists(
        st.sampled_from(["tenant_id,id", "id", "ts", "tenant_id,ts", "id,tenant_id", "ts,id,tenant_id"]),
        min_size=1,
        max_size=3,
        unique=True,
    ),
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
    for f, p in zip(fused, plain, strict=False):
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


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.integers(0, 3000), min_size=1, max_size=12),
    st.sampled_from([0, 2**40 - 1500, 2**41 - 7, 2**62]),
    st.sampled_from([(0, 1), (1, 0), (0, 2), (1,), (2,), (0, 1, 2)]),
    st.integers(1, 40),
)
@example(part=[3000, 2000], start=2**40 - 1500, sources=(0, 1), nblk=1)  # a batch crossing 2**40
@example(part=[500, 0, 4000], start=2**41 - 7, sources=(0, 1), nblk=3)
def test_kernel_counts_equal_separate_steps(part, start, sources, nblk):
    """Directly against hash-then-lookup, including serial ids whose top bytes change inside a batch."""
    from simulator._fused import LAYOUT_GENERIC, LAYOUT_ONE8, LAYOUT_TWO8, ring_count_chunk
    from simulator._murmur3 import murmur3_columns
    from simulator.ring import random_ring

    ring = random_ring(3, 8, np.random.default_rng(len(part)))
    part = np.array(part, np.int64)
    n = int(part.sum())
    group = np.repeat(np.arange(part.size, dtype=np.int64), part)
    row = start + np.arange(n, dtype=np.int64)
    ts_start, ts_step = 1_767_225_600_000, 0.37
    column = {0: group, 1: row, 2: ts_start + (row * ts_step).astype(np.int64)}
    m = len(sources)
    cols = np.stack([column[s] for s in sources]) if n else np.zeros((m, 0), np.int64)
    ranges = ring.range_of(murmur3_columns(cols, np.full(m, 8), np.arange(m), m > 1)) if n else np.zeros(0, np.int64)
    expected = np.zeros((part.size, 3), np.int64)
    np.add.at(expected, (group, ring.owners[ranges]), 1)
    layout = {1: LAYOUT_ONE8, 2: LAYOUT_TWO8}.get(m, LAYOUT_GENERIC)
    got = np.zeros((part.size, 3), np.int64)
    table, shift = ring.bucket_table(per_token=16)
    hist = ring_count_chunk(
        part, np.int64(start), np.array(sources, np.int64), np.full(m, 8, np.int64), np.arange(m, dtype=np.int64),
        m > 1, layout, np.int64(ts_start), ts_step, ring.tokens, table, shift, ring.owners, got, nblk,
    )
    assert got.tolist() == expected.tolist()
    assert hist.tolist() == np.bincount(ranges, minlength=ring.tokens.size).tolist()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 200), st.integers(-1, 199))
def test_run_blocks_runs_every_block_once_and_reraises(n_blocks, failing):
    import threading

    import pytest

    from simulator._blocks import run_blocks

    seen: list[int] = []
    lock = threading.Lock()

    def fn(b: int) -> None:
        with lock:
            seen.append(b)
        if b == failing:
            raise RuntimeError(f"block {b}")

    if 0 <= failing < n_blocks:
        with pytest.raises(RuntimeError, match=f"block {failing}"):
            run_blocks(fn, n_blocks)
    else:
        run_blocks(fn, n_blocks)
        assert sorted(seen) == list(range(n_blocks))
