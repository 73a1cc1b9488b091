"""`grow`: data that moves when a cluster grows, under each store's rules (issue 15)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from cassandra.metadata import Murmur3Token, SimpleStrategy
from cassandra.policies import SimpleConvictionPolicy
from cassandra.pool import Host
from click.testing import CliRunner

from simulator.data import KeySpec, synthetic_dataset
from simulator.engine import simulate
from simulator.generators import parse_skew
from simulator.ranges import MIGRATION_THRESHOLD_RANGES
from simulator.ring import grow_ring, random_ring
from simulator.stores import StoreConfig
from translator.cli import main

ID = KeySpec(("id",), (False,))


def _driver_replicas(ring, rf):
    """cassandra-driver's own token map: token -> replica hosts (as node indexes)."""
    hosts = [Host(f"10.0.0.{i}", SimpleConvictionPolicy) for i in range(len(ring.nodes))]
    tokens = [Murmur3Token(int(t)) for t in ring.tokens]
    owner = {t: hosts[o] for t, o in zip(tokens, ring.owners, strict=True)}
    replica_map = SimpleStrategy({"replication_factor": str(rf)}).make_token_replica_map(owner, tokens)
    return [int(t.value) for t in tokens], [{hosts.index(h) for h in replica_map[t]} for t in tokens]


def _driver_moved_share(before, after, rf):
    """Share of replica copies (by token-space width) that land on a node that did not hold them."""
    old_tokens, old_reps = _driver_replicas(before, rf)
    new_tokens, new_reps = _driver_replicas(after, rf)
    space, moved = 2.0**64, 0.0
    for j, end in enumerate(new_tokens):
        start = new_tokens[j - 1]
        width = ((end - start) % 2**64 or 2**64) / space
        k = np.searchsorted(np.array(old_tokens), end, side="left") % len(old_tokens)  # old range holding it
        moved += width * len(new_reps[j] - old_reps[k])
    return moved / rf


def test_cassandra_grow_one_node_moves_about_a_seventh_like_the_driver_says():
    rows, nodes, vnodes, rf = 600_000, 6, 16, 3
    data = synthetic_dataset(1000, rows, parse_skew("uniform"), "serial", np.random.default_rng(5))
    (res,) = simulate("cassandra", [ID], data, StoreConfig(nodes=nodes, vnodes=vnodes, rf=rf), 5, grow=1)
    grow = res.details["grow"]
    assert grow["new_token_ranges"] == vnodes and len(grow["rows_after"]) == nodes + 1
    # The same two rings, rebuilt from the same seeds, read through cassandra-driver's token map.
    store_rng = np.random.default_rng(np.random.SeedSequence(5).spawn(4)[2])
    before = random_ring(nodes, vnodes, store_rng)
    assert res.details["ownership"] == [round(float(x), 6) for x in before.ownership()]  # the same ring
    after = grow_ring(before, 1, vnodes, store_rng)
    expected = _driver_moved_share(before, after, rf)
    # Rows are spread by Murmur3 over the token space, so by rows the share matches by width closely.
    assert grow["moved_share"] == pytest.approx(expected, abs=0.01)
    # About 1/7: a new node's 16 random tokens among 112 own a Beta(16, 96) share of the ring
    # (sd = sqrt(16*96 / (112**2 * 113)) ~ 0.033); 3 sd is the tolerance that allocation explains.
    a, b = vnodes, nodes * vnodes
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert abs(grow["moved_share"] - 1 / 7) <= 3 * sd
    assert grow["seconds"] == pytest.approx(grow["moved_bytes"] / (24 * 2**20), rel=1e-3)


def test_mongodb_grow_four_to_five_shards_reaches_the_balancer_end_state():
    data = synthetic_dataset(500, 400_000, parse_skew("zipf:1.1"), "uuid4", np.random.default_rng(2), row_bytes=1000)
    config = StoreConfig(shards=4, range_size_mb=8.0, row_bytes=1000)
    max_rows = int(8.0 * 2**20 // 1000)
    (res,) = simulate("mongodb-range", [KeySpec(("tenant_id", "id"), (False, False))], data, config, 2, grow=1)
    grow = res.details["grow"]
    after = np.array(grow["rows_after"])
    assert after.size == 5 and after.sum() == 400_000
    assert grow["migrations"] > 0 and after[4] > 0
    assert after.max() - after.min() < MIGRATION_THRESHOLD_RANGES * max_rows


def test_citus_grow_moves_whole_shards_to_the_new_worker():
    data = synthetic_dataset(2000, 200_000, parse_skew("uniform"), "serial", np.random.default_rng(3))
    (res,) = simulate("citus", [KeySpec(("tenant_id",), (False,))], data, StoreConfig(shards=32, nodes=4), 3, grow=1)
    grow = res.details["grow"]
    assert grow["shard_moves"] > 0 and grow["rows_after"][4] > 0
    shard_rows = res.details["shard_rows"]
    assert grow["moved_rows"] <= sum(shard_rows) and grow["balance_after"]["max_over_mean"] < 1.3


@pytest.mark.parametrize(
    "args, fragment",
    [(["--grow", "-1"], "--grow -1"), (["--grow", "1", "--move-mib-per-second", "inf"], "--move-mib-per-second inf")],
)
def test_bad_growth_is_one_line_exit_2(args, fragment):
    result = CliRunner().invoke(main, ["simulate", "--store", "cassandra", "--key", "id", "--rows", "1000", *args])
    assert result.exit_code == 2 and fragment in result.output and len(result.output.strip().splitlines()) == 1
