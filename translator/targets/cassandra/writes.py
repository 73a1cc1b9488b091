"""Writes: which tables each write pattern must update (the price of denormalization), and how."""

from __future__ import annotations

from translator.diagnostics import DiagnosticSink
from translator.ir import Schema
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Table, WritePlan
from translator.workload.model import PatternKind, Workload
from translator.workload.stats import StatsView

__all__ = ["plan_writes"]


def _rows_touched(table: Table, entity: str, kind: PatternKind, schema: Schema, stats: StatsView) -> tuple[float, str]:
    """Table rows one write of `entity` changes in `table`, and what the writer has to do there."""
    if table.entity == entity:
        extra = " (read the denormalized parents first)" if table.parents else ""
        keys = [
            c.attribute
            for c in table.columns
            if c.entity == entity and c.attribute is not None and c.name in table.primary_key
        ]
        if kind is PatternKind.UPDATE and keys:
            extra += (
                f"; if the update changes {', '.join(keys)} (key columns), delete the old row and insert the new one"
            )
        if any(c.layout == "rows" for c in table.children) and kind is PatternKind.UPDATE:
            return 1.0, "update the static columns of its partition" + extra
        return 1.0, "write its row" + extra
    for child in table.children:
        if child.entity == entity:
            if child.layout == "rows":
                return 1.0, "write its clustering row"
            return 1.0, f"rewrite the frozen list {child.column} of its parent row (read-modify-write)"
    rows_total, whats = 0.0, []
    for parent, path in table.parents:  # one entity may be copied in several roles (origin, destination)
        if parent != entity:
            continue
        if kind is PatternKind.WRITE:
            return 0.0, "nothing: a new parent has no rows here yet"
        rels = {r.name: r for r in schema.relationships}
        fan = 1.0
        for name in path:
            fan *= stats.fanout(rels[name]).avg
        copy = [c for c in table.columns if c.entity == parent and c.path == path]
        in_key = [c.name for c in copy if c.name in table.primary_key]
        moved = (
            f"; a change of {', '.join(in_key)} (key columns) moves each row: delete and re-insert" if in_key else ""
        )
        role = f" ({', '.join(path)})" if len([p for e, p in table.parents if e == entity]) > 1 else ""
        if any(c.name in table.static for c in copy):
            per_partition = table.estimate.rows_avg if table.estimate else 1.0
            rows_total += max(1.0, fan / max(per_partition, 1.0))
            whats.append(f"update its static copy{role} in each partition of its rows" + moved)
        else:
            rows_total += fan
            whats.append(f"update its copy{role} in every row of its {fan:g} (avg) descendants" + moved)
    if whats:
        return rows_total, "; ".join(whats)
    return 0.0, ""


def plan_writes(
    schema: Schema, workload: Workload, stats: StatsView, tables: list[Table], sink: DiagnosticSink
) -> tuple[WritePlan, ...]:
    threshold = rules().thresholds["write_amplification"]
    plans = []
    for pattern in workload.access_patterns:
        if pattern.is_read:
            continue
        entity = schema.find_entity(pattern.entity)
        key = entity.key if entity else pattern.entity
        touched, total, notes = [], 0.0, []
        for table in tables:
            rows, what = _rows_touched(table, key, pattern.kind, schema, stats)
            if rows > 0:
                touched.append(table.name)
                total += rows
                notes.append(f"{table.name}: {what}")
        amplified = total > threshold
        if not touched:
            reason = f"no table holds {key}: nothing to write"
            sink.info("cassandra-write-unused", f"write pattern {pattern.id}: {reason}", subject=pattern.id)
            logged = False
        elif amplified:
            reason = (
                f"touches ~{total:g} rows in {len(touched)} table(s), above the write-amplification threshold "
                f"{threshold:g}; a logged batch that large is not advisable: update the copies asynchronously. "
                + "; ".join(notes)
            )
            logged = False
            sink.warning(
                "cassandra-write-amplification",
                f"write pattern {pattern.id} updates ~{total:g} rows (threshold {threshold:g}) in {', '.join(touched)}",
                subject=pattern.id,
            )
        elif len(touched) == 1:
            reason = "one table: a single statement, no batch needed. " + "; ".join(notes)
            logged = False
        else:
            reason = (
                f"{len(touched)} tables: a logged batch makes the {total:g} row writes all-or-nothing "
                "(eventually), keeping the copies consistent. " + "; ".join(notes)
            )
            logged = True
        plans.append(
            WritePlan(
                pattern.id, str(pattern.kind), key, tuple(touched), total, logged, amplified, reason, pattern.assumed
            )
        )
    return tuple(plans)
