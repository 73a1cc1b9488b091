"""Sampling arithmetic: fan-out summaries and the distinct-count estimator."""

from __future__ import annotations

import sqlite3

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from translator.introspect.sampling import estimate_distinct, fanout_summary, sample_column, sample_fanout


@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=300))
def test_fanout_summary_bounds(counts):
    stats = fanout_summary(counts)
    assert min(counts) <= stats.avg <= stats.max == max(counts)
    assert stats.p99 in counts and stats.p99 <= stats.max
    assert sum(c <= stats.p99 for c in counts) >= 0.99 * len(counts)


@given(st.integers(1, 10**6), st.data())
def test_estimate_distinct_between_seen_and_total(sampled, data):
    distinct = data.draw(st.integers(1, sampled))
    singletons = data.draw(st.integers(0, distinct))
    total = data.draw(st.integers(sampled, 10**9))
    estimate = estimate_distinct(sampled, distinct, singletons, total)
    assert distinct <= estimate <= total
    if sampled == total:
        assert estimate == distinct


def test_partial_sample_scales_distinct_counts():
    # 20,000 rows of 2,000 values (10 each, shuffled): a 2,000-row sample sees ~1,300 of them and
    # nearly as many singletons; Duj1 should land near 2,000 where the raw count is far off.
    rng = np.random.default_rng(3)
    values = rng.permutation(np.repeat(np.arange(2000), 10))
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (v INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(int(v),) for v in values])
    run = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    stats = sample_column(run, "t", "v", total_rows=20_000, cap=2_000)
    assert abs(stats.distinct - 2000) <= 0.2 * 2000
    raw = len({int(v) for v in values[:2000]})
    assert abs(raw - 2000) > 0.2 * 2000  # the estimator did real work
    fan = sample_fanout(run, "t", ["v"], cap=20_000)
    assert (fan.avg, fan.p99, fan.max) == (10.0, 10.0, 10.0)
