"""The plain-data summaries `plan` reads from a `DynamoDesign`: partition key candidates (as the simulator's
`--store dynamodb --key ...`), how each pattern is served, and item / item-collection sizes against limits.

DynamoDB hashes the whole partition key value, so a candidate's `simulate_key` lists the entity's
attributes that the key string is built from, unhashed (`--store dynamodb` hashes them itself). A key
with no attribute (the constant partition of a sparse "every open game" index) has nothing to simulate
and is left out; its heat is in the design's `limits` instead.
"""

from __future__ import annotations

from translator.targets.dynamodb.model import DynamoDesign, PatternPlan
from translator.targets.record import Access, KeyCandidate, PatternServing, SizeCheck

__all__ = ["key_candidates", "serving", "simulate_command", "size_checks"]

_SINGLE = {
    "GetItem",
    "Query",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query+PutItem",
    "Query+UpdateItem",
    "Query+DeleteItem",
    "TransactWriteItems",
}


def key_candidates(design: DynamoDesign) -> tuple[KeyCandidate, ...]:
    out: list[KeyCandidate] = []
    for mapping in design.entities:
        rank = 0
        seen: set[tuple[str, ...]] = set()
        for path in mapping.paths:
            fields = tuple(c for c in path.partition.parts if c in mapping.columns)
            if not fields or fields in seen:
                continue
            seen.add(fields)
            where = "the table's partition key" if path.index is None else f"the partition key of {path.index}"
            out.append(
                KeyCandidate(
                    mapping.entity,
                    f"{mapping.table}/{path.index}" if path.index else mapping.table,
                    fields,
                    "hashed",
                    "dynamodb",
                    ",".join(fields),
                    f"{where}: {path.partition.attribute}={path.partition.text()} ({path.rule})",
                    rank,
                )
            )
            rank += 1
    return tuple(out)


def simulate_command(candidate: KeyCandidate, workload_source: str | None) -> str:
    """The `polyschema simulate` command line that models `candidate` (shell-quoted)."""
    from translator.targets.dynamodb.quoting import shell_quote

    words = ["polyschema", "simulate", "--store", candidate.store, "--key", candidate.simulate_key]
    if workload_source:
        words += ["--workload", workload_source, "--entity", candidate.entity]
    return " ".join(shell_quote(w) for w in words)


def _access(plan: PatternPlan) -> tuple[Access, int, float]:
    """(access, requests per execution, partitions touched) of one plan."""
    if plan.flagged and plan.key_condition is None:
        if plan.operation == "Scan":
            return "scan", 1, 1.0
        return "multi-partition", max(2, plan.operation.count("+") + 1), 2.0
    if plan.shards > 1:
        return "multi-partition", plan.shards, float(plan.shards)
    requests = plan.operation.count("+") + 1
    return ("single-partition" if plan.operation in _SINGLE else "multi-partition"), requests, 1.0


def serving(design: DynamoDesign) -> tuple[PatternServing, ...]:
    out = []
    for plan in design.access_patterns:
        access, requests, partitions = _access(plan)
        containers = tuple(
            dict.fromkeys(
                c
                for c in (
                    f"{plan.table}/{plan.index}" if plan.index else plan.table,
                    *(f"{plan.table}/{e}" for e in plan.also_writes),
                )
                if c
            )
        )
        writes = 1.0
        if plan.kind != "read":
            mapping = next((m for m in design.entities if m.entity == plan.entity), None)
            # the item itself, its copy in every GSI it is keyed in, and the copies of its attributes elsewhere
            writes = 1.0 + (sum(1 for p in mapping.paths[1:]) if mapping else 0) + len(plan.also_writes)
        detail = plan.reason or (plan.key_condition or "")
        out.append(
            PatternServing(
                plan.id, plan.kind, plan.rate, access, requests, partitions, containers, writes, detail, plan.assumed
            )
        )
    return tuple(out)


def size_checks(design: DynamoDesign) -> tuple[SizeCheck, ...]:
    out = []
    tables = {m.entity: m.table for m in design.entities}
    for finding in design.limits:
        numbers = dict(finding.numbers)
        if finding.check == "item-size":
            largest = numbers.get("max_bytes")
            estimate = float(largest) if isinstance(largest, (int, float)) else finding.value
            out.append(
                SizeCheck(
                    f"{tables.get(finding.subject, '?')}/{finding.subject}",
                    "item",
                    estimate,
                    finding.limit,
                    "DynamoDB item 400 KB",
                    assumed=bool(finding.assumed),
                )
            )
        elif finding.check == "item-collection-size":
            out.append(
                SizeCheck(
                    f"{tables.get(finding.subject, '?')}/{finding.subject}",
                    "collection",
                    finding.value,
                    finding.limit,
                    "item collection 10 GB (binds only with an LSI)",
                    assumed=bool(finding.assumed),
                )
            )
    return tuple(out)
