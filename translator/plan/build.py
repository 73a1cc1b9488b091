"""The plan: ingest's schema and the workload, every registered target's design, the simulation of its key
candidates, and its capacity and cost. No per-target code: targets are read through the shared interface
(`translator.targets.base.Target`), and per-store rules are data in the pricing file.

A target that lacks one of the summaries (or whose design fails) is degraded, never fatal: the section is
marked "not available from this target" with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from translator.errors import PolyschemaError
from translator.ir import Schema
from translator.plan.capacity import Capacity, estimate
from translator.plan.demand import demand_of
from translator.plan.realdata import check_fraction, run_on_table
from translator.plan.simulations import (
    SIMULATION_FILE,
    SimulationRun,
    assign_rows,
    plan_runs,
    run_simulation,
    simulation_document,
)
from translator.plan.summary import recommend, summarize
from translator.plan.tenancy_section import tenancy_section
from translator.targets import get_target, target_names
from translator.tenancy import resolve_tenancy
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["PLAN_FORMAT_VERSION", "TargetPlan", "Plan", "build_plan"]

PLAN_FORMAT_VERSION = 1
SUMMARIES = ("key_candidates", "serving", "size_checks")
#: Progress is reported as (stage label, stages done, stages known so far); the CLI turns it into a bar.
Progress = Callable[[str, int, int], None]


@dataclass
class TargetPlan:
    name: str
    design: Any = None
    design_dict: dict[str, Any] = field(default_factory=dict)
    artifact: tuple[str, str] | None = None  # (file name, text)
    key_candidates: tuple = ()
    serving: tuple = ()
    size_checks: tuple = ()
    runs: list[SimulationRun] = field(default_factory=list)
    capacity: Capacity | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # section -> why

    def to_dict(self, workload_path: str = SIMULATION_FILE) -> dict[str, Any]:
        return {
            "target": self.name,
            "summary": self.summary,
            "artifact": self.artifact[0] if self.artifact else None,
            "key_candidates": [c.to_dict() for c in self.key_candidates],
            "serving": [s.to_dict() for s in self.serving],
            "size_checks": [s.to_dict() for s in self.size_checks],
            "simulations": [r.to_dict(workload_path) for r in self.runs],
            "capacity": self.capacity.to_dict() if self.capacity else None,
            "unavailable": dict(self.unavailable),
            "design": self.design_dict,
        }


@dataclass
class Plan:
    schema: Schema
    workload: Workload
    view: MemoStats
    pricing: dict[str, Any]
    targets: list[TargetPlan]
    recommendation: dict[str, Any]
    simulation_document: dict[str, Any]
    tenancy: dict[str, Any]
    sim_rows: int
    sim_budget: int
    sim_runs: int

    def to_dict(self, workload_path: str = SIMULATION_FILE) -> dict[str, Any]:
        """plan.json's form (docs/plan.md); `workload_path` is where the simulation commands find their file."""
        return {
            "format_version": PLAN_FORMAT_VERSION,
            "source": {
                "sources": list(self.schema.sources),
                "dialect": self.schema.dialect,
                "partial": self.schema.partial,
                "entities": [_entity_summary(self.view, e) for e in self.schema.entities],
                "relationships": [{"name": r.name, "from": r.from_entity, "to": r.to_entity,
                                   "from_attributes": list(r.from_attributes),
                                   "to_attributes": list(r.to_attributes), "cardinality": str(r.cardinality.value),
                                   "fanout": _fanout(self.view, r)} for r in self.schema.relationships],
                "diagnostics": [d.to_dict() for d in self.schema.diagnostics],
            },
            "workload": {"source": self.workload.source, "assumed": self.workload.assumed,
                         "access_patterns": [p.to_dict() for p in self.workload.access_patterns]},
            "tenancy": self.tenancy,
            "pricing": self.pricing,
            "simulation": {"workload_file": workload_path, "max_rows": self.sim_rows,
                           "budget_rows": self.sim_budget, "max_runs": self.sim_runs},
            "targets": [t.to_dict(workload_path) for t in self.targets],
            "recommendation": self.recommendation,
        }


