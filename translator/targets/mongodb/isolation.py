"""Tenant isolation without row-level security (issue 15): what replaces each PostgreSQL policy.

MongoDB has no row-level security: a role is granted actions on whole databases or collections
(https://www.mongodb.com/docs/manual/core/authorization/). So a policy such as
`USING (tenant_id = current_setting('app.tenant_id'))` is replaced by
- shard keys that lead with the tenant (a tenant's documents stay together; its queries are targeted);
- the query filter every application request must carry (`{tenant_id: <the session's tenant>}`),
  enforced by the application or its data-access layer, never by the server;
- for the largest tenants (whales): a shard zone per tenant (`sh.addShardToZone`,
  `sh.updateZoneKeyRange`) pinning its range of the shard key to a shard of its own, or a database of its
  own; read-only views with `$match`/`$redact` per tenant can hide other tenants' documents and fields
  from a role, but they do not stop writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.targets.mongodb.decision_record import make_decision
from translator.targets.mongodb.js import MAX_KEY, MIN_KEY
from translator.targets.mongodb.layout import Layout
from translator.targets.record import Decision
from translator.tenancy import Tenancy
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["Zone", "Isolation", "isolation", "NO_RLS"]

NO_RLS = (
    "MongoDB has no row-level security: roles grant actions on whole databases and collections, so the "
    "server cannot keep one tenant from another's documents. The options: the tenant filter on every request "
    "(below), enforced by the application's data-access layer; read-only views with $match/$redact per tenant "
    "for field-level redaction (they do not stop writes); a database of its own, or a shard zone of its own, "
    "for the largest tenants."
)


@dataclass(frozen=True, slots=True)
class Zone:
    """A shard zone pinning one tenant's range of `collection`'s shard key to a shard of its own."""

    collection: str
    tenant: Any
    share: float  # the tenant's share of the collection's rows (statistics' most_common)
    zone: str
    shard: str  # a placeholder: the operator names the shard (sh.status())
    minimum: tuple[tuple[str, Any], ...]
    maximum: tuple[tuple[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "collection": self.collection,
            "tenant": self.tenant,
            "share": self.share,
            "zone": self.zone,
            "shard": self.shard,
            "min": {k: _json(v) for k, v in self.minimum},
            "max": {k: _json(v) for k, v in self.maximum},
        }


def _json(value: Any) -> Any:
    """MinKey/MaxKey as MongoDB Extended JSON in the design's JSON."""
    if value is MIN_KEY:
        return {"$minKey": 1}
    if value is MAX_KEY:
        return {"$maxKey": 1}
    return value


@dataclass(frozen=True, slots=True)
class Isolation:
    """The isolation artefacts: per collection the tenant field and the filter every request must carry,
    the whales' zones, the policies each replaces, and the plain statement of what MongoDB cannot do."""

    request_filters: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    replaces: tuple[tuple[str, tuple[str, ...]], ...]  # (collection, policies)
    zones: tuple[Zone, ...]
    crossing: tuple[str, ...]
    statement: str = NO_RLS

    def to_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "request_filters": {c: dict(f) for c, f in self.request_filters},
            "replaces": {c: list(p) for c, p in self.replaces},
            "zones": [z.to_dict() for z in self.zones],
            "crossing_patterns": list(self.crossing),
        }


def _whales(stats: StatsView, entity: str, attribute: str, share: float) -> list[tuple[Any, float]]:
    info = stats.attribute(entity, attribute)
    return [(value, float(freq)) for value, freq in info.most_common if 0 <= float(freq) <= 1 and float(freq) >= share]


def isolation(
    layout: Layout,
    workload: Workload,
    tenancy: Tenancy,
    stats: StatsView,
    shard_keys: dict[str, Any],
    whale_share: float,
    sink: DiagnosticSink,
) -> tuple[Isolation | None, tuple[Decision, ...]]:
    """The artefacts for every collection whose root entity has a tenant column (None: no tenant known).

    `shard_keys` maps a collection to its first shard key (document paths, in order).
    """
    if not tenancy.known:
        return None, ()
    filters, replaces, zones = [], [], []
    for name, node in layout.collections:
        column = tenancy.column(node.entity)
        if column is None:
            continue
        field = layout.path_of(node.entity, column.attribute)
        filters.append((name, ((field, f"<{column.attribute} of the session's tenant>"),)))
        replaces.append((name, column.policies))
        for policy in column.policies:
            sink.info(
                "mongodb-policy-replaced",
                f"row-level security policy {policy} on {node.entity} is replaced by "
                f"the shard key of {name} leading with {field} and the filter {{{field}: <tenant>}} every request "
                "must carry; MongoDB has no row-level security, so the application enforces it",
                subject=node.entity,
            )
        keys = [path for path, _ in shard_keys.get(name, ())]
        if not keys or keys[0] != field:
            continue
        for value, share in _whales(stats, node.entity, column.attribute, whale_share):
            zone = f"tenant-{value}"
            rest = keys[1:]
            zones.append(
                Zone(
                    name,
                    value,
                    share,
                    zone,
                    f"<shard for tenant {value}>",
                    ((field, value), *((k, MIN_KEY) for k in rest)),
                    ((field, value), *((k, MAX_KEY) for k in rest)) if rest else ((field, _next(value)),),
                )
            )
            replaces_note = f" (in place of policy {', '.join(column.policies)})" if column.policies else ""
            sink.info(
                "mongodb-tenant-zone",
                f"tenant {value!r} holds {share:.0%} of {name}: zone {zone} pins its range "
                f"to a shard of its own{replaces_note}",
                subject=name,
            )
    crossing = []
    for pattern in workload.access_patterns:
        if tenancy.crosses_tenants(pattern):
            crossing.append(pattern.id)
    sink.extend(tenancy.crossing_diagnostics(workload))
    assumed = ("tenant",) if any(c.assumed for c in tenancy.columns) else ()
    decisions = (
        make_decision(
            "tenant isolation",
            "tenant-leading shard keys and a request filter",
            "TN-no-rls",
            NO_RLS,
            {"collections": len(filters), "crossing_patterns": crossing},
            assumed,
            parent=None,
            child=None,
        ),
        make_decision(
            "tenant isolation",
            "zones for whales" if zones else "shared shards",
            "TN-whale-zones",
            (
                f"{len(zones)} tenant(s) hold at least {whale_share:.0%} of a collection's rows: each gets a "
                "shard zone of its own (or a database of its own)"
            )
            if zones
            else (
                f"no tenant holds {whale_share:.0%} of a collection's rows by the statistics, so tenants share "
                "shards; a whale later gets a zone of its own"
            ),
            {"whale_share": whale_share, "zones": len(zones)},
            assumed,
            parent=None,
            child=None,
        ),
    )
    return Isolation(tuple(filters), tuple(replaces), tuple(zones), tuple(crossing)), decisions


def _next(value: Any) -> Any:
    """The exclusive upper bound of a single-field range holding exactly `value`."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return MAX_KEY
    return value + 1 if isinstance(value, int) else value + "\x00"  # the next string after `value`
