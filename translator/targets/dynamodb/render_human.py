"""The human form of a `DynamoDesign`. Every name that came from the input (entities, columns, patterns,
tables) is shown through `quoting.inert`, so a name holding a line break cannot forge a line."""

from __future__ import annotations

from translator.targets.dynamodb.model import DynamoDesign
from translator.targets.dynamodb.quoting import inert as q
from translator.targets.dynamodb.summaries import key_candidates, simulate_command

__all__ = ["render_human"]


def render_human(design: DynamoDesign) -> str:
    out: list[str] = [f"DynamoDB design ({design.mode})"]
    for table in design.tables:
        out.append(
            f"\nTable {q(table.name)}: PK={table.partition_key} SK={table.sort_key}, "
            f"type attribute {table.entity_type_attribute}, on-demand billing"
        )
        for gsi in table.gsis:
            out.append(
                f"  {gsi.name}: {gsi.partition_key} / {gsi.sort_key}, projection {gsi.projection}"
                f"{', sparse' if gsi.sparse else ''}; used by {q(', '.join(gsi.entities))}"
            )
        if table.ttl:
            out.append(f"  TTL attribute {table.ttl} (see the aws-cli format for the update-time-to-live call)")
    out.append("\nEntities")
    for entity in design.entities:
        out.append(f"  {q(entity.entity)} [{q(entity.placement)}]")
        for path in entity.paths:
            where = path.index or "table"
            out.append(
                f"    {where:<6} {path.partition.attribute}={q(path.partition.text())}  "
                f"{path.sort.attribute}={q(path.sort.text())}"
            )
        for a in entity.attributes:
            if a.renamed_because:
                out.append(f"    column {q(a.column)} -> attribute {q(a.attribute)} ({a.renamed_because})")
    out.append("\nAccess patterns")
    for plan in design.access_patterns:
        mark = "FLAGGED " if plan.flagged else ""
        where = f"{q(plan.table or '-')}{'/' + plan.index if plan.index else ''}"
        out.append(
            f"  {q(plan.id)}: {mark}{plan.operation} on {where}"
            + (f"  {q(plan.key_condition)}" if plan.key_condition else "")
        )
        if plan.values:
            out.append("      " + q(", ".join(f"{v.placeholder}={v.text()}" for v in plan.values)))
        if plan.filter:
            out.append(f"      filter: {q(plan.filter)}")
        extras = [f"{'forward' if plan.scan_forward else 'backward'}"] + ([f"limit {plan.limit}"] if plan.limit else [])
        if plan.names:
            extras.append("names " + ", ".join(f"{t}={q(n)}" for t, n in plan.names))
        if plan.operation == "Query":
            out.append("      " + "; ".join(extras))
        if plan.reason:
            out.append(f"      reason: {q(plan.reason)}")
    out.append("\nLimits")
    for finding in design.limits:
        status = "ok" if finding.ok else "OVER"
        out.append(
            f"  {finding.check:<22} {q(finding.subject)}: {finding.value:,.1f} / {finding.limit:,.0f} {status}"
            + (" (assumed inputs)" if finding.assumed else "")
        )
        if finding.proposal:
            out.append(f"      proposal: {q(finding.proposal)}")
    candidates = key_candidates(design)
    if candidates:
        out.append("\nPartition key candidates (simulate each one)")
        for candidate in candidates:
            command = simulate_command(candidate, design.workload_source)
            out.append(f"  {q(candidate.entity)} on {q(candidate.container)}: {q(command)}")
    if design.decisions:
        out.append("\nDecisions")
        for decision in design.decisions:
            out.append(
                f"  [{decision.rule}] {q(decision.subject)}: {q(decision.choice)}; {q(decision.reason)}"
                + (f" (assumed: {q(', '.join(decision.assumed))})" if decision.assumed else "")
            )
    if design.diagnostics:
        out.append("\nDiagnostics")
        out.extend(f"  {q(str(d))}" for d in design.diagnostics)
    return "\n".join(out) + "\n"
