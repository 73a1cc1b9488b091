"""One truth for store limits: the simulator's own limits file states what mappings/*.toml states."""

from __future__ import annotations

import tomllib
from pathlib import Path

from simulator.limits import limits
from simulator.stores.cassandra import PARTITION_LIMITS
from simulator.stores.dynamodb import LIMITS

MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


def _mapping(name: str) -> dict:
    return tomllib.loads((MAPPINGS / name).read_text(encoding="utf-8"))


def test_cassandra_partition_limits_equal_the_mapping():
    cassandra = _mapping("cassandra.toml")["thresholds"]
    # Issue 10: the simulator said 100 MiB while the mapping said 100 MB; now both read one number each.
    assert PARTITION_LIMITS == {
        "bytes": cassandra["max_partition_bytes"],
        "rows": cassandra["max_partition_rows"],
        "cells": cassandra["max_partition_cells"],
    }


def test_dynamodb_partition_throughput_equals_the_mapping():
    dynamodb = _mapping("dynamodb.toml")["limits"]
    assert LIMITS["rcu"] == dynamodb["partition_rcu"] and LIMITS["wcu"] == dynamodb["partition_wcu"]
    assert limits()["dynamodb"]["partition_rcu"] == dynamodb["partition_rcu"]


def test_simulator_code_does_not_read_the_mappings():
    root = Path(__file__).resolve().parents[2] / "simulator"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import translator" not in text and "from translator" not in text and "mappings/" not in text, path
