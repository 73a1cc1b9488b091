"""`polyschema plan`: the orchestration layer that designs for every target, simulates each design's key
candidates, estimates capacity and cost, and writes one report. This package and `translator/cli` are
the only places that combine the translator and the simulator; the simulator is imported lazily.
"""

from __future__ import annotations

from translator.plan.build import Plan, TargetPlan, build_plan
from translator.plan.pricing import PricingError, load_pricing

__all__ = ["Plan", "TargetPlan", "build_plan", "load_pricing", "PricingError"]
