"""Rates read off the workload for one relationship: how often entities are read together or alone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from translator.ir import Relationship, Schema
from translator.workload.model import AccessPattern, PatternKind, Workload

__all__ = ["Facts", "resolve_with"]


def resolve_with(schema: Schema, pattern: AccessPattern) -> frozenset[str]:
    """Entity keys of a pattern's `with` list (names the loader did not resolve are matched leniently)."""
    keys = set()
    for name in pattern.with_:
        found = schema.find_entity(name)
        if found is not None:
            keys.add(found.key)
    return frozenset(keys)


def _own_equality(pattern: AccessPattern) -> frozenset[str]:
    return frozenset(ref.attribute.casefold() for ref in pattern.equality if ref.entity == pattern.entity)


@dataclass(frozen=True)
class Facts:
    """Workload lookups shared by every rule; `rate` sums and the ids of the patterns behind each sum."""

    schema: Schema
    workload: Workload

    @cached_property
    def _by_entity(self) -> dict[str, list[AccessPattern]]:
        # Large schemas have thousands of default patterns: rules look them up by entity, not by scanning.
        out: dict[str, list[AccessPattern]] = {}
        for p in self.workload.access_patterns:
            out.setdefault(p.entity, []).append(p)
        return out

    def on(self, entity: str) -> list[AccessPattern]:
        return self._by_entity.get(entity, [])

    def _sum(self, patterns: list[AccessPattern]) -> tuple[float, tuple[str, ...], bool]:
        """(total rate, pattern ids, whether every contributing pattern was assumed)."""
        return (float(sum(p.rate for p in patterns)), tuple(p.id for p in patterns),
                bool(patterns) and all(p.assumed for p in patterns))

    def by_parent_key(self, pattern: AccessPattern, rel: Relationship) -> bool:
        """A read of the child by exactly (a subset of) the foreign key: served by the parent's document."""
        own = _own_equality(pattern)
        return bool(own) and own <= {a.casefold() for a in rel.from_attributes}

    def together(self, parent: str, child: str) -> tuple[float, tuple[str, ...], bool]:
        """Reads of `parent` that also want `child`."""
        return self._sum([p for p in self.on(parent) if p.is_read and child in resolve_with(self.schema, p)])

    def children_by_key(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Stated (not assumed) reads of all of a parent's children by the foreign key: no range, no limit.

        One parent document serves them when the children are embedded, so they count for embedding;
        assumed ones (the default workload asks this of every relationship) are no evidence either way.
        """
        return self._sum([p for p in self.on(rel.from_entity)
                          if p.is_read and not p.assumed and p.range is None and p.limit is None
                          and rel.to_entity not in resolve_with(self.schema, p) and self.by_parent_key(p, rel)])

    def child_with_parent(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Reads of the child that also want its parent (the case for an extended reference)."""
        return self._sum([p for p in self.on(rel.from_entity)
                          if p.is_read and rel.to_entity in resolve_with(self.schema, p)])

    def alone(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Reads of the child on its own (not through `rel`'s parent) plus its updates and deletes."""
        out = []
        for p in self.on(rel.from_entity):
            if p.kind in (PatternKind.UPDATE, PatternKind.DELETE):
                out.append(p)
            elif p.is_read and rel.to_entity not in resolve_with(self.schema, p) and not self.by_parent_key(p, rel):
                out.append(p)
        return self._sum(out)

    def updates(self, entity: str) -> tuple[float, tuple[str, ...], bool]:
        return self._sum([p for p in self.on(entity) if p.kind in (PatternKind.UPDATE, PatternKind.DELETE)])

    def latest_n(self, rel: Relationship, max_items: int) -> AccessPattern | None:
        """The busiest read of `rel`'s children by parent key, sorted, limited, without a range: a "latest N"."""
        wanted = {a.casefold() for a in rel.from_attributes}
        found = [p for p in self.on(rel.from_entity)
                 if p.is_read and p.range is None and p.order_by
                 and p.limit is not None and 0 < p.limit <= max_items and _own_equality(p) == wanted
                 and all(t.attribute.entity == rel.from_entity for t in p.order_by)]
        return max(found, key=lambda p: p.rate, default=None)

    def reads_via_junction(self, holder: str, other: str, junction: str, via: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Reads that go from `holder` to the `other` side of a many-to-many (with either entity or the
        junction in `with`, or junction rows looked up by `holder`'s foreign key)."""
        out = [p for p in self.on(holder) if p.is_read and resolve_with(self.schema, p) & {other, junction}]
        out += [p for p in self.on(junction) if p.is_read and self.by_parent_key(p, via)]
        return self._sum(out)
