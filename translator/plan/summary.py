"""The summary row of each target and the recommendation, from the shared summaries alone.

The recommendation ranks the targets by four criteria, in order, so the reason is always the first one
that separates the winner from the runner-up:
1. units over the store's size limit (documents, partitions, items) — a design that cannot store the data;
2. alarms on the design's chosen keys in the simulation (hot or oversized partitions, throttling);
3. the share of the read rate not served by one partition (scatter-gather, Scan, several queries);
4. the monthly cost.
"""

from __future__ import annotations

from typing import Any

__all__ = ["summarize", "recommend", "CRITERIA"]

CRITERIA = (
    ("oversize", "units over the store's size limit"),
    ("alarms", "simulator alarms on the chosen keys"),
    ("spread_read_share", "share of the read rate not served by one partition"),
    ("monthly_cost", "monthly cost"),
)


def _chosen_results(plan: Any) -> list[dict[str, Any]]:
    """The simulation results of the design's own keys (rank 0)."""
    out = []
    for run in plan.runs:
        chosen = {c.simulate_key for c in run.candidates if c.rank == 0}
        out += [r for r in run.results if r["key"] in chosen]
    return out


def summarize(plan: Any) -> dict[str, Any]:
    """The figures of one summary row; None where the target did not provide the input."""
    containers = sorted({c for s in plan.serving for c in s.containers}
                        | {s.container for s in plan.size_checks} | {k.container for k in plan.key_candidates})
    access: dict[str, int] = {"single-partition": 0, "multi-partition": 0, "scatter-gather": 0, "scan": 0}
    read_rate = single_rate = 0.0
    for served in plan.serving:
        if served.kind == "read":
            access[served.access] = access.get(served.access, 0) + 1
            read_rate += served.rate
            if served.access == "single-partition" and served.requests <= 1:
                single_rate += served.rate
    writes = [s for s in plan.serving if s.kind != "read"]
    worst = max(writes, key=lambda s: s.writes, default=None)
    largest = max(plan.size_checks, key=lambda s: s.estimate_bytes / s.limit_bytes if s.limit_bytes else 0,
                  default=None)
    chosen = _chosen_results(plan)
    worst_key = max(chosen, key=lambda r: r["metrics"]["max_over_mean"], default=None)
    alarms = sorted({a["code"] for r in chosen for a in r["alarms"]})
    cost = plan.capacity
    assumed = bool(plan.design_dict.get("assumed")) or any(s.assumed for s in plan.serving) \
        or any(s.assumed for s in plan.size_checks) or any(r.assumed for r in plan.runs)
    return {
        "containers": len(containers) if plan.design is not None else None,
        "container_names": containers,
        "reads_by_access": access if plan.serving else None,
        "spread_read_share": (1 - single_rate / read_rate) if read_rate else (0.0 if plan.serving else None),
        "worst_write": {"pattern": worst.pattern, "writes": worst.writes} if worst else None,
        "largest": {**largest.to_dict(), "ratio": largest.estimate_bytes / largest.limit_bytes}
        if largest and largest.limit_bytes else None,
        "oversize": sum(not s.ok for s in plan.size_checks) if plan.size_checks else 0,
        "skew": {"key": worst_key["key"], "entity": next(r.entity for r in plan.runs
                                                          if worst_key in r.results),
                 "max_over_mean": worst_key["metrics"]["max_over_mean"],
                 "top_share": worst_key["metrics"]["top_share"]} if worst_key else None,
        "alarms": alarms,
        "monthly_cost": cost.monthly_total if cost else None,
        "units": {"count": cost.units, "name": cost.unit_name} if cost else None,
        "assumed": assumed,
        "unavailable": sorted(plan.unavailable),
    }


def _score(summary: dict[str, Any]) -> tuple:
    spread = summary["spread_read_share"]
    cost = summary["monthly_cost"]
    return (summary["oversize"], len(summary["alarms"]), round(spread if spread is not None else 1.0, 2),
            cost if cost is not None else float("inf"))


def _describe(name: str, value: Any) -> str:
    if name == "spread_read_share":
        return f"{(value or 0):.0%}"
    if name == "monthly_cost":
        return f"${value:,.0f}/month" if value not in (None, float("inf")) else "unknown"
    return str(value)


def recommend(plans: list[Any]) -> dict[str, Any]:
    """The target that fits the workload, why, and what would change the choice."""
    scored = sorted((p for p in plans if p.design is not None), key=lambda p: _score(p.summary))
    if not scored:
        return {"target": None, "reasons": ["no target produced a design"], "would_change": [], "ranking": []}
    best = scored[0]
    reasons = []
    changes = []
    for name, label in CRITERIA:
        reasons.append(f"{label}: {_describe(name, _value(best.summary, name))}")
    for other in scored[1:]:
        mine, theirs = _score(best.summary), _score(other.summary)
        decided = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b), None)
        if decided is None:
            changes.append(f"{other.name} ties with {best.name} on every criterion; the registry order decided")
            continue
        name, label = CRITERIA[decided]
        text = (f"{other.name} would need its {label} at {_describe(name, _value(best.summary, name))} or better "
                f"(it has {_describe(name, _value(other.summary, name))})")
        later = next((i for i in range(decided + 1, len(CRITERIA)) if theirs[i] < mine[i]), None)
        if later is not None:
            lname, llabel = CRITERIA[later]
            text += (f"; it would then win on {llabel} ({_describe(lname, _value(other.summary, lname))} against "
                     f"{_describe(lname, _value(best.summary, lname))})")
        changes.append(text)
    gaps = [f"{p.name} lacks {', '.join(sorted(p.unavailable))}" for p in plans if p.unavailable]
    if gaps:  # a partial comparison is labelled partial
        reasons.append("partial: " + "; ".join(gaps) + " (not available from the target)")
    return {"target": best.name, "reasons": reasons, "would_change": changes,
            "ranking": [p.name for p in scored], "criteria": [label for _, label in CRITERIA],
            "assumed": best.summary["assumed"]}


def _value(summary: dict[str, Any], name: str) -> Any:
    return len(summary["alarms"]) if name == "alarms" else summary[name]
