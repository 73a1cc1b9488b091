"""What a design's serving summary asks of the store, as the capacity models read it (`Demand`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from translator.ir import Schema
from translator.plan.capacity import Demand
from translator.targets.record import PatternServing
from translator.workload.model import PatternKind, Workload
from translator.workload.stats import StatsView

__all__ = ["demand_of"]


def demand_of(serving: Sequence[PatternServing], schema: Schema, workload: Workload, view: StatsView,
              rules: dict[str, Any]) -> Demand:
    """Reads and writes per pattern with item sizes from the statistics; stored bytes with copies.

    An entity is stored as many times as its insert writes rows (its write amplification: one copy per
    query table or denormalized document); entities without an insert pattern are stored once.
    """
    overhead = float(rules.get("item_overhead_bytes", 0))
    patterns = {p.id: p for p in workload.access_patterns}
    reads: list[tuple[float, float, float, float]] = []
    writes: list[tuple[float, float, float]] = []
    copies: dict[str, float] = {}
    for served in serving:
        pattern = patterns.get(served.pattern)
        if pattern is None:
            continue
        item = (view.entity(pattern.entity).avg_row_bytes or 1.0) + overhead
        if pattern.is_read:
            items = pattern.limit or 1
            reads.append((served.rate, float(served.requests), item * items, float(served.partitions)))
        else:
            writes.append((served.rate, float(served.writes), item))
            if pattern.kind is PatternKind.WRITE:
                copies[pattern.entity] = max(copies.get(pattern.entity, 1.0), float(served.writes))
    data = 0.0
    items_total = 0.0
    defaulted = []
    for entity in schema.entities:
        stats = view.entity(entity)
        if stats.assumed:
            defaulted.append(entity.key)
        data += stats.rows * ((stats.avg_row_bytes or 1.0) + overhead) * copies.get(entity.key, 1.0)
        items_total += stats.rows * copies.get(entity.key, 1.0)
    assumptions = ["a read returns `limit` items, else one; item size = the entity's average row size"
                   + (f" + {overhead:g} B overhead" if overhead else ""),
                   "stored copies of an entity = the rows its insert writes (write amplification)"]
    if defaulted:
        shown = ", ".join(defaulted[:5]) + (f" and {len(defaulted) - 5} more" if len(defaulted) > 5 else "")
        assumptions.append(f"row counts and sizes defaulted for {shown}")
    if workload.assumed:
        assumptions.append("the workload is derived from the schema (no workload file): rates are assumed")
    return Demand(tuple(reads), tuple(writes), data, items_total, tuple(assumptions))
