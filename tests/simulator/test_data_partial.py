"""Mergeable partial results (simulator.realdata.partial): exact while small, sketches past the bound."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.realdata.partial import ORDER, Limits, chunk_partial, distinct_estimate, merge

SMALL = Limits(exact_limit=40, heavy_k=8, kmv_k=64, order_sample=50)


def _table(values: list[int], texts: bool = False) -> pa.Table:
    col = pa.array([f"v{v}" for v in values]) if texts else pa.array(values, pa.int64())
    return pa.table(
        {
            "k": col,
            "j": pa.array([v % 3 for v in values], pa.int64()),
            ORDER: pa.array(np.arange(len(values)), pa.int64()),
        }
    )


def _fold(table: pa.Table, cuts: list[int], limits: Limits, keys=(("k",),)):
    bounds = sorted({0, table.num_rows, *[c % (table.num_rows + 1) for c in cuts]})
    parts = [chunk_partial(table.slice(a, b - a), keys, limits) for a, b in zip(bounds, bounds[1:], strict=False)]
    acc = None
    for p in parts:
        acc = merge(acc, p, limits)
    return acc


def _as_dict(t: pa.Table, fields=("k",)) -> dict:
    rows = t.to_pylist()
    return {tuple(r[f] for f in fields): r["n"] for r in rows}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-50, 50), min_size=1, max_size=300), st.lists(st.integers(0, 400), max_size=6), st.booleans()
)
def test_exact_counts_do_not_depend_on_the_split(values, cuts, texts):
    table = _table(values, texts)
    merged = _fold(table, cuts, Limits(), keys=(("k",), ("k", "j")))
    whole = chunk_partial(table, (("k",), ("k", "j")), Limits())
    for a, b in zip(merged.keys, whole.keys, strict=True):
        assert a.is_exact and _as_dict(a.exact, a.fields) == _as_dict(b.exact, b.fields)
    keys, counts = np.unique(np.array([f"v{v}" for v in values] if texts else values), return_counts=True)
    assert _as_dict(merged.keys[0].exact) == {(k.item(),): int(c) for k, c in zip(keys, counts, strict=True)}
    assert merged.rows == len(values)
    assert merged.order_sample.num_rows == min(len(values), Limits().order_sample)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 10_000), min_size=50, max_size=400),
    st.lists(st.integers(0, 400), max_size=6),
    st.integers(0, 3),
)
def test_heavy_hitters_stay_within_the_misra_gries_bound(values, cuts, heavy):
    values = values + [7] * (heavy * 60)  # a value well above rows / (k + 1), sometimes
    table = _table(values)
    merged = _fold(table, cuts, SMALL).keys[0]
    assert not merged.is_exact or len(set(values)) <= SMALL.exact_limit
    if merged.is_exact:
        return
    bound = len(values) / (SMALL.heavy_k + 1)
    truth = dict(zip(*np.unique(values, return_counts=True), strict=True))
    found = {k[0]: n for k, n in _as_dict(merged.heavy).items()}
    for value, n in truth.items():
        estimate = found.get(value, 0)
        assert n - bound <= estimate <= n
        if n > bound:
            assert value in found


def test_order_sample_and_kmv_do_not_depend_on_the_split():
    values = list(np.random.default_rng(3).integers(0, 5_000, 3_000))
    table = _table(values)
    a = _fold(table, [100, 900, 2000], SMALL)
    b = _fold(table, [1500], SMALL)
    assert a.order_sample.equals(b.order_sample)
    assert a.keys[0].kmv.sort_by("__h").equals(b.keys[0].kmv.sort_by("__h"))


def test_kmv_distinct_estimate_within_its_stated_error():
    limits = Limits(exact_limit=100, heavy_k=16, kmv_k=1024)
    rng = np.random.default_rng(11)
    for distinct in (5_000, 40_000):
        values = rng.integers(0, distinct, distinct * 2)
        truth = np.unique(values).size
        counts = _fold(_table(list(values)), [len(values) // 3], limits).keys[0]
        estimate, error = distinct_estimate(counts, limits)
        assert abs(estimate - truth) <= 4 * error * truth, (estimate, truth, error)
