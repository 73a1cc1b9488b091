"""Roles: the name of a parent as one foreign key reaches it, so two copies of the same entity read apart.

A flight references airports twice (`origin_id`, `dest_id`): its copies, key labels and decisions must say
*which* airport. The role is the foreign key's own attribute names without the `_id` suffix, leaving out
the tenant column and the columns every foreign key to that parent shares (`(tenant_id, reporter_id)` and
`(tenant_id, assignee_id)` are `reporter` and `assignee`); when that leaves nothing, or two foreign keys
would read alike, the relationship's name. A parent reached by one foreign key only needs no role: it is
named by its entity, as before.
"""

from __future__ import annotations

from collections.abc import Mapping

from translator.ir import Relationship, Schema
from translator.targets.common import foreign_key_role

__all__ = ["role", "ambiguous", "parent_label", "path_role", "copy_name"]

def _siblings(schema: Schema, rel: Relationship) -> list[Relationship]:
    """Every foreign key from `rel`'s child to `rel`'s parent (self references excluded)."""
    return [
        r
        for r in schema.relationships_from(rel.from_entity)
        if r.to_entity == rel.to_entity and not r.is_self_reference
    ]


def ambiguous(schema: Schema, rel: Relationship) -> bool:
    """True when another foreign key of the same child reaches the same parent."""
    return len(_siblings(schema, rel)) > 1


def role(schema: Schema, rel: Relationship, tenant: Mapping[str, str] | None = None) -> str:
    """The role of `rel`'s parent for its child: `origin` for `flights.origin_id -> airports`."""
    column = tenant.get(rel.from_entity) if tenant else None
    mine = foreign_key_role(schema, rel, column)
    others = [foreign_key_role(schema, r, column) for r in _siblings(schema, rel) if r is not rel and r != rel]
    if not mine or mine.casefold() in {o.casefold() for o in others}:
        return rel.name
    return mine


def parent_label(schema: Schema, rel: Relationship, tenant: Mapping[str, str] | None = None) -> str:
    """How prose names the parent `rel` reaches: `airports (origin)` when the child has two ways there,
    else `airports`."""
    if not ambiguous(schema, rel):
        return rel.to_entity
    return f"{rel.to_entity} ({role(schema, rel, tenant)})"


def path_role(schema: Schema | None, rels: list[Relationship], tenant: Mapping[str, str] | None = None) -> str:
    """The roles of the ambiguous steps of `rels` (child -> parent each), joined by dots; "" when none is."""
    if schema is None:
        return ""
    return ".".join(role(schema, r, tenant) for r in rels if ambiguous(schema, r))


def copy_name(
    schema: Schema | None, rels: list[Relationship], column: str, tenant: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(item attribute name, role) of a copy of `column` of the parent reached by `rels` (child -> parent
    each): `airports.city` and role "" when no step is ambiguous, else named by the roles of the ambiguous
    steps: `origin.city` (role `origin`), `reporter.orgs.name` (role `reporter`)."""
    source = rels[-1].to_entity
    roles = path_role(schema, rels, tenant)
    if not roles:
        return f"{source}.{column}", ""
    assert schema is not None
    segments = [roles] if ambiguous(schema, rels[-1]) else [roles, source]
    return ".".join([*segments, column]), roles
