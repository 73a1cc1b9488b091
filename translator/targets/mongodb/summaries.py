"""The plain-data summaries `plan` reads from a MongoDB design: shard key candidates, how each access
pattern is served, and the largest document of each collection against the 16 MiB BSON limit.

Serving is judged against each collection's first shard key candidate (what `--shard-collections`
would shard on): a query whose filter fixes every field of that key goes to one shard, any other to
every shard (scatter-gather). `$lookup` stages read other collections, so a read with lookups touches
more than one shard even when its own filter is targeted.
"""

from __future__ import annotations

import math
from typing import Any

from translator.targets.mongodb.model import Collection, MongoDesign, PatternPlan
from translator.targets.record import Access, KeyCandidate, PatternServing, SizeCheck
from translator.workload.model import PatternKind

__all__ = ["key_candidates", "serving", "size_checks", "DOCUMENT_LIMIT"]

DOCUMENT_LIMIT = "BSON document 16 MiB (MongoDB limits and thresholds)"


def key_candidates(design: MongoDesign) -> tuple[KeyCandidate, ...]:
    """Every candidate the simulator can model (keys on the server's ObjectId `_id` cannot be)."""
    out = []
    for coll in design.collections:
        offered = [c for c in coll.shard_key_candidates if c.simulate_key]
        for rank, cand in enumerate(offered):
            out.append(
                KeyCandidate(
                    entity=coll.source_entity,
                    container=coll.name,
                    fields=cand.fields,
                    partitioning="hashed" if cand.hashed else "ranged",
                    store=cand.store,
                    simulate_key=cand.simulate_key,
                    reason=cand.reason,
                    rank=rank,
                )
            )
    return tuple(out)


def _targeted(plan: PatternPlan, coll: Collection) -> bool:
    if not coll.shard_key_candidates:
        return False
    flt = plan.query.get("filter")
    if not isinstance(flt, dict):
        return False
    shard_paths = [path for path, _ in coll.shard_key_candidates[0].keys]
    return all(path in flt and not isinstance(flt[path], dict) for path in shard_paths)


def _write_fanout(design: MongoDesign, entity: str, kind: PatternKind) -> tuple[float, list[str]]:
    """(documents written per execution, why): derived copies that a write must keep in step."""
    layout = design.layout
    writes, why = 1.0, list[str]()
    if layout is None:
        return writes, why
    for _, node in layout.collections:
        for n in _walk(node):
            for cp in n.copies:
                if cp.source == entity and cp.style == "subset" and kind is not PatternKind.UPDATE:
                    writes += 1
                    why.append(f"the newest-{cp.limit} copy in {layout.collection_of(cp.rel.to_entity)}")
                elif cp.source == entity and kind is PatternKind.UPDATE:
                    many = _fanout_avg(design, cp.rel)
                    writes += many
                    why.append(
                        f"{many:g} {cp.style} cop{'y' if many == 1 else 'ies'} in {layout.collection_of(n.entity)}"
                    )
            for arr in n.id_arrays:
                if arr.source == entity and kind is not PatternKind.UPDATE:
                    writes += 1
                    why.append(f"the id array {arr.field} of {layout.collection_of(n.entity)}")
                elif arr.target[0] == entity and arr.copies and kind is PatternKind.UPDATE:
                    # a child sits in its one parent's array; a many-to-many side in its links' arrays
                    many = 1.0 if arr.style == "child-ids" else _links_avg(design, arr.source, n.entity)
                    writes += many
                    why.append(f"{many:g} copied elements in {layout.collection_of(n.entity)}.{arr.field}")
    return writes, why


def _fanout_avg(design: MongoDesign, rel: Any) -> float:
    for d in design.decisions:
        numbers = dict(d.numbers)
        if d.subject == rel.name and numbers.get("child") == rel.from_entity:
            avg = numbers.get("fanout_avg")
            if isinstance(avg, (int, float)):
                return float(avg)
    return 1.0


def _links_avg(design: MongoDesign, junction: str, holder: str) -> float:
    """How many `holder` documents hold one row of the other side of `junction` in their array: that
    side's average number of links (the junction decision's `<side>_avg_links`)."""
    for d in design.decisions:
        numbers = dict(d.numbers)
        if d.subject == junction and "left" in numbers:
            other = "right" if numbers["left"] == holder else "left"
            avg = numbers.get(f"{other}_avg_links")
            if isinstance(avg, (int, float)):
                return float(avg)
    return 1.0


def _walk(node: Any) -> list[Any]:
    out = [node]
    for link in node.links:
        out.extend(_walk(link.node))
    return out


def serving(design: MongoDesign) -> tuple[PatternServing, ...]:
    """Per access pattern: one shard, several, or every shard; requests and documents written."""
    by_name = {c.name: c for c in design.collections}
    kinds = {p.id: p for p in design.patterns}
    out = []
    for plan in design.access_patterns:
        source = kinds.get(plan.id)
        kind = PatternKind(source.kind) if source is not None else _kind_of(plan)
        rate = float(source.rate) if source is not None else 0.0
        coll = by_name.get(plan.collection or "")
        lookups = plan.query.get("lookup") or []
        access: Access
        containers: tuple[str, ...]
        if coll is None:
            access, partitions, containers = "scatter-gather", math.inf, ()
        elif plan.query.get("operation") == "insertOne":
            access, partitions, containers = "single-partition", 1.0, (coll.name,)
        elif _targeted(plan, coll):
            access, partitions, containers = "single-partition", 1.0, (coll.name,)
        else:
            access, partitions, containers = "scatter-gather", math.inf, (coll.name,)
        if lookups:
            containers = (*containers, *dict.fromkeys(str(s.get("from")) for s in lookups))
            if access == "single-partition":
                access, partitions = "multi-partition", 1.0 + len(lookups)
        writes, why = (1.0, []) if kind is PatternKind.READ else _write_fanout(design, _entity_of(design, plan), kind)
        detail = plan.note
        if lookups:
            detail = "; ".join(x for x in (detail, f"{len(lookups)} $lookup stage(s) in one aggregate") if x)
        if why:
            detail = "; ".join(x for x in (detail, "also writes " + ", ".join(why)) if x)
        out.append(
            PatternServing(
                pattern=plan.id,
                kind=str(kind),
                rate=rate,
                access=access,
                requests=1,
                partitions=partitions,
                containers=containers,
                writes=writes,
                detail=detail,
                assumed=plan.assumed,
            )
        )
    return tuple(out)


def _kind_of(plan: PatternPlan) -> PatternKind:
    operation = plan.query.get("operation", "find")
    return {
        "find": PatternKind.READ,
        "insertOne": PatternKind.WRITE,
        "updateOne": PatternKind.UPDATE,
        "deleteOne": PatternKind.DELETE,
    }.get(operation, PatternKind.READ)


def _entity_of(design: MongoDesign, plan: PatternPlan) -> str:
    return next((p.entity for p in design.patterns if p.id == plan.id), "")


def size_checks(design: MongoDesign) -> tuple[SizeCheck, ...]:
    limit = 16 * 1024 * 1024
    return tuple(
        SizeCheck(
            container=c.name,
            unit="document",
            estimate_bytes=float(c.estimated_max_document_bytes),
            limit_bytes=float(limit),
            limit=DOCUMENT_LIMIT,
            assumed=c.size_assumed,
        )
        for c in design.collections
    )
