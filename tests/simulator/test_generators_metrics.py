"""Generators are seeded and well-formed; balance metrics have the documented scale."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.errors import SimulatorError
from simulator.generators import id_columns, parse_skew, split_counts, tenant_weights, weights_from_most_common
from simulator.metrics import balance, monotonicity

SKEWS = st.sampled_from(["zipf:1.1", "zipf:0", "lognormal:1.5", "pareto:1.2", "uniform", "whales:0.3,0.1"])


@given(SKEWS, st.integers(1, 3000), st.integers(0, 2**32))
def test_weights_are_a_distribution_and_reproducible(text, n, seed):
    spec = parse_skew(text)
    w = tenant_weights(spec, n, np.random.default_rng(seed))
    assert w.shape == (n,) and (w >= 0).all() and abs(w.sum() - 1) < 1e-9
    assert np.array_equal(w, tenant_weights(spec, n, np.random.default_rng(seed)))


def test_zipf_ranks_decrease_and_whales_keep_their_shares():
    w = tenant_weights(parse_skew("zipf:1.2"), 1000, np.random.default_rng(0))
    assert (np.diff(w) < 0).all()
    w = tenant_weights(parse_skew("whales:0.3,0.2"), 12, np.random.default_rng(0))
    assert w[:2].tolist() == pytest.approx([0.3, 0.2]) and w[2:] == pytest.approx(0.05)


@pytest.mark.parametrize(
    "text, fragment",
    [("zipf:-1", "exponent"), ("zipf", "one parameter"), ("gauss:1", "unknown distribution"),
     ("whales:0.7,0.5", "summing below 1"), ("pareto:0", "alpha"), ("zipf:x", "numbers"),
     # Extreme parameters overflowed float64 into NaN weights and a numpy traceback.
     ("lognormal:1e6", "sigma must be within"), ("pareto:1e-300", "alpha must be within"),
     ("zipf:1e300", "exponent s must be within"), ("zipf:1.1+whales:0.7,0.4", "summing below 1"),
     ("zipf:1.1+gauss:1", "only '\\+whales")],
)
def test_bad_skews_name_the_argument(text, fragment):
    with pytest.raises(SimulatorError, match=fragment) as err:
        parse_skew(text)
    # The library names its argument, never a CLI flag (the CLI maps argument names to options).
    assert str(err.value).startswith(f"skew={text!r}") and "\n" not in str(err.value)


@given(st.lists(st.integers(0, 300), min_size=1, max_size=100), st.integers(50, 5000), st.integers(0, 2**32))
def test_split_counts_conserves_every_group(counts, chunk, seed):
    parts = list(split_counts(np.array(counts), chunk, np.random.default_rng(seed)))
    assert all(p.sum() <= chunk and (p >= 0).all() for p in parts)
    total = np.sum(parts, axis=0) if parts else np.zeros(len(counts))
    assert total.tolist() == counts or (sum(counts) == 0 and not parts)


def test_most_common_weights():
    w = weights_from_most_common([("a", 0.5), ("b", 0.1)], distinct=6)
    assert w.tolist() == pytest.approx([0.5, 0.1, 0.1, 0.1, 0.1, 0.1])
    w = weights_from_most_common([("a", 800), ("b", 200)], distinct=2, total=1000)
    assert w.tolist() == pytest.approx([0.8, 0.2])


def test_id_kinds_order():
    rng = np.random.default_rng(1)
    idx = np.arange(5000, dtype=np.int64)
    ts = 1_700_000_000_000 + idx * 2000
    for kind in ("uuid7", "objectid"):  # time-ordered: the high half never goes back
        hi = id_columns(kind, idx, ts, rng)[0]
        assert (np.diff(hi) >= 0).all() or (np.diff(hi.view(np.uint64).astype(np.float64)) >= 0).all()
    hi, lo = id_columns("uuid4", idx, ts, rng)
    assert ((hi >> 12) & 0xF == 4).all()  # version nibble
    assert abs(monotonicity(hi, idx)) < 0.1
    assert monotonicity(id_columns("serial", idx, ts, rng)[0], idx) == pytest.approx(1.0)


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=100).filter(lambda x: sum(x) > 0))
def test_metric_ranges(load):
    m = balance(np.array(load))
    assert 0 <= m.skew_factor <= 1 + 1e-9 and 0 <= m.gini < 1
    assert m.max_over_mean >= 1 - 1e-9 and 0 < m.top_share <= 1
    m2 = balance(np.random.default_rng(0).permutation(np.array(load)))
    assert m2.gini == pytest.approx(m.gini) and m2.skew_factor == pytest.approx(m.skew_factor)


def test_metric_end_points():
    even = balance(np.full(8, 10.0))
    assert (even.max_over_mean, even.cv, even.gini, even.skew_factor) == pytest.approx((1, 0, 0, 0))
    one = balance(np.array([0, 0, 0, 100.0]))
    assert (one.skew_factor, one.top_share, one.gini, one.max_over_mean) == pytest.approx((1, 1, 0.75, 4))