@dataclass(frozen=True)
class MemoStats(StatsView):
    """`StatsView` with its lookups memoized for one plan: the view is immutable, and the report asks for
    the same entity's figures many times (each lookup walks the relationships)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", {})

    def _cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        memo: dict[tuple, Any] = self._memo  # type: ignore[attr-defined]
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def entity(self, entity: Any) -> Any:
        name = entity if isinstance(entity, str) else entity.key
        return self._cached(("entity", name), lambda: StatsView.entity(self, entity))

    def fanout(self, relationship: Any) -> Any:
        return self._cached(("fanout", relationship), lambda: StatsView.fanout(self, relationship))

    def attribute(self, entity: str, attribute: str) -> Any:
        return self._cached(("attribute", entity, attribute), lambda: StatsView.attribute(self, entity, attribute))


def _entity_summary(view: StatsView, entity: Any) -> dict[str, Any]:
    stats = view.entity(entity)
    return {"key": entity.key, "primary_key": list(entity.primary_key),
            "attributes": [{"name": a.name, "type": str(a.type.kind.value), "nullable": a.nullable}
                           for a in entity.attributes],
            "rows": stats.rows, "avg_row_bytes": stats.avg_row_bytes, "assumed": stats.assumed}


def _fanout(view: StatsView, relationship: Any) -> dict[str, Any]:
    f = view.fanout(relationship)
    return {"avg": f.avg, "p99": f.p99, "max": f.max, "assumed": f.assumed}


def _summary_of(target: Any, method: str, design: Any, plan: TargetPlan) -> tuple:
    """One of the target's plan summaries, or () with the section marked unavailable."""
    func = getattr(target, method, None)
    try:
        if func is None:
            raise NotImplementedError
        return tuple(func(design))
    except NotImplementedError:
        plan.unavailable[method] = "not available from this target"
    except PolyschemaError as exc:
        plan.unavailable[method] = f"not available from this target: {exc}"
    return ()


def _artifact(target: Any, design: Any, plan: TargetPlan) -> None:
    artifact = getattr(target, "artifact", None)
    if not artifact:
        plan.unavailable["artifact"] = "not available from this target"
        return
    name, fmt = artifact
    try:
        plan.artifact = (name, target.render(design, fmt))
    except (NotImplementedError, AttributeError, PolyschemaError) as exc:
        plan.unavailable["artifact"] = f"not available from this target ({exc.__class__.__name__})"


def build_plan(schema: Schema, workload: Workload, pricing: dict[str, Any], *, sim_rows: int = 1_000_000,
               sim_budget: int = 3_000_000, sim_runs: int = 20, chunk_rows: int = 4_000_000,
               progress: Progress | None = None, data: str | None = None, sample: float | None = None) -> Plan:
    """Design for every target, simulate its key candidates, estimate capacity and cost, recommend.

    Simulated: the `sim_runs` heaviest runs, each with at most `sim_rows` rows and a share of `sim_budget`
    rows (see `assign_rows`); 0 lifts any of these bounds. Memory stays bounded by `chunk_rows` whatever
    the entity's row count. With `data` (a database URL) and `sample` (a fraction), the keys are evaluated
    on the real rows of each table instead (`plan.realdata`).
    """
    done = 0
    total = len(target_names())

    def note(stage: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(stage, done, total)

    view = MemoStats(schema, workload.statistics)
    tenancy = resolve_tenancy(schema, workload)

    def tenant_of(entity: str) -> str | None:
        column = tenancy.column(entity)
        return column.attribute if column else None

    hours = float(pricing["meta"]["hours_per_month"])
    plans: list[TargetPlan] = []
    for name in target_names():
        target = get_target(name)
        plan = TargetPlan(name)
        plans.append(plan)
        try:
            plan.design = target.design(schema, workload)
        except PolyschemaError as exc:
            plan.unavailable["design"] = f"the design failed: {exc}"
            note(f"design {name}")
            continue
        plan.design_dict = plan.design.to_dict()
        for method in SUMMARIES:
            setattr(plan, method, _summary_of(target, method, plan.design, plan))
        _artifact(target, plan.design, plan)
        rules = pricing.get(name)
        if rules is None:
            plan.unavailable["capacity"] = f"no [{name}] table in the pricing file"
        elif "serving" not in plan.unavailable:
            plan.capacity = estimate(demand_of(plan.serving, schema, workload, view, rules), rules, hours)
        placement = None
        if rules and plan.capacity and rules.get("placement"):
            placement = (rules["placement"], max(plan.capacity.units, int(rules.get("simulate_at_least", 1))))
        plan.runs = plan_runs(name, plan.key_candidates, schema, workload, view, placement, tenant_of)
        note(f"design {name}")
    runs = [run for plan in plans for run in plan.runs]
    assign_rows(runs, sim_rows, sim_budget, sim_runs)
    total += sum(run.skipped is None for run in runs)
    document = simulation_document(runs, schema, workload, view)
    for run in (run for run in runs if run.skipped is None):
        if data is not None:
            run_on_table(run, data, check_fraction(sample if sample is not None else 1.0), chunk_rows)
        else:
            run_simulation(run, document, chunk_rows)
        note(f"simulate {run.entity} on {run.store}")
    for plan in plans:
        plan.summary = summarize(plan)
    section = tenancy_section(schema, workload, plans)
    return Plan(schema, workload, view, pricing, plans, recommend(plans), document, section, sim_rows,
                sim_budget, sim_runs)

