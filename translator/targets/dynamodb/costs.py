"""The cost of a Scan that is still the answer, next to the cost of the GSI that would replace it."""

from __future__ import annotations

import math
from dataclasses import replace

from translator.ir import Schema
from translator.targets.dynamodb.limits import item_bytes, plan_rate
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import EntityMapping, PatternPlan
from translator.targets.record import Decision
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["scan_costs"]


def scan_costs(
    schema: Schema,
    workload: Workload,
    stats: StatsView,
    mappings: list[EntityMapping],
    plans: list[PatternPlan],
    rules: DynamoRules,
    decisions: list,
) -> list[PatternPlan]:
    """For every pattern still answered by a Scan: the Scan's read units per second at the pattern's rate
    next to what a GSI serving it would cost (extra write units per second and storage), as a decision."""
    by_key = {m.entity: m for m in mappings}
    sizes = {m.entity: item_bytes(schema.entity(m.entity), m, stats, rules)[0] for m in mappings}
    out = []
    for plan in plans:
        mapping = by_key.get(plan.entity)
        if plan.operation != "Scan" or mapping is None:
            out.append(plan)
            continue
        entity = schema.entity(plan.entity)
        table_bytes = sum(stats.entity(m.entity).rows * sizes[m.entity] for m in mappings if m.table == mapping.table)
        scan_rcu = plan_rate(workload, plan) * math.ceil(table_bytes / rules.limits["rcu_bytes"])
        writes = sum(
            p.rate for p in workload.access_patterns if not p.is_read and schema.find_entity(p.entity) is entity
        )
        gsi_wcu = writes * max(1, math.ceil(sizes[entity.key] / rules.limits["wcu_bytes"]))
        gsi_bytes = stats.entity(entity).rows * sizes[entity.key]
        numbers = (
            ("scan_rcu_per_s", round(scan_rcu, 1)),
            ("gsi_extra_wcu_per_s", round(gsi_wcu, 1)),
            ("gsi_storage_bytes", round(gsi_bytes)),
        )
        text = (
            f"a Scan reads the whole table ({table_bytes:,.0f} bytes) each time: ~{scan_rcu:,.0f} RCU/s at "
            f"{plan_rate(workload, plan):g}/s, against a GSI's ~{gsi_wcu:,.0f} extra WCU/s and "
            f"{gsi_bytes:,.0f} bytes of storage"
        )
        assumed = ("workload",) if plan.assumed else ()
        if stats.entity(entity).assumed:
            assumed = (*assumed, f"statistics:{entity.key}")
        decisions.append(Decision(f"pattern {plan.id}", "scan", "scan-vs-gsi", text, numbers, assumed))
        out.append(replace(plan, reason=f"{plan.reason}; {text}" if plan.reason else text))
    return out
