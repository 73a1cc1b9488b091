"""Cost arithmetic against the pricing file's own worked example and against hand-computed examples."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.cli import main
from translator.plan.capacity import Demand, estimate
from translator.plan.pricing import PricingError, load_pricing


@pytest.fixture(scope="module")
def pricing():
    return load_pricing()


def test_dynamodb_worked_example_of_the_pricing_file(pricing):
    rules = pricing["dynamodb"]
    ex = rules["example"]
    demand = Demand(reads=((ex["reads_per_second"], 1, ex["read_item_bytes"], 1),),
                    writes=((ex["writes_per_second"], 1, ex["write_item_bytes"]),),
                    data_bytes=ex["storage_gb"] * 1e9, items=0)
    cap = estimate(demand, rules, pricing["meta"]["hours_per_month"])
    assert cap.monthly["on_demand_total"] == pytest.approx(ex["expected_on_demand_monthly"], abs=1e-6)
    assert cap.monthly["provisioned_total"] == pytest.approx(ex["expected_provisioned_monthly"], abs=1e-6)
    assert cap.monthly_total == pytest.approx(min(ex["expected_on_demand_monthly"], ex["expected_provisioned_monthly"]))


def test_dynamodb_by_hand():
    # 1,000 strongly consistent-priced (factor 1) reads/s of a 9 KB item: 3 RRU each -> 3,000 RRU/s;
    # 100 writes/s of 3 items of 2.5 KB: 3 WRU each -> 900 WRU/s; 1 TB. 100-hour month for round numbers.
    rules = {**load_pricing()["dynamodb"], "eventually_consistent_factor": 1.0, "provisioned_target_utilization": 0.5}
    demand = Demand(((1000, 1, 9 * 1024, 1),), ((100, 3, 2.5 * 1024),), 1e12, 0)
    cap = estimate(demand, rules, 100)
    seconds = 100 * 3600
    assert cap.figures["read_units_per_second"] == 3000
    assert cap.figures["write_units_per_second"] == 900
    assert cap.monthly["on_demand_reads"] == pytest.approx(3000 * seconds / 1e6 * 0.125)
    assert cap.monthly["on_demand_writes"] == pytest.approx(900 * seconds / 1e6 * 0.625)
    assert cap.monthly["storage"] == pytest.approx(1000 * 0.25)
    # provisioned at 50%: 6,000 RCU and 1,800 WCU
    assert cap.monthly["provisioned_throughput"] == pytest.approx(6000 * 100 * 0.00013 + 1800 * 100 * 0.00065)
    # partitions: max(6000/3000 + 1800/1000 -> 4, 1000 GB / 10 -> 100)
    assert cap.units == 100


def test_cassandra_nodes_by_hand(pricing):
    rules = pricing["cassandra"]
    # 2 TB raw, RF 3, x1.3 on disk = 7,800 GB / 1,500 GB per node -> 6 nodes (5.2 rounded up)
    demand = Demand(((50_000, 1, 100, 1),), ((10_000, 2, 100),), 2e12, 0)
    cap = estimate(demand, rules, 730)
    assert cap.figures["nodes_for_data"] == math.ceil(2000 * 3 * 1.3 / 1500) == 6
    # replica operations: 50,000 reads + 10,000 x 2 rows x RF 3 = 110,000 -> 11 nodes at 10,000/s
    assert cap.figures["nodes_for_throughput"] == 11
    assert cap.units == 11
    assert cap.figures["replica_ops_per_node"] == pytest.approx(10_000)
    assert cap.monthly_total == pytest.approx(11 * 730 * 0.686)


def test_scatter_gather_reads_land_on_every_shard(pricing):
    rules = pricing["mongodb"]
    # 4,000 scatter-gather reads/s reach every shard; 30,000 targeted ops/s share the rest of each shard's
    # 10,000/s: 30,000 / 6,000 -> 5 shards, each with 4,000 + 6,000 = 10,000 ops/s
    demand = Demand(((4000, 1, 100, math.inf), (30_000, 1, 100, 1)), (), 1e9, 0)
    cap = estimate(demand, rules, 730)
    assert cap.figures["shards_for_throughput"] == 5 and cap.units == 5
    assert cap.figures["operations_per_shard"] == pytest.approx(10_000)
    # beyond one shard's capacity, more shards cannot help, and the estimate says so
    flooded = estimate(Demand(((12_000, 1, 100, math.inf),), (), 1e9, 0), rules, 730)
    assert any("scatter-gather reads alone" in a for a in flooded.assumptions)


def test_mongodb_shards_by_hand(pricing):
    rules = pricing["mongodb"]
    # 100 GB: 3 shards for data at 40 GB; working set 30% = 30 GB / 4 GB of cache -> 8 shards
    demand = Demand(((1000, 1, 100, 1),), (), 100e9, 0)
    cap = estimate(demand, rules, 730)
    assert cap.figures["shards_for_data"] == 3
    assert cap.figures["shards_for_working_set"] == 8
    assert cap.units == 8
    assert cap.monthly_total == pytest.approx(8 * 730 * 0.54)


@pytest.mark.parametrize("text, fragment", [
    ("not toml [", "not valid TOML"),
    ("[meta]\nhours_per_month = 730\n[dynamodb]\ncapacity_model = 'barter'\n", "capacity_model='barter'"),
    ("[meta]\nhours_per_month = 730\n[cassandra]\ncapacity_model = 'nodes'\n", "replication_factor=None"),
    ("[meta]\nhours_per_month = -1\n", "hours_per_month"),
])
def test_bad_pricing_file_is_one_line(tmp_path, text, fragment):
    path = tmp_path / "pricing.toml"
    path.write_text(text)
    with pytest.raises(PricingError) as info:
        load_pricing(path)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_cli_bad_pricing_exit_2_and_no_report(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[meta]\nhours_per_month = 'many'\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["plan", str(SAMPLES / "ecommerce.sql"), "--pricing", str(bad),
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "hours_per_month" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]
