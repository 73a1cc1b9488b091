"""Cassandra token ring: vnode allocation, range ownership and replica placement.

A token t owns the range (previous token, t]; a key's replicas start at the owner of the first ring
token >= its token (wrapping), exactly like cassandra-driver's TokenMap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.errors import SimulatorError

__all__ = ["Node", "Ring", "random_ring", "replication_aware_ring", "grow_ring", "simple_replicas", "nts_replicas"]

_SPACE = 2.0**64


@dataclass(frozen=True)
class Node:
    """A Cassandra node: its name, datacenter and rack."""

    name: str
    dc: str = "dc1"
    rack: str = "rack1"


@dataclass(frozen=True, eq=False)
class Ring:
    """Sorted ring tokens and the index (into `nodes`) of each token's owner."""

    nodes: tuple[Node, ...]
    tokens: np.ndarray
    owners: np.ndarray

    def range_of(self, key_tokens: np.ndarray) -> np.ndarray:
        """Index of the ring token whose range (prev, t] holds each key token."""
        from simulator._murmur3 import ring_ranges

        if key_tokens.size < 4096:
            idx = np.searchsorted(self.tokens, key_tokens, side="left")
            idx[idx == self.tokens.size] = 0
            return idx
        table, shift = self.bucket_table()
        return ring_ranges(np.ascontiguousarray(key_tokens, dtype=np.int64), self.tokens, table, shift)

    def bucket_table(self, per_token: int = 4) -> tuple[np.ndarray, int]:
        """First ring index per bucket of the token's top bits, and the shift that gives the bucket.

        It turns the binary search for a key's range into a short forward scan; `per_token` buckets
        per ring token make that scan (and its mispredicted branch) rarer at the cost of a larger table.
        """
        if per_token < 1:
            raise SimulatorError("must be at least 1, e.g. 4", "per_token", per_token)
        bits = max(1, min(20, int(np.ceil(np.log2(self.tokens.size * per_token)))))
        starts = ((np.arange(1 << bits, dtype=np.uint64) << np.uint64(64 - bits)) ^ np.uint64(1 << 63)).view(np.int64)
        return np.searchsorted(self.tokens, starts, side="left").astype(np.int64), 64 - bits

    def range_widths(self) -> np.ndarray:
        """Fraction of the token space each ring range covers."""
        t = self.tokens.astype(np.float64)
        widths = np.diff(t, prepend=t[-1] - _SPACE)
        return widths / _SPACE

    def ownership(self) -> np.ndarray:
        """Primary share of the token space per node."""
        return np.bincount(self.owners, weights=self.range_widths(), minlength=len(self.nodes))


def _validate(n_nodes: int, num_tokens: int) -> None:
    if n_nodes < 1:
        raise SimulatorError("need at least 1 node, e.g. 6", "nodes", n_nodes)
    if num_tokens < 1:
        raise SimulatorError("need at least 1 token per node, e.g. 16", "vnodes", num_tokens)


def _nodes(n_nodes: int, racks: int, dcs: int) -> tuple[Node, ...]:
    return tuple(Node(f"node{i}", f"dc{i % dcs + 1}", f"rack{(i // dcs) % racks + 1}") for i in range(n_nodes))


def _build(nodes: tuple[Node, ...], tokens: np.ndarray, owners: np.ndarray) -> Ring:
    order = np.argsort(tokens, kind="stable")
    return Ring(nodes, tokens[order], owners[order])


def random_ring(
    n_nodes: int, num_tokens: int, rng: np.random.Generator, racks: int = 1, dcs: int = 1
) -> Ring:
    """Every node draws `num_tokens` random tokens (Cassandra's allocation before 3.0)."""
    _validate(n_nodes, num_tokens)
    tokens = np.unique(rng.integers(-(2**63) + 1, 2**63 - 1, n_nodes * num_tokens * 2, dtype=np.int64))
    tokens = rng.permutation(tokens)[: n_nodes * num_tokens]
    owners = np.repeat(np.arange(n_nodes), num_tokens)
    return _build(_nodes(n_nodes, racks, dcs), tokens, owners)


def replication_aware_ring(
    n_nodes: int, num_tokens: int, rf: int, rng: np.random.Generator, racks: int = 1, dcs: int = 1
) -> Ring:
    """Greedy allocation in the spirit of Cassandra's `allocate_tokens_for_local_replication_factor`.

    The first node takes random tokens; each later node, one token at a time, splits whichever of the
    widest ranges leaves the most even replicated (SimpleStrategy) load. This is a simplified model of the real
    ReplicationAwareTokenAllocator (which optimizes the spread of replicated ownership directly).
    """
    _validate(n_nodes, num_tokens)
    nodes = _nodes(n_nodes, racks, dcs)
    tokens = list(rng.integers(-(2**63) + 1, 2**63 - 1, num_tokens, dtype=np.int64))
    owners = [0] * num_tokens
    for new in range(1, n_nodes):
        _allocate(nodes, tokens, owners, new, num_tokens, rf)
    return _build(nodes, np.array(tokens, dtype=np.int64), np.array(owners))


