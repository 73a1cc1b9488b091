"""Human form of a Cassandra design: each table with what it serves, its key, its size and why."""

from __future__ import annotations

from translator.targets.cassandra.cql import bucketing_note, select_cql
from translator.targets.cassandra.cqltext import printable
from translator.targets.cassandra.model import CassandraDesign, PartitionEstimate
from translator.targets.cassandra.summaries import simulate_commands

__all__ = ["render_human"]


def _size(est: PartitionEstimate | None) -> str:
    if est is None:
        return "n/a"
    flag = f"  OVER {'/'.join(est.over_limits)} LIMIT" if est.over_limits else ""
    assumed = f"  (assumed: {', '.join(est.assumed)})" if est.assumed else ""
    return (
        f"rows avg {est.rows_avg:,.0f} / max {est.rows_max:,.0f}; cells max {est.cells_max:,.0f}; "
        f"bytes avg {est.bytes_avg:,.0f} / max {est.bytes_max:,.0f}{flag}{assumed}"
    )


def _simulate_lines(design: CassandraDesign) -> list[str]:
    lines = []
    for table, command in simulate_commands(design):
        lines.append(
            f"  {printable(command)}   # {table}"
            if command
            else f"  # {table}: give its entity's rows in the workload's statistics to simulate its partition key"
        )
    return lines


def render_human(design: CassandraDesign) -> str:
    ks = design.keyspace
    out = [f"Keyspace {ks.name} (NetworkTopologyStrategy: " + ", ".join(f"{dc}={n}" for dc, n in ks.replication) + ")"]
    if design.workload_assumed:
        out.append("Workload: assumed (default access patterns; pass --workload to use yours)")
    if design.assumed:
        out.append(f"Assumed inputs: {printable(', '.join(design.assumed))}")
    if design.partial:
        ids = ", ".join(pid for pid, _ in design.unserved)
        out.append(f"PARTIAL: no table serves pattern(s) {printable(ids)}; see the errors below.")
    for table in design.tables:
        out.append("")
        out.append(
            f"Table {table.name}  serves {printable(', '.join(table.serves))}  (entity {printable(table.entity)})"
        )
        out.append(f"  partition key: {', '.join(table.partition_key)}")
        if table.clustering:
            out.append("  clustering:    " + ", ".join(f"{c.column} {c.order}" for c in table.clustering))
        if table.static:
            out.append(f"  static:        {', '.join(table.static)}")
        for column in table.columns:
            out.append(f"    {printable(column.name):<28} {column.type:<24} <- {printable(column.source)}")
        if table.unbucketed_estimate:
            out.append(f"  unbucketed partition: {_size(table.unbucketed_estimate)}")
        out.append(f"  partition:     {_size(table.estimate)}")
        if table.bucketing:
            b = table.bucketing
            detail = b.unit or ("constant 0" if b.kind == "single" else f"{b.count} buckets")
            out.append(f"  bucketing:     {b.kind} {b.column} ({detail}); query: {bucketing_note(b)}")
        for decision in table.decisions:
            out.append(
                f"  [{decision.rule}] {printable(decision.subject)}: {printable(decision.choice)}; "
                f"{printable(decision.reason)}"
            )
    out.append("")
    out.append("Reads:")
    for read in design.reads:
        out.append(f"  {printable(read.id)}: {read.table} ({read.partitions} partition)  {printable(select_cql(read))}")
        if read.returns is not None:
            child, parent = printable(design.table(read.table).entity), printable(read.returns[0])
            out.append(
                f"      rows are ({child}, {parent}) pairs: the client keeps the first row of each "
                f"{', '.join(read.distinct_on)} (distinct {parent}); a LIMIT counts {parent} rows (client-side)"
            )
    if design.writes:
        out.append("Writes:")
        for write in design.writes:
            flag = "  WRITE AMPLIFICATION" if write.amplified else ""
            batch = "logged batch" if write.logged_batch else "no batch"
            out.append(
                f"  {printable(write.id)} ({write.kind} {printable(write.entity)}): {', '.join(write.tables) or '-'}; "
                f"{batch}{flag}"
            )
            out.append(f"      {printable(write.reason)}")
    if design.isolation is not None:
        iso = design.isolation
        out.append("Tenant isolation (Cassandra has no row-level security):")
        out.extend(f"  {t}: tenant in {printable(c)}" for t, c in iso.tenant_columns)
        if iso.crossing:
            out.append(f"  patterns crossing tenants: {printable(', '.join(iso.crossing))}")
        out.extend(f"  [{d.rule}] {d.choice}: {printable(d.reason)}" for d in iso.decisions)
    candidates = _simulate_lines(design)
    if candidates:
        out.append("Simulate the partition keys:")
        out.extend(candidates)
    if design.diagnostics:
        out.append("Diagnostics:")
        out.extend(f"  {printable(str(d))}" for d in design.diagnostics)
    # Each entry is one line: names from the input can never start a line of their own.
    return "\n".join(printable(line) for line in out) + "\n"
