"""The facts a live IR must share with the IR of the DDL that created the database, and the documented
normalizations where an engine really stores something else than the file says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from translator.ir import Attribute, ReferentialAction, Schema

__all__ = ["shape", "no_action_is_default", "innodb_default"]


def no_action_is_default(action: ReferentialAction | None) -> ReferentialAction | None:
    """A catalog cannot tell `ON DELETE NO ACTION` written out from no clause at all: both are the default."""
    return None if action is ReferentialAction.NO_ACTION else action


def innodb_default(action: ReferentialAction | None) -> ReferentialAction | None:
    """MariaDB's catalog writes RESTRICT for a foreign key without ON DELETE/UPDATE; InnoDB checks RESTRICT
    and NO ACTION alike (immediately), so all three spellings are the same rule."""
    return None if action in (ReferentialAction.NO_ACTION, ReferentialAction.RESTRICT) else action


def shape(schema: Schema, attribute: Callable[[str, Attribute], Any] | None = None,
          action: Callable[[Any], Any] = no_action_is_default) -> dict[str, Any]:
    """Entities (names case-folded as the engines compare them) with attribute names in order, canonical
    types and nullability, keys and relationships; `attribute` may normalize one (entity, attribute)."""
    attribute = attribute or (lambda entity, a: (a.name, a.type, a.nullable))
    entities = {}
    for e in schema.entities:
        unique = set(e.unique_keys) | {i.columns for i in e.indexes if i.unique and not i.predicate}
        entities[e.key.casefold()] = {
            "attributes": [attribute(e.key, a) for a in e.attributes],
            "primary_key": e.primary_key,
            "unique_keys": sorted(unique),
        }
    relationships = sorted(
        (r.from_entity.casefold(), r.from_attributes, r.to_entity.casefold(), r.to_attributes, str(r.cardinality),
         r.optional, str(action(r.on_delete)), str(action(r.on_update)))
        for r in schema.relationships)
    return {"entities": entities, "relationships": relationships}
