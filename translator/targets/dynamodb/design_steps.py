"""Steps of `build_design` that stand alone: table names per mode, write shards of constant partitions,
the writes that maintain copies, and the tenant isolation summary."""

from __future__ import annotations

import dataclasses
import math

from translator.diagnostics import DiagnosticSink
from translator.ir import Schema
from translator.targets.common import unique_name
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import PatternPlan
from translator.targets.dynamodb.naming import sanitize_table_name
from translator.targets.dynamodb.needs import Copies
from translator.targets.dynamodb.quoting import inert
from translator.targets.dynamodb.tenant import TENANT_PREFIX
from translator.targets.record import Decision
from translator.tenancy import Tenancy
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["constant_shards", "tables", "with_writes", "isolation"]


def constant_shards(schema: Schema, workload: Workload, stats: StatsView, r: DynamoRules) -> dict[str, int]:
    """Write-shard suffixes for an entity's constant-partition GSI: every write of the entity lands on it."""
    out: dict[str, int] = {}
    for entity in schema.entities:
        rate = sum(p.rate for p in workload.access_patterns if not p.is_read and schema.find_entity(p.entity) is entity)
        item = (stats.entity(entity).avg_row_bytes or 0.0) + r.limits["item_overhead_bytes"]
        load = rate * max(1, math.ceil(item / r.limits["wcu_bytes"]))
        if load > r.limits["partition_wcu"]:
            out[entity.key] = math.ceil(load / (0.8 * r.limits["partition_wcu"]))
    return out


def tables(schema: Schema, mode: str, table_name: str | None, r: DynamoRules, sink: DiagnosticSink) -> dict[str, str]:
    if mode == "single-table":
        name = sanitize_table_name(table_name or r.naming["default_table_name"], r, sink, "table_name")
        return {e.key: name for e in schema.entities}
    if table_name:
        sink.info(
            "dynamodb-option-ignored",
            f"table_name={inert(table_name)!r} applies to mode='single-table' only; "
            "per-entity tables are named after their entities",
        )
    tables: dict[str, str] = {}
    for entity in schema.entities:
        wanted = sanitize_table_name(entity.name, r, sink, f"table for {inert(entity.key)}")
        tables[entity.key] = unique_name(wanted, set(tables.values()))
    return tables


def with_writes(plans: list[PatternPlan], copies: Copies, schema: Schema) -> list[PatternPlan]:
    """Each update/delete lists the entities holding copies of its entity's columns; an insert of an entity
    with copies says it reads their sources first."""
    holders: dict[str, list[str]] = {}
    for entity in schema.entities:
        for spec in copies.of(entity.key):
            holders.setdefault(spec.source, [])
            if entity.key not in holders[spec.source]:
                holders[spec.source].append(entity.key)
    out = []
    for plan in plans:
        if plan.kind in ("update", "delete") and holders.get(plan.entity):
            targets = tuple(holders[plan.entity])
            note = (
                f"the items of {', '.join(targets)} hold copies of {plan.entity}'s attributes: update them too "
                "(Query each holder by the copy's GSI with the old value, or by the source's key, then UpdateItem)"
            )
            plan = dataclasses.replace(plan, also_writes=targets, reason="; ".join(x for x in (plan.reason, note) if x))
        elif plan.kind == "write" and copies.of(plan.entity):
            sources = sorted({s.source for s in copies.of(plan.entity)})
            note = f"reads {', '.join(sources)} to fill the copied attributes before the PutItem"
            plan = dataclasses.replace(plan, reason="; ".join(x for x in (plan.reason, note) if x))
        out.append(plan)
    return out


def isolation(
    schema: Schema, tenancy: Tenancy, tenant: dict[str, str], sink: DiagnosticSink, decisions: list[Decision]
) -> tuple[tuple[str, str], ...]:
    """(entity, tenant column) of every tenant-scoped entity; says which RLS policies the IAM policy replaces."""
    if not tenant:
        return ()
    policies = sorted({p for c in tenancy.columns for p in c.policies})
    replaced = (
        f"row-level security policies {', '.join(policies)}"
        if policies
        else ("the tenant filter the application applied (no row-level security policy was found)")
    )
    sink.info(
        "dynamodb-tenant-isolation",
        f"every partition key leads with {TENANT_PREFIX}#<tenant>; the IAM policy "
        f"TenantIsolationPolicy (dynamodb:LeadingKeys, in the cloudformation output) replaces {inert(replaced)}",
    )
    sources = sorted({c.source for c in tenancy.columns})
    decisions.append(
        Decision(
            "tenancy",
            f"{TENANT_PREFIX}#<tenant> leads every partition key",
            "tenant-leading-keys",
            f"the tenant column ({', '.join(sources)}) leads the keys of {len(tenant)} entities, so "
            f"dynamodb:LeadingKeys can confine each principal to its tenant; replaces {replaced}",
            (("entities", len(tenant)),),
            ("tenant",) if any(c.assumed for c in tenancy.columns) else (),
        )
    )
    return tuple(sorted(tenant.items()))
