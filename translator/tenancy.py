"""Which column holds the tenant in each entity, and where that knowledge came from.

Sources, strongest first: a row-level-security policy that compares a column with a session setting or
function (`policy`); the workload's `tenant:` declaration (`declared`); an inference from the keys and
foreign keys (`inferred`, marked assumed). Targets read a `Tenancy` to lead their keys with the tenant and
to say which policy each of their isolation artefacts replaces.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from translator.diagnostics import Diagnostic, Severity
from translator.errors import DesignError
from translator.ir import Entity, Schema
from translator.policy_expr import session_comparisons
from translator.workload.model import AccessPattern, PatternKind, Workload

__all__ = ["TenantColumn", "Tenancy", "TenancyError", "resolve_tenancy"]

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
        return {
            "entity": self.entity,
            "attribute": self.attribute,
            "source": self.source,
            "policies": list(self.policies),
            "assumed": self.assumed,
        }


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

    @property
    def source(self) -> TenantSource | None:
        """Where most tenant columns came from (policy, declared, inferred); None when no tenant is known."""
        counts: Counter[TenantSource] = Counter(c.source for c in self.columns)
        ranked = sorted(counts.items(), key=lambda item: (item[1], item[0] == "policy", item[0] == "declared"))
        return ranked[-1][0] if ranked else None

    def fixes_tenant(self, pattern: AccessPattern) -> bool:
        """True when the pattern compares a tenant column with `=` (on its entity or along its paths)."""
        for ref in pattern.equality:
            column = self.column(ref.entity)
            if column is not None and ref.attribute.casefold() == column.attribute.casefold():
                return True
        return False

    def crosses_tenants(self, pattern: AccessPattern) -> bool:
        """True when `pattern` reads, updates or deletes tenant-scoped rows without fixing the tenant, and is
        not marked `admin`. Inserts carry their tenant in the row, so they never cross."""
        if not self.known or pattern.admin or pattern.kind is PatternKind.WRITE:
            return False
        touched = {pattern.entity, *pattern.with_, *(r.entity for r in pattern.equality)}
        return any(self.column(e) for e in touched) and not self.fixes_tenant(pattern)

    def crossing_diagnostics(self, workload: Workload) -> tuple[Diagnostic, ...]:
        """One warning per pattern that crosses tenants (see `crosses_tenants`)."""
        out = []
        for pattern in workload.access_patterns:
            if self.crosses_tenants(pattern):
                touched = (pattern.entity, *pattern.with_, *(r.entity for r in pattern.equality))
                column = next(c for e in touched if (c := self.column(e)) is not None)
                replaces = f"; it bypasses policy {', '.join(column.policies)}" if column.policies else ""
                out.append(
                    Diagnostic(
                        Severity.WARNING,
                        "crosses-tenants",
                        f"pattern {pattern.id!r} does not fix the tenant (no equality on "
                        f"{column.entity}.{column.attribute}), so it reads across tenants{replaces}; "
                        "add the tenant to its equality, or mark it admin: true if it is administrative",
                        subject=pattern.id,
                    )
                )
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "source": self.source,
            "columns": [c.to_dict() for c in self.columns],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


class TenancyError(DesignError):
    """The tenant cannot be told apart: two different tenant columns on one table."""


#: setting or column names that say "tenant" rather than "user": they win over other session comparisons
_TENANTISH = re.compile(r"tenant|org|account|company|customer|workspace|client", re.IGNORECASE)


def resolve_tenancy(schema: Schema, workload: Workload) -> Tenancy:
    """The tenancy of `schema` under `workload`: per entity, the tenant column from its row-level-security
    policies, else the workload's `tenant:` declaration, else an inference (marked assumed).

    Raises `TenancyError` when the policies of one table compare two different columns with tenant values.
    """
    notes: list[Diagnostic] = []
    columns: dict[str, TenantColumn] = {}
    for entity in schema.entities:
        found = _from_policies(schema, entity, notes)
        if found is not None:
            columns[entity.key] = found
    declared = workload.tenant
    if declared:
        for entity in schema.entities:
            attribute = entity.find_attribute(declared)
            if attribute is None:
                continue
            current = columns.get(entity.key)
            if current is None:
                columns[entity.key] = TenantColumn(entity.key, attribute.name, "declared")
            elif current.attribute.casefold() != attribute.name.casefold():
                notes.append(
                    _note(
                        Severity.WARNING,
                        "tenant-declaration-overridden",
                        f"the workload declares tenant {declared!r}, but policy {', '.join(current.policies)} on "
                        f"{entity.key} compares {current.attribute}; the policy wins",
                        entity.key,
                    )
                )
    elif len(columns) < len(schema.entities):
        inferred = _infer(schema)
        # Inference fills the tables no policy covers, when it agrees with the policies' column.
        if inferred is not None and all(c.attribute.casefold() == inferred[0] for c in columns.values()):
            name, root_key, leading = inferred
            added = []
            for entity in schema.entities:
                attribute = entity.find_attribute(name)
                if attribute is not None and entity.key not in columns:
                    columns[entity.key] = TenantColumn(entity.key, attribute.name, "inferred")
                    added.append(entity.key)
            if added:
                notes.append(
                    _note(
                        Severity.WARNING,
                        "tenant-inferred",
                        f"tenant column {name!r} of {', '.join(added)} inferred (assumed): it leads the primary "
                        f"key of {leading} of {len(schema.entities) - 1} tables and references {root_key}; declare "
                        f"tenant: {name} in the workload, or add row-level-security policies, to confirm it",
                        root_key,
                    )
                )
    root = _root(schema, columns)
    if root is not None and root.key not in columns and len(root.primary_key) == 1:
        sources = Counter(c.source for c in columns.values())
        columns[root.key] = TenantColumn(root.key, root.primary_key[0], sources.most_common(1)[0][0])
    ordered = tuple(columns[e.key] for e in schema.entities if e.key in columns)
    if ordered:
        shared = [e.key for e in schema.entities if e.key not in columns]
        if shared:
            notes.append(
                _note(
                    Severity.INFO,
                    "shared-entities",
                    f"no tenant column in {', '.join(shared)}: their rows are shared by every tenant",
                    None,
                )
            )
    return Tenancy(ordered, root.key if root is not None else None, tuple(notes))


def _note(severity: Severity, code: str, message: str, subject: str | None) -> Diagnostic:
    return Diagnostic(severity, code, message, subject=subject)


def _from_policies(schema: Schema, entity: Entity, notes: list[Diagnostic]) -> TenantColumn | None:
    policies = schema.policies_on(entity.key)
    if policies and not entity.row_security:
        notes.append(
            _note(
                Severity.WARNING,
                "policy-not-enforced",
                f"{entity.key} has policies ({', '.join(p.name for p in policies)}) but row-level security is "
                "not enabled on it, so PostgreSQL does not apply them today",
                entity.key,
            )
        )
    elif entity.row_security and not policies:
        notes.append(
            _note(
                Severity.INFO,
                "row-security-without-policy",
                f"{entity.key} has row-level security enabled and no policy: only its owner sees rows",
                entity.key,
            )
        )
    candidates: dict[str, tuple[str, list[str], bool]] = {}
    for policy in policies:
        read_any = False
        for clause in (policy.using, policy.with_check):
            comparisons = session_comparisons(clause)
            if comparisons is None:
                notes.append(
                    _note(
                        Severity.WARNING,
                        "policy-unread",
                        f"policy {policy.name!r} on {entity.key}: its "
                        "expression could not be read, so no tenant column is taken from it",
                        policy.name,
                    )
                )
                continue
            for comparison in comparisons:
                attribute = entity.find_attribute(comparison.column)
                if attribute is None:
                    continue
                read_any = True
                tenantish = bool(_TENANTISH.search(comparison.setting or "") or _TENANTISH.search(attribute.name))
                name, names, named_tenant = candidates.get(attribute.name.casefold(), (attribute.name, [], False))
                candidates[attribute.name.casefold()] = (
                    name,
                    names + [policy.name] * (policy.name not in names),
                    named_tenant or tenantish,
                )
        if not read_any:
            notes.append(
                _note(
                    Severity.INFO,
                    "policy-without-tenant",
                    f"policy {policy.name!r} on {entity.key} compares "
                    "no column with a session setting or function; no tenant column is read from it",
                    policy.name,
                )
            )
    if not candidates:
        return None
    strong = [c for c in candidates.values() if c[2]] or list(candidates.values())
    if len(strong) > 1:
        named = "; ".join(f"{name} (policy {', '.join(names)})" for name, names, _ in strong)
        raise TenancyError(
            f"table {entity.key} has two different tenant columns in its row-level-security policies: "
            f"{named}; make the policies compare one tenant column, or rename the setting of the other"
        )
    name, names, _ = strong[0]
    return TenantColumn(entity.key, name, "policy", tuple(names))


def _root(schema: Schema, columns: dict[str, TenantColumn]) -> Entity | None:
    """The entity most tenant columns reference alone (`users.tenant_id -> tenants`), whose key is one column."""
    referenced: Counter[str] = Counter()
    for rel in schema.relationships:
        column = columns.get(rel.from_entity)
        if column is None or rel.is_self_reference or len(rel.from_attributes) != 1:
            continue
        parent = schema.entity(rel.to_entity)
        if rel.from_attributes[0].casefold() == column.attribute.casefold() and len(parent.primary_key) == 1:
            referenced[parent.key] += 1
    if not referenced:
        return None
    (first, count), *rest = referenced.most_common(2) + [("", 0)]
    return schema.entity(first) if count > rest[0][1] else None


def _infer(schema: Schema) -> tuple[str, str, int] | None:
    """(attribute, root entity, tables it leads): the first primary-key column most tables share, referencing
    one root, with a tenant-like name unless it leads every other table's key."""
    leads: Counter[str] = Counter(e.primary_key[0].casefold() for e in schema.entities if len(e.primary_key) > 1)
    for name, _ in leads.most_common():
        roots = {
            r.to_entity
            for r in schema.relationships
            if len(r.from_attributes) == 1
            and r.from_attributes[0].casefold() == name
            and len(schema.entity(r.to_entity).primary_key) == 1
            and not r.is_self_reference
        }
        if len(roots) != 1:
            continue
        root = next(iter(roots))
        leading = sum(
            1 for e in schema.entities if e.key != root and e.primary_key and e.primary_key[0].casefold() == name
        )
        others = len(schema.entities) - 1
        # A tenant-like name (tenant_id, org_id, company_id) or a column that leads every other key:
        # employees.emp_no leading salaries and titles is a parent key, not a tenant.
        named = bool(_TENANTISH.search(name) or _TENANTISH.search(schema.entity(root).name))
        if leading >= 2 and leading * 2 > others and (named or leading == others):
            return name, root, leading
    return None
