"""Statistics with documented defaults: every number a design uses, and whether it was assumed.

Defaults (used when the workload file or `--stats` gives nothing, always marked `assumed=True`):
- rows per entity: `DEFAULT_ROWS`
- average row size: the sum of the per-type sizes in `mappings/sizes.toml`
- children per parent through a foreign key: `DEFAULT_FANOUT` (avg, p99, max); for a one-to-one
  relationship: 1/1/1 (not assumed: the schema guarantees it)
- attribute distinct values: the entity's row count when the attribute is unique, else unknown
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.types import CanonicalType, TypeKind
from translator.workload.model import AttributeStats, EntityStats, RelationshipStats, Statistics

__all__ = ["DEFAULT_ROWS", "DEFAULT_FANOUT", "StatsView", "estimate_value_bytes", "estimate_row_bytes"]

DEFAULT_ROWS = 100_000.0
DEFAULT_FANOUT = RelationshipStats(avg=10.0, p99=100.0, max=1000.0, assumed=True)


@cache
def _sizes() -> dict[str, Any]:
    data = load_mapping("sizes.toml")
    missing = {k.value for k in TypeKind} - {"string", "binary", "array"} - set(data.get("fixed", {}))
    if missing:
        raise MappingError(f"mappings/sizes.toml: [fixed] lacks sizes for {sorted(missing)}")
    return data


def estimate_value_bytes(type_: CanonicalType) -> float:
    sizes = _sizes()
    variable = sizes["variable"]
    if type_.kind is TypeKind.ARRAY:
        assert type_.element is not None
        return variable["array_elements"] * estimate_value_bytes(type_.element)
    if type_.kind in (TypeKind.STRING, TypeKind.BINARY):
        if type_.length is None:
            return float(variable[f"{type_.kind}_unbounded"])
        if type_.fixed:
            return float(type_.length)
        return float(min(type_.length * variable["declared_length_fraction"], variable["declared_length_cap"])) or 1.0
    if type_.kind is TypeKind.INTEGER and type_.bits:
        return type_.bits / 8
    return float(sizes["fixed"][str(type_.kind)])


def estimate_row_bytes(attributes: tuple[Attribute, ...] | list[Attribute]) -> float:
    return float(sum(estimate_value_bytes(a.type) for a in attributes))


@dataclass(frozen=True)
class StatsView:
    """Statistics lookups that fall back to documented, assumed defaults."""

    schema: Schema
    statistics: Statistics

    def entity(self, entity: str | Entity) -> EntityStats:
        ent = entity if isinstance(entity, Entity) else self.schema.entity(entity)
        given = self.statistics.entities.get(ent.key) or self.statistics.entities.get(ent.name)
        estimated = estimate_row_bytes(ent.attributes)
        if given is None:
            return EntityStats(rows=DEFAULT_ROWS, avg_row_bytes=estimated, assumed=True)
        if given.avg_row_bytes is None:
            return EntityStats(rows=given.rows, avg_row_bytes=estimated, assumed=given.assumed)
        return given

    def fanout(self, relationship: Relationship) -> RelationshipStats:
        """Children per parent through `relationship` (its child side holds the foreign key)."""
        if relationship.cardinality is Cardinality.ONE_TO_ONE:
            return RelationshipStats(avg=1.0, p99=1.0, max=1.0, assumed=False)
        child = self.schema.entity(relationship.from_entity)
        # With composite keys such as (tenant_id, issue_id), "comments.issue_id" names the relationship;
        # "comments.tenant_id" would name a sibling's statistics, so shared attributes count only when the
        # relationship has no attribute of its own.
        siblings = [r for r in self.schema.relationships if r.from_entity == child.key and r != relationship]
        shared = {a for r in siblings for a in r.from_attributes}
        own = [a for a in relationship.from_attributes if a not in shared] or list(relationship.from_attributes)
        for name in (child.key, child.name):
            for attribute in own:
                given = self.statistics.relationships.get(f"{name}.{attribute}")
                if given is not None:
                    return given
        return DEFAULT_FANOUT

    def attribute(self, entity: str, attribute: str) -> AttributeStats:
        ent = self.schema.entity(entity)
        for name in (ent.key, ent.name):
            given = self.statistics.attributes.get(f"{name}.{attribute}")
            if given is not None:
                return given
        if ent.is_unique([attribute]):
            return AttributeStats(distinct=self.entity(ent).rows, assumed=self.entity(ent).assumed)
        return AttributeStats(assumed=True)
