"""Growing a cluster by N nodes or shards: what data moves under the store's own rules, how long that
takes at a stated throughput, and the balance after.

Each store model's `grow(added, mib_per_second)` builds its report with `growth_report`; the Cassandra
part (new token ranges and their replicas) lives here because it only needs two rings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.checks import check_count, check_number
from simulator.limits import limits
from simulator.metrics import balance
from simulator.ring import Ring, nts_replicas, simple_replicas

__all__ = ["DEFAULT_MIB_PER_SECOND", "check_growth", "growth_report", "ring_moves"]

#: Throughput data moves at when none is given (Cassandra's default stream_throughput_outbound).
DEFAULT_MIB_PER_SECOND = float(limits()["grow"]["throughput_mb_per_second"])


def check_growth(added: Any, mib_per_second: Any) -> tuple[int, float]:
    """`grow` must be a whole number >= 0 and the throughput a finite number > 0."""
    return (
        check_count("grow", added, minimum=0, maximum=1_000, example=1),
        check_number("move_mib_per_second", mib_per_second, above=0, maximum=1e9, example=DEFAULT_MIB_PER_SECOND),
    )


def growth_report(
    unit: str,
    added: int,
    labels: list[str],
    rows_after: np.ndarray,
    moved_rows: float,
    stored_rows: float,
    row_bytes: float,
    mib_per_second: float,
    **extra: Any,
) -> dict[str, Any]:
    """The common shape of every store's growth report (docs/simulator.md, "Growth")."""
    moved_bytes = float(moved_rows) * row_bytes
    return {
        "added": added,
        "unit": unit,
        "moved_rows": int(round(moved_rows)),
        "moved_bytes": int(round(moved_bytes)),
        "moved_share": round(float(moved_rows) / stored_rows, 6) if stored_rows > 0 else 0.0,
        "throughput_mib_per_second": mib_per_second,
        "seconds": round(moved_bytes / (mib_per_second * 2**20), 3),
        "labels_after": labels,
        "rows_after": [int(x) for x in np.rint(rows_after)],
        "balance_after": balance(rows_after).to_dict(),
        **extra,
    }


def _replicas(ring: Ring, rf: int, topology: bool) -> list[tuple[int, ...]]:
    if topology:
        return nts_replicas(ring, {dc: rf for dc in sorted({n.dc for n in ring.nodes})})
    return simple_replicas(ring, rf)


def ring_moves(before: Ring, after: Ring, range_rows: np.ndarray, rf: int, topology: bool) -> dict[str, Any]:
    """Rows each node holds after `after` replaces `before`, and the replica copies that stream.

    A new ring range lies inside one old range; its rows are that range's rows in proportion to its
    width (the partitioner spreads keys uniformly within a range). A copy streams where a node becomes
    a replica of a range it did not replicate before.
    """
    old_of_new = before.range_of(after.tokens)
    share = np.divide(after.range_widths(), before.range_widths()[old_of_new])
    rows = range_rows[old_of_new] * share
    reps_before = _replicas(before, rf, topology)
    reps_after = _replicas(after, rf, topology)
    moved = 0.0
    replica_rows = np.zeros(len(after.nodes))
    for j, reps in enumerate(reps_after):
        gained = set(reps) - set(reps_before[old_of_new[j]])
        moved += rows[j] * len(gained)
        replica_rows[list(reps)] += rows[j]
    return {
        "primary_rows": np.bincount(after.owners, weights=rows, minlength=len(after.nodes)),
        "replica_rows": replica_rows,
        "moved_copies": moved,
        "stored_copies": float(replica_rows.sum()),
        "new_ranges": int(after.tokens.size - before.tokens.size),
    }
