"""`simulate SOURCE... --entity E`: the simulated entity's rows, sizes and attribute statistics come from the
schema and workload, read by the translator, so that every key a design prints names a field the simulator
knows, and every figure it uses is the design's own.

This module is CLI glue (the one layer allowed to combine translator and simulator): it turns the
translator's `StatsView` into the simulator's `EntitySpec`.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from translator.errors import PolyschemaError
from translator.types import TypeKind
from translator.workload.stats import StatsView

if TYPE_CHECKING:
    from simulator.workload import EntitySpec
    from translator.ir import Entity, Schema
    from translator.workload.model import Workload

__all__ = ["entity_spec_from_schema", "key_fields"]


def _distinct(schema: Schema, stats: StatsView, entity: Entity, attribute: str) -> tuple[float | None, bool]:
    """Distinct values of `entity.attribute` and whether that figure is assumed.

    Given statistics win; a key is unique per row; a foreign key takes at most as many values as its
    parent has rows; a boolean or enum has its few values; anything else is unknown (unique per row in the
    simulator, which the output then says is assumed).
    """
    given = stats.attribute(entity.key, attribute)
    if given.distinct is not None:
        return given.distinct, given.assumed
    for rel in schema.relationships_from(entity.key):
        if rel.from_attributes == (attribute,):
            parent = stats.entity(rel.to_entity)
            return parent.rows, True
    kind = entity.attribute(attribute).type.kind
    if kind is TypeKind.BOOLEAN:
        return 2.0, True
    values = entity.attribute(attribute).enum_values
    if values:
        return float(len(values)), True
    return None, True


def key_fields(keys: tuple[str, ...] | list[str]) -> set[str]:
    """The attribute names in `--key` texts such as `tenant_id,hashed(id)`."""
    names = set()
    for key in keys:
        for part in key.split(","):
            part = part.strip()
            names.add(part[len("hashed(") : -1].strip() if part.startswith("hashed(") and part.endswith(")") else part)
    return names


def entity_spec_from_schema(
    schema: Schema, workload: Workload, entity_name: str | None, keys: tuple[str, ...] | list[str] = ()
) -> EntitySpec:
    """The simulator's view of one entity of `schema`: every attribute is a field a key may name.

    With `keys`, only the attributes they and the entity's read patterns name are modelled (so the output's
    notes speak of those), unless a key names something else: then every attribute is offered, and the
    simulator's error lists them.
    """
    from simulator.workload import EntitySpec

    if entity_name is None:
        raise PolyschemaError(
            "entity is missing: name the entity (table) of the schema to simulate, e.g. entity='orders'"
        )
    entity = schema.find_entity(entity_name)
    if entity is None:
        names = [e.key for e in schema.entities]
        close = difflib.get_close_matches(entity_name, names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(names[:20])}"
        raise PolyschemaError(f"entity={entity_name!r} is not in the schema; {hint}")
    stats = StatsView(schema, workload.statistics)
    ent_stats = stats.entity(entity)
    patterns = tuple(
        (p.id, tuple(a.attribute for a in p.equality if a.entity == entity.key))
        for p in workload.access_patterns
        if p.entity == entity.key and p.is_read
    )
    wanted = key_fields(keys) | {name for _, names in patterns for name in names}
    modelled = [a for a in entity.attributes if a.name in wanted]
    if not keys or not key_fields(keys) <= {a.name for a in modelled}:
        modelled = list(entity.attributes)
    attributes: dict[str, dict] = {}
    for attribute in modelled:
        distinct, _ = _distinct(schema, stats, entity, attribute.name)
        most_common = stats.attribute(entity.key, attribute.name).most_common
        attributes[attribute.name] = {"distinct": distinct, "most_common": list(most_common)}
    return EntitySpec(
        entity.key, max(1, int(ent_stats.rows)), max(1, int(ent_stats.avg_row_bytes or 200)), attributes, patterns
    )
