"""Token ring ownership and replica placement against cassandra-driver's replica maps."""

from __future__ import annotations

import bisect

import numpy as np
from cassandra.metadata import Murmur3Token, NetworkTopologyStrategy, SimpleStrategy
from cassandra.policies import SimpleConvictionPolicy
from cassandra.pool import Host
from hypothesis import given
from hypothesis import strategies as st

from simulator.hashing import cassandra_token
from simulator.ring import nts_replicas, random_ring, replication_aware_ring, simple_replicas

RINGS = st.tuples(
    st.integers(0, 2**32), st.integers(1, 7), st.integers(1, 4), st.integers(1, 3), st.integers(1, 2)
)


def driver_view(ring):
    hosts = [Host(f"10.0.0.{i}", SimpleConvictionPolicy) for i in range(len(ring.nodes))]
    for host, node in zip(hosts, ring.nodes, strict=True):
        host.set_location_info(node.dc, node.rack)
    tokens = [Murmur3Token(int(t)) for t in ring.tokens]
    owner = {t: hosts[o] for t, o in zip(tokens, ring.owners, strict=True)}
    return hosts, tokens, owner


@given(RINGS, st.integers(1, 4))
def test_simple_strategy_matches_driver(shape, rf):
    seed, nodes, vnodes, racks, dcs = shape
    ring = random_ring(nodes, vnodes, np.random.default_rng(seed), racks, dcs)
    hosts, tokens, owner = driver_view(ring)
    expected = SimpleStrategy({"replication_factor": str(rf)}).make_token_replica_map(owner, tokens)
    for token, mine in zip(tokens, simple_replicas(ring, rf), strict=False):
        assert [hosts.index(h) for h in expected[token]] == list(mine)


@given(RINGS, st.lists(st.integers(1, 3), min_size=2, max_size=2))
def test_network_topology_matches_driver(shape, rfs):
    seed, nodes, vnodes, racks, dcs = shape
    ring = random_ring(nodes, vnodes, np.random.default_rng(seed), racks, dcs)
    hosts, tokens, owner = driver_view(ring)
    rf_by_dc = {dc: rf for dc, rf in zip(sorted({n.dc for n in ring.nodes}), rfs, strict=False)}
    strategy = NetworkTopologyStrategy({dc: str(rf) for dc, rf in rf_by_dc.items()})
    expected = strategy.make_token_replica_map(owner, tokens)
    for token, mine in zip(tokens, nts_replicas(ring, rf_by_dc), strict=False):
        # The driver lists replicas grouped differently across DCs; the placement is the set.
        assert sorted(hosts.index(h) for h in expected[token]) == sorted(mine)


@given(RINGS, st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=50))
def test_key_owner_is_first_ring_token_at_or_after_key(shape, keys):
    seed, nodes, vnodes, racks, dcs = shape
    ring = random_ring(nodes, vnodes, np.random.default_rng(seed), racks, dcs)
    toks = cassandra_token(np.array(keys, dtype=np.int64), "bigint")
    ring_list = ring.tokens.tolist()
    got = ring.range_of(toks)
    for t, idx in zip(toks.tolist(), got.tolist(), strict=True):
        # cassandra-driver's TokenMap.get_replicas: bisect_left over the sorted ring, wrapping.
        assert idx == bisect.bisect_left(ring_list, t) % len(ring_list)


@given(RINGS)
def test_ownership_sums_to_one(shape):
    seed, nodes, vnodes, racks, dcs = shape
    ring = random_ring(nodes, vnodes, np.random.default_rng(seed), racks, dcs)
    assert abs(ring.ownership().sum() - 1.0) < 1e-9
    assert np.bincount(ring.owners).tolist() == [vnodes] * nodes


def test_replication_aware_ring_is_valid_and_evener_than_random_on_average():
    spreads_greedy, spreads_random = [], []
    for seed in range(4):
        greedy = replication_aware_ring(6, 8, 3, np.random.default_rng(seed))
        assert np.unique(greedy.tokens).size == greedy.tokens.size == 48
        assert np.bincount(greedy.owners).tolist() == [8] * 6
        spreads_greedy.append(greedy.ownership().std())
        spreads_random.append(random_ring(6, 8, np.random.default_rng(seed)).ownership().std())
    assert np.mean(spreads_greedy) < np.mean(spreads_random)


@given(RINGS, st.integers(0, 2**32), st.sampled_from([(8,), (8, 8), (4, 8, 8)]), st.booleans())
def test_fused_route_equals_hash_then_lookup(shape, seed, widths, composite):
    from simulator._murmur3 import murmur3_columns, ring_route_columns

    ring = random_ring(shape[1], shape[2], np.random.default_rng(shape[0]), shape[3], shape[4])
    cols = np.random.default_rng(seed).integers(-(2**63), 2**63 - 1, (len(widths), 5000), dtype=np.int64)
    w, comp = np.array(widths), np.arange(len(widths))
    table, shift = ring.bucket_table()
    nodes, counts = ring_route_columns(cols, w, comp, composite, ring.tokens, table, shift, ring.owners)
    ranges = ring.range_of(murmur3_columns(cols, w, comp, composite))
    assert nodes.tolist() == ring.owners[ranges].tolist()
    assert counts.tolist() == np.bincount(ranges, minlength=ring.tokens.size).tolist()
