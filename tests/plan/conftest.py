"""Fixtures of the plan tests: a small fake target implementing the whole shared interface, so the plan
is exercised end to end whatever the real targets offer yet, and the CLI runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from translator.targets.base import Target
from translator.targets.record import KeyCandidate, PatternServing, SizeCheck, envelope
from translator.workload.stats import StatsView

#: target name -> (simulator store, size limit of one unit, unit)
FAKE_STORES = {"mongodb": ("mongodb-hashed", 16 * 2**20, "document"),
               "cassandra": ("cassandra", 100 * 2**20, "partition"),
               "dynamodb": ("dynamodb", 400 * 1024, "item")}


@dataclass
class FakeDesign:
    schema: Any
    workload: Any
    diagnostics: tuple = ()

    def to_dict(self) -> dict[str, Any]:
        return envelope("fake", {"decisions": [{"subject": e.key, "choice": "container", "rule": "one per entity",
                                                "reason": "fake"} for e in self.schema.entities]},
                        assumed=[], diagnostics=())


class FakeTarget(Target):
    """One container per entity keyed by its primary key; reads on that key are single-partition."""

    artifact = ("fake.txt", "human")

    def __init__(self, name: str) -> None:
        self.name = name  # type: ignore[misc]
        self.store, self.limit, self.unit = FAKE_STORES[name]

    def build(self, schema, workload, tenancy, **options):
        return FakeDesign(schema, workload)

    def key_candidates(self, design):
        out = []
        for entity in design.schema.entities:
            if entity.primary_key:
                first = entity.primary_key[0]
                out.append(KeyCandidate(entity.key, entity.name, (first,), "hashed", self.store,
                                        first if self.store == "cassandra" else f"hashed({first})", "pk", 0))
        return tuple(out)

    def serving(self, design):
        out = []
        for p in design.workload.access_patterns:
            entity = design.schema.entity(p.entity)
            own = {r.attribute for r in p.equality}
            single = bool(entity.primary_key) and entity.primary_key[0] in own
            out.append(PatternServing(p.id, str(p.kind), p.rate, "single-partition" if single or not p.is_read
                                      else "scatter-gather", 1, 1 if single else 4, (entity.name,),
                                      1.0 if p.is_read else 2.0, "", p.assumed))
        return tuple(out)

    def size_checks(self, design):
        view = StatsView(design.schema, design.workload.statistics)
        return tuple(SizeCheck(e.name, self.unit, view.entity(e).avg_row_bytes or 1, self.limit, "limit")
                     for e in design.schema.entities)

    def render_human(self, design):
        return "\n".join(e.key for e in design.schema.entities)


@pytest.fixture
def fake_targets(monkeypatch):
    """Replace the registry `translator.plan.build` reads with three fake targets."""
    import translator.plan.build as build

    fakes = {name: FakeTarget(name) for name in FAKE_STORES}
    monkeypatch.setattr(build, "target_names", lambda: tuple(fakes))
    monkeypatch.setattr(build, "get_target", lambda name: fakes[name])
    return fakes
