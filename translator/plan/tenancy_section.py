"""The report's tenancy section: the tenant column per entity and its source (`resolve_tenancy`), the
design keys that lead with it, the patterns that cross tenants, each target's enforcement artefacts
(the section of its design JSON that `mappings/plan.toml` names as `tenancy_section`), and the whale
tenants the simulations found under tenant-led keys, with each store's remedy before and after."""

from __future__ import annotations

from typing import Any

from translator.ir import Schema
from translator.mapdata import load_mapping
from translator.tenancy import resolve_tenancy
from translator.workload.model import Workload

__all__ = ["tenancy_section"]


def tenancy_section(schema: Schema, workload: Workload, targets: list[Any]) -> dict[str, Any]:
    tenancy = resolve_tenancy(schema, workload)
    out = tenancy.to_dict()
    out["crossing_patterns"] = [p.id for p in workload.access_patterns if tenancy.crosses_tenants(p)]
    keys = []
    enforcement: dict[str, Any] = {}
    rules = load_mapping("plan.toml")
    for target in targets:
        for cand in target.key_candidates:
            column = tenancy.column(cand.entity)
            if column is None or cand.rank != 0:
                continue
            leads = bool(cand.fields) and cand.fields[0].casefold() == column.attribute.casefold()
            keys.append({"target": target.name, "entity": cand.entity, "container": cand.container,
                         "fields": list(cand.fields), "leads_with_tenant": leads})
        section = (rules.get(target.name) or {}).get("tenancy_section")
        enforcement[target.name] = target.design_dict.get(section) if section else None
    out["keys"] = keys
    out["enforcement"] = enforcement
    out["whales"] = _whales(targets)
    return out


def _whales(targets: list[Any]) -> list[dict[str, Any]]:
    """One entry per simulated tenant-led key: its whales (maybe none) and the store's remedy for them."""
    found = []
    for target in targets:
        for run in target.runs:
            for remedy in run.remedies:
                if not remedy["key"].startswith(run.tenant):
                    continue  # a key not led by the tenant: no per-tenant remedy applies
                found.append({"target": target.name, "entity": run.entity, "store": run.store,
                              "tenant_column": run.tenant, "key": remedy["key"], "whales": remedy["whales"],
                              "remedy": remedy["remedy"], "after_key": remedy.get("after_key", remedy["key"]),
                              "resolved": remedy["resolved"], "summary": remedy["summary"],
                              "notes": remedy["notes"], "threshold": remedy["threshold"],
                              "before": {k: remedy["before"][k] for k in ("rows_max_over_mean", "ops_max_over_mean",
                                                                         "alarms")},
                              "after": {k: remedy["after"][k] for k in ("rows_max_over_mean", "ops_max_over_mean",
                                                                       "alarms")}})
    return found
