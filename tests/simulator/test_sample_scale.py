"""`simulate --workload --rows N` with N below the entity's rows simulates a sample that stands for the
entity: ranges, partition sizes and the whale limits are the full table's, shares come from the sample.
(Before, a 150,000-row sample of a 50M-row collection fit in one MongoDB range and put every row on one
shard, and a Cassandra partition of 4M rows was reported as 12,000.)"""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.stores import StoreConfig, sample_scale
from translator.cli import main

ROWS = 50_000_000
ROW_BYTES = 900


def _document(tmp_path, share: float) -> str:
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump({
        "version": 1,
        "statistics": {
            "entities": {"issues": {"rows": ROWS, "avg_row_bytes": ROW_BYTES}},
            "attributes": {"issues": {"tenant_id": {"distinct": 10_000, "most_common": [[1, share]]},
                                      "issue_id": {"distinct": ROWS}}},
        },
    }))
    return str(path)


def _run(workload: str, *args: str) -> dict:
    result = CliRunner().invoke(main, ["simulate", "--workload", workload, "--entity", "issues", *args,
                                       "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_a_sample_keeps_the_collections_range_count(tmp_path):
    workload = _document(tmp_path, 0.01)
    out = _run(workload, "--store", "mongodb-range", "--key", "tenant_id,issue_id", "--rows", "100000",
               "--shards", "8")
    assert out["row_scale"] == pytest.approx(ROWS / 100_000)
    (candidate,) = out["candidates"]
    full_bytes = ROWS * ROW_BYTES
    assert candidate["details"]["chunks"] >= full_bytes / (128 * 2**20)
    assert candidate["metrics"]["max_over_mean"] < 1.5  # the balancer spreads 335+ ranges over 8 shards
    assert sum(candidate["per_shard"]["bytes"]) == pytest.approx(full_bytes, rel=1e-6)


def test_a_sample_keeps_the_partition_sizes(tmp_path):
    workload = _document(tmp_path, 0.08)
    out = _run(workload, "--store", "cassandra", "--key", "tenant_id", "--rows", "100000", "--nodes", "6")
    (candidate,) = out["candidates"]
    largest = candidate["details"]["largest_partition_rows"]
    assert largest == pytest.approx(0.08 * ROWS, rel=0.05)
    assert {"cassandra.partition_rows", "cassandra.partition_bytes"} <= {a["code"] for a in candidate["alarms"]}


def test_all_rows_are_no_sample(tmp_path):
    workload = _document(tmp_path, 0.01)
    out = _run(workload, "--store", "cassandra", "--key", "tenant_id", "--rows", str(ROWS // 1000),
               "--nodes", "3", "--row-bytes", "10")
    assert out["row_scale"] == pytest.approx(1000)
    assert sample_scale(ROWS, ROWS) == 1.0 and sample_scale(ROWS, None) == 1.0 and sample_scale(ROWS, 10) == 1.0


@settings(max_examples=50)
@given(rows=st.integers(1, 10**9), stands_for=st.integers(1, 10**12), row_bytes=st.integers(1, 10**6))
def test_a_sample_stands_for_the_tables_bytes(rows, stands_for, row_bytes):
    config = StoreConfig(row_bytes=row_bytes, row_scale=sample_scale(rows, stands_for))
    assert rows * config.bytes_per_row == pytest.approx(max(rows, stands_for) * row_bytes, rel=1e-9)
