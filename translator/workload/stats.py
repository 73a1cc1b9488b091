"""Statistics with documented defaults: every number a design uses, and whether it was assumed.

Defaults (used when the workload file or `--stats` gives nothing, always marked `assumed=True`):
- rows per entity: `DEFAULT_ROWS`, unless a fan-out is given for one of its foreign keys: then
  rows(parent) x given avg fan-out (the largest such product), so a given fan-out is never smaller than
  the child's row count; assumed when the parent's rows or the fan-out are
- average row size: the sum of the per-type sizes in `mappings/sizes.toml`
- children per parent through a foreign key: `DEFAULT_FANOUT` (avg, p99, max); for a one-to-one
  relationship: 1/1/1 (not assumed: the schema guarantees it)
- attribute distinct values: the entity's row count when the attribute is unique, else unknown
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from translator.errors import MappingError
from translator.ir import Attribute, Cardinality, Entity, Relationship, Schema
from translator.mapdata import load_mapping
from translator.types import CanonicalType, TypeKind
from translator.workload.model import AttributeStats, EntityStats, Hop, RelationshipStats, Statistics

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

    @cached_property
    def _by_child(self) -> dict[str, tuple[Relationship, ...]]:
        """Relationships by the entity that holds the foreign key: looked up per entity, not scanned."""
        out: dict[str, list[Relationship]] = {}
        for rel in self.schema.relationships:
            out.setdefault(rel.from_entity, []).append(rel)
        return {key: tuple(rels) for key, rels in out.items()}

    @cached_property
    def _entities(self) -> dict[str, EntityStats]:
        return {}

    def entity(self, entity: str | Entity) -> EntityStats:
        ent = entity if isinstance(entity, Entity) else self.schema.entity(entity)
        # The view is immutable, so an entity's figures are computed once (designs ask thousands of times).
        found = self._entities.get(ent.key)
        if found is None:
            found = self._entities[ent.key] = self._entity(ent, frozenset())
        return found

    def _entity(self, ent: Entity, visiting: frozenset[str]) -> EntityStats:
        given = self.statistics.entities.get(ent.key) or self.statistics.entities.get(ent.name)
        estimated = estimate_row_bytes(ent.attributes)
        if given is None:
            derived = self._rows_from_fanouts(ent, visiting | {ent.key})
            rows, assumed = derived if derived is not None else (DEFAULT_ROWS, True)
            return EntityStats(rows=rows, avg_row_bytes=estimated, assumed=assumed)
        if given.avg_row_bytes is None:
            return EntityStats(rows=given.rows, avg_row_bytes=estimated, assumed=given.assumed)
        return given

    def _rows_from_fanouts(self, child: Entity, visiting: frozenset[str]) -> tuple[float, bool] | None:
        """rows(parent) x avg for each given fan-out of `child`'s foreign keys: the largest, and if it is assumed."""
        best: tuple[float, bool] | None = None
        for rel in self._by_child.get(child.key, ()):
            if rel.is_self_reference or rel.to_entity in visiting:
                continue
            fan = self._given_fanout(rel)
            if fan is None:
                continue
            parent = self._entity(self.schema.entity(rel.to_entity), visiting)
            rows = parent.rows * fan.avg
            if best is None or rows > best[0]:
                best = (rows, parent.assumed or fan.assumed)
        return best

    def fanout(self, relationship: Relationship) -> RelationshipStats:
        """Children per parent through `relationship` (its child side holds the foreign key)."""
        if relationship.cardinality is Cardinality.ONE_TO_ONE:
            return RelationshipStats(avg=1.0, p99=1.0, max=1.0, assumed=False)
        return self._given_fanout(relationship) or DEFAULT_FANOUT

    def _given_fanout(self, relationship: Relationship) -> RelationshipStats | None:
        child = self.schema.entity(relationship.from_entity)
        # With composite keys such as (tenant_id, issue_id), "comments.issue_id" names the relationship;
        # "comments.tenant_id" would name a sibling's statistics, so shared attributes count only when the
        # relationship has no attribute of its own.
        siblings = [r for r in self._by_child.get(child.key, ()) if r != relationship]
        shared = {a for r in siblings for a in r.from_attributes}
        own = [a for a in relationship.from_attributes if a not in shared] or list(relationship.from_attributes)
        for name in (child.key, child.name):
            for attribute in own:
                given = self.statistics.relationships.get(f"{name}.{attribute}")
                if given is not None:
                    return given
        return None

    def hop_fanout(self, hop: Hop) -> RelationshipStats:
        """Rows of `hop.target` reached from one `hop.source` row: 1 towards a parent; the fan-out towards
        children; across a many-to-many link, the junction rows per source row."""
        name = hop.relationships[0]
        if hop.via:  # the junction's foreign key to the source: its rows per source row
            child, parent = hop.via, hop.source
        else:  # towards children (this hop's foreign key is on the target) or towards the parent (1)
            child, parent = hop.target, hop.source
        rel = next(
            (
                r
                for r in self.schema.relationships
                if r.name == name and r.from_entity == child and r.to_entity == parent
            ),
            None,
        )
        if rel is None:
            return RelationshipStats(avg=1.0, p99=1.0, max=1.0, assumed=False)
        return self.fanout(rel)

    def path_fanout(self, path: tuple[Hop, ...] | list[Hop]) -> RelationshipStats:
        """Rows at the end of `path` per row at its start: the hops' fan-outs multiplied (avg, p99 and max)."""
        avg, p99, top, assumed = 1.0, 1.0, 1.0, False
        for hop in path:
            fan = self.hop_fanout(hop)
            avg, assumed = avg * fan.avg, assumed or fan.assumed
            p99 *= fan.p99 if fan.p99 is not None else fan.avg
            top *= fan.max if fan.max is not None else (fan.p99 if fan.p99 is not None else fan.avg)
        return RelationshipStats(avg=avg, p99=p99, max=top, assumed=assumed)

    def attribute(self, entity: str, attribute: str) -> AttributeStats:
        ent = self.schema.entity(entity)
        for name in (ent.key, ent.name):
            given = self.statistics.attributes.get(f"{name}.{attribute}")
            if given is not None:
                return given
        if ent.is_unique([attribute]):
            return AttributeStats(distinct=self.entity(ent).rows, assumed=self.entity(ent).assumed)
        return AttributeStats(assumed=True)