def _allocate(nodes: tuple[Node, ...], tokens: list, owners: list, new: int, num_tokens: int, rf: int) -> None:
    """Give node `new` its tokens, one at a time, where they leave the most even replicated load."""
    for _ in range(num_tokens):
        ring = _build(nodes[: new + 1], np.array(tokens, dtype=np.int64), np.array(owners))
        widths = ring.range_widths()
        # Load a range puts on its replicas is its width; try splitting each of the widest
        # ranges and keep the split that leaves the most even replicated load.
        best, widest = np.inf, 0
        for cand in np.argsort(widths)[::-1][:8]:
            trial_tokens = tokens + [_midpoint(int(ring.tokens[cand]), float(widths[cand]))]
            trial = _build(nodes[: new + 1], np.array(trial_tokens, dtype=np.int64), np.array(owners + [new]))
            spread = _replicated_load(trial, rf).std()
            if spread < best:
                best, widest = spread, int(cand)
        tokens.append(_midpoint(int(ring.tokens[widest]), float(widths[widest])))
        owners.append(new)


def grow_ring(
    ring: Ring, added: int, num_tokens: int, rng: np.random.Generator, allocation: str = "random", rf: int = 3,
    racks: int = 1, dcs: int = 1,
) -> Ring:
    """`ring` with `added` nodes joined, each with `num_tokens` tokens (random, or replication-aware
    like `allocate_tokens_for_local_replication_factor`); existing tokens stay where they are."""
    _validate(len(ring.nodes) + added, num_tokens)
    nodes = _nodes(len(ring.nodes) + added, racks, dcs)
    tokens, owners = [np.int64(t) for t in ring.tokens], [int(o) for o in ring.owners]
    taken = set(int(t) for t in ring.tokens)
    for new in range(len(ring.nodes), len(nodes)):
        if allocation == "replication-aware":
            _allocate(nodes, tokens, owners, new, num_tokens, rf)
            continue
        fresh = [int(t) for t in rng.integers(-(2**63) + 1, 2**63 - 1, num_tokens * 2, dtype=np.int64)]
        fresh = [t for t in dict.fromkeys(fresh) if t not in taken][:num_tokens]
        taken.update(fresh)
        tokens += [np.int64(t) for t in fresh]
        owners += [new] * len(fresh)
    return _build(nodes, np.array(tokens, dtype=np.int64), np.array(owners))


def _midpoint(end: int, width: float) -> np.int64:
    half = int(width * _SPACE / 2)
    return np.int64(((end - half + 2**63) % 2**64) - 2**63)


def _replicated_load(ring: Ring, rf: int) -> np.ndarray:
    widths = ring.range_widths()
    load = np.zeros(len(ring.nodes))
    for r, reps in enumerate(simple_replicas(ring, rf)):
        load[list(reps)] += widths[r]
    return load


def simple_replicas(ring: Ring, rf: int) -> list[tuple[int, ...]]:
    """SimpleStrategy: walk clockwise from each range's owner, taking the next distinct nodes."""
    if rf < 1:
        raise SimulatorError("the replication factor must be >= 1, e.g. 3", "rf", rf)
    rf = min(rf, len(set(ring.owners.tolist())))
    n = ring.tokens.size
    out = []
    for i in range(n):
        reps: list[int] = []
        j = 0
        while len(reps) < rf and j < n:
            owner = int(ring.owners[(i + j) % n])
            if owner not in reps:
                reps.append(owner)
            j += 1
        out.append(tuple(reps))
    return out


def nts_replicas(ring: Ring, rf_by_dc: dict[str, int]) -> list[tuple[int, ...]]:
    """NetworkTopologyStrategy: per DC, distinct racks first, then hosts skipped on repeated racks."""
    n = ring.tokens.size
    racks_in = {dc: {nd.rack for nd in ring.nodes if nd.dc == dc} for dc in rf_by_dc}
    hosts_in = {dc: sum(1 for nd in ring.nodes if nd.dc == dc) for dc in rf_by_dc}
    out = []
    for i in range(n):
        reps: list[int] = []
        count = {dc: 0 for dc in rf_by_dc}
        seen_racks: dict[str, set[str]] = {dc: set() for dc in rf_by_dc}
        skipped: dict[str, list[int]] = {dc: [] for dc in rf_by_dc}
        want = {dc: min(rf, hosts_in[dc]) for dc, rf in rf_by_dc.items()}
        for j in range(n):
            if all(count[dc] >= want[dc] for dc in want):
                break
            owner = int(ring.owners[(i + j) % n])
            node = ring.nodes[owner]
            dc = node.dc
            if dc not in want or count[dc] >= want[dc] or owner in reps:
                continue
            if node.rack in seen_racks[dc] and len(seen_racks[dc]) < len(racks_in[dc]):
                if owner not in skipped[dc]:
                    skipped[dc].append(owner)
                continue
            reps.append(owner)
            count[dc] += 1
            seen_racks[dc].add(node.rack)
            if len(seen_racks[dc]) == len(racks_in[dc]):
                # Every rack has a replica: hosts passed over for rack diversity are next in line.
                while skipped[dc] and count[dc] < want[dc]:
                    reps.append(skipped[dc].pop(0))
                    count[dc] += 1
        out.append(tuple(reps))
    return out
