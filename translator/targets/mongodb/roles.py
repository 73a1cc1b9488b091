"""Role names: what a parent is to its child along one foreign key (a flight's `origin` and `dest`
airports, an issue's `reporter` and `assignee` users), used to name the copy of that parent the child
document holds.

A role comes from the foreign key's own attributes, less what does not tell the parents apart: an `id`
suffix (`origin_id` -> `origin`), the tenant column, and attributes that every foreign key from the same
child to the same parent shares (`tenant_id` in `(tenant_id, reporter_id)` and `(tenant_id, assignee_id)`).
The parent entity's name is kept when the child has one foreign key to it and the role says no more
than that name does (`product_id` -> `product`, or a key named like the parent's own: `airport_id`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from translator.ir import Relationship, Schema
from translator.targets.common import foreign_key_role, unique_name, without_id_suffix
from translator.tenancy import Tenancy

__all__ = ["role_names"]

def _says_no_more(role: str, rel: Relationship, parent_name: str) -> bool:
    """The role is only the parent's name (singular or plural) or its key's name: no better than it."""
    folded, name = role.casefold(), parent_name.casefold()
    if folded in {name, name + "s", name + "es"} or name in {folded + "s", folded + "es"}:
        return True
    if name.endswith("ies") and folded == name[:-3] + "y":
        return True
    return folded in {without_id_suffix(a).casefold() for a in rel.to_attributes}


def role_names(schema: Schema, relationships: Iterable[Relationship], tenancy: Tenancy) -> Mapping[Relationship, str]:
    """The name of each relationship's parent as seen from its child, unique among the child's attributes
    (its document fields) and its other roles: a column already called `origin` leaves `origin_airports`."""
    out: dict[Relationship, str] = {}
    taken: dict[str, set[str]] = {}
    for rel in sorted(relationships, key=lambda r: (r.from_entity, r.name)):
        parallel = [
            r for r in schema.relationships_from(rel.from_entity) if r.to_entity == rel.to_entity and r is not rel
        ]
        column = tenancy.column(rel.from_entity)
        role = foreign_key_role(schema, rel, column.attribute if column is not None else None)
        parent_name = schema.entity(rel.to_entity).name
        if not role or (not parallel and _says_no_more(role, rel, parent_name)):
            role = parent_name if not parallel else f"{parent_name}_{'_'.join(rel.from_attributes)}"
        names = taken.setdefault(rel.from_entity, {"_id", *schema.entity(rel.from_entity).attribute_names})
        if role in names:
            role = unique_name(f"{role}_{parent_name}", names)
        names.add(role)
        out[rel] = role
    return out
