"""Whale remedies (issue 15): each store's own remedy, simulated, before and after."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.data import KeySpec, synthetic_dataset
from simulator.generators import parse_skew
from simulator.remedy import remedy_whales
from simulator.stores import StoreConfig
from translator.cli import main

TENANT = KeySpec(("tenant_id",), (False,))


@pytest.fixture(scope="module")
def whale_population():
    # A zipf tenant population with one whale at 30% of the rows.
    return synthetic_dataset(1000, 1_000_000, parse_skew("zipf:1.1+whales:0.3"), "uuid4", np.random.default_rng(7))


@pytest.mark.parametrize(
    "store, config, mechanism",
    [
        # A 1 MB range keeps MongoDB's migration threshold (3 ranges) small against this data.
        ("mongodb-range", StoreConfig(shards=8, range_size_mb=1.0), "updateZoneKeyRange"),
        ("mongodb-hashed", StoreConfig(shards=4, range_size_mb=1.0), "convertShardKeyToHashed"),
        ("citus", StoreConfig(shards=32, nodes=4), "isolate_tenant_to_new_shard"),
        ("cassandra", StoreConfig(nodes=6, vnodes=16), "bucket"),
        ("dynamodb", StoreConfig(), "TENANT#<id>#"),
    ],
)
def test_each_store_remedy_brings_max_over_mean_under_its_threshold(whale_population, store, config, mechanism):
    r = remedy_whales(store, TENANT, whale_population, config, seed=7)
    limit = r["threshold"]
    assert r["whales"][0]["tenant"] == 0 and r["whales"][0]["share"] == pytest.approx(0.3, abs=0.01)
    before, after = r["before"], r["after"]
    assert max(before["rows_max_over_mean"], before["ops_max_over_mean"]) > limit, before
    assert after["rows_max_over_mean"] <= limit and after["ops_max_over_mean"] <= limit, after
    assert r["resolved"] and any(mechanism in step for step in r["remedy"])
    assert sum(after["per_unit_rows"]) == sum(before["per_unit_rows"]) == 1_000_000


def test_a_key_that_does_not_lead_with_the_tenant_gets_no_tenant_remedy(whale_population):
    r = remedy_whales("cassandra", KeySpec(("id",), (False,)), whale_population, StoreConfig(), seed=1)
    assert r["whales"] == [] and r["remedy"] == [] and "does not lead with the tenant" in r["summary"]


def test_cli_remedy_json_shows_before_and_after():
    result = CliRunner().invoke(
        main,
        [
            "simulate",
            "--store",
            "citus",
            "--key",
            "tenant_id",
            "--tenants",
            "300",
            "--rows",
            "100000",
            "--skew",
            "zipf:1.1+whales:0.3",
            "--remedy",
            "--format",
            "json",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    import json

    (remedy,) = json.loads(result.output)["remedies"]
    assert {"before", "after", "whales", "remedy", "threshold", "resolved"} <= set(remedy)
    assert remedy["after"]["rows_max_over_mean"] < remedy["before"]["rows_max_over_mean"]


def test_a_huge_request_rate_does_not_build_billions_of_pieces():
    # 1e15 reads/s asks for ~1e11 write-sharding suffixes: recommended, but simulated in bounded memory.
    data = synthetic_dataset(40, 3000, parse_skew("zipf:1.1+whales:0.3"), "serial", np.random.default_rng(0))
    from simulator.engine import Traffic

    r = remedy_whales("dynamodb", TENANT, data, StoreConfig(), 0, Traffic(1e15, 1e15))
    assert any("TENANT#<id>#" in step for step in r["remedy"])
    assert sum(r["after"]["per_unit_rows"]) == 3000
