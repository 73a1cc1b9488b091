"""The report's tenancy section: the tenant column per entity and its source (`resolve_tenancy`), the
design keys that lead with it, the patterns that cross tenants, and each target's enforcement artefacts
(the section of its design JSON that `mappings/plan.toml` names as `tenancy_section`)."""

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
    return out
