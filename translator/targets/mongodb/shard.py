"""Shard key candidates per collection, each with the `polyschema simulate --store/--key` arguments.

`keys` are document paths (what `shardCollection` takes); the simulator is handed the entity's attribute
names behind them: `--store mongodb-hashed --key "hashed(<attribute>)"` or `--store mongodb-range --key
"<attribute>,<attribute>..."`. A key on the server's ObjectId `_id` (an entity without a primary key) has
no attribute behind it: it stays a candidate of the design but is not offered for simulation.
"""

from __future__ import annotations

from translator.targets.mongodb.layout import Layout, Node
from translator.targets.mongodb.model import ShardKeyCandidate
from translator.tenancy import TenantColumn
from translator.workload.model import AccessPattern, AttributeRef, Workload
from translator.workload.stats import StatsView

__all__ = ["shard_candidates", "reads_by_collection"]


def _attribute(node: Node, path: str) -> str | None:
    return next((fm.attribute for fm in node.fields if fm.field == path), None)


def _hashed(node: Node, field: str, reason: str) -> ShardKeyCandidate:
    attr = _attribute(node, field)
    return ShardKeyCandidate(
        ((field, "hashed"),), (attr,) if attr else (), "mongodb-hashed", f"hashed({attr})" if attr else "", reason
    )


def _ranged(node: Node, fields: list[str], reason: str) -> ShardKeyCandidate:
    attrs = [_attribute(node, f) for f in fields]
    known = None not in attrs
    return ShardKeyCandidate(
        tuple((f, 1) for f in fields),
        tuple(a for a in attrs if a) if known else (),
        "mongodb-range",
        ",".join(a for a in attrs if a) if known else "",
        reason,
    )


def _skew(stats: StatsView, entity: str, attribute: str) -> str:
    info = stats.attribute(entity, attribute)
    parts = []
    if info.distinct:
        parts.append(f"{info.distinct:g} distinct values")
    if info.most_common:
        value, share = info.most_common[0]
        parts.append(f"the most common ({value!r}) holds {share:.2%} of rows")
    return f" ({'; '.join(parts)}{', assumed' if info.assumed else ''})" if parts else ""


def _held(layout: Layout, pattern: AccessPattern, ref: AttributeRef) -> str | None:
    """Where `pattern`'s documents hold `ref`, or None when another collection does."""
    try:
        return layout.ref_path(pattern.entity, ref)
    except KeyError:
        return None


def reads_by_collection(layout: Layout, workload: Workload) -> dict[str, list[AccessPattern]]:
    out: dict[str, list[AccessPattern]] = {}
    for p in workload.access_patterns:
        if p.is_read and p.entity in layout.nodes:
            out.setdefault(layout.nodes[p.entity][0], []).append(p)
    return out


def _tenant_first(layout: Layout, node: Node, tenant: TenantColumn, stats: StatsView) -> ShardKeyCandidate:
    """Issue 15: the shard key leads with the tenant, then the rest of the primary key (or `_id`)."""
    entity = layout.schema.entity(node.entity)
    lead = layout.path_of(entity.key, tenant.attribute)
    rest = [layout.path_of(entity.key, a) for a in entity.primary_key if a != tenant.attribute] or ["_id"]
    source = f"from policy {', '.join(tenant.policies)}" if tenant.policies else f"{tenant.source}"
    return _ranged(
        node,
        [lead, *rest],
        f"leads with the tenant {lead} ({source}): a tenant's documents stay on one "
        f"shard or a few, every tenant-scoped query is targeted, and zones can pin a "
        f"whale to its own shard{_skew(stats, entity.key, tenant.attribute)}",
    )


def shard_candidates(
    layout: Layout,
    collection: str,
    node: Node,
    reads: list[AccessPattern],
    stats: StatsView,
    tenant: TenantColumn | None = None,
) -> tuple[ShardKeyCandidate, ...]:
    """Candidates for `collection` given the read patterns served by it (see `reads_by_collection`);
    with a tenant column, the tenant-leading key comes first."""
    out = _candidates(layout, collection, node, reads, stats)
    entity = layout.schema.entity(node.entity)
    if (
        tenant is None
        or entity.primary_key == (tenant.attribute,)
        or layout.path_of(node.entity, tenant.attribute) != layout.nodes[node.entity][1].field_of(tenant.attribute)
    ):
        return out
    first = _tenant_first(layout, node, tenant, stats)
    return (first, *(c for c in out if c.keys != first.keys))


def _candidates(
    layout: Layout, collection: str, node: Node, reads: list[AccessPattern], stats: StatsView
) -> tuple[ShardKeyCandidate, ...]:
    entity = layout.schema.entity(node.entity)
    total = sum(p.rate for p in reads) or 1.0
    out: list[ShardKeyCandidate] = []
    pk_paths = [layout.path_of(entity.key, a) for a in entity.primary_key]
    if len(pk_paths) > 1:
        lead, lead_attr = pk_paths[0], entity.primary_key[0]
        share = sum(p.rate for p in reads if any(_held(layout, p, r) == lead for r in p.equality)) / total
        out.append(
            _ranged(
                node,
                pk_paths,
                f"the primary key; its first field {lead} is in the equality of {share:.0%} of this "
                f"collection's read rate, so those reads go to one shard{_skew(stats, entity.key, lead_attr)}; "
                f"ranged keeps one {lead}'s documents together",
            )
        )
        out.append(
            _hashed(
                node,
                pk_paths[-1],
                f"spreads writes evenly over shards when {pk_paths[-1]} is unique-ish, but "
                f"queries by {lead} alone are broadcast",
            )
        )
    elif pk_paths:
        out.append(
            _hashed(
                node,
                pk_paths[0],
                "the primary key hashed: even spread of documents and inserts; lookups by key "
                "are targeted, everything else is broadcast",
            )
        )
    else:
        out.append(
            _hashed(node, "_id", f"{entity.key} has no primary key: the server's ObjectId _id hashed spreads inserts")
        )
    busiest = max(reads, key=lambda p: p.rate, default=None)
    if busiest is not None and busiest.equality:
        paths = []
        for ref in busiest.equality:
            path = _held(layout, busiest, ref)
            if path is not None and "." not in path and path not in paths:
                paths.append(path)
        tail = [p for p in (pk_paths or ["_id"]) if p not in paths]
        fields = paths + tail[:1]
        if paths and paths != pk_paths[: len(paths)] and all(dict(c.keys) != dict.fromkeys(fields, 1) for c in out):
            first = busiest.equality[0]
            out.append(
                _ranged(
                    node,
                    fields,
                    f"targets the busiest read {busiest.id} ({busiest.rate:g}/s of {total:g}/s) at one "
                    f"shard; {tail[0] if tail else fields[-1]} is appended so chunks can split"
                    f"{_skew(stats, first.entity, first.attribute)}",
                )
            )
    return tuple(out)
