"""Rates read off the workload for one relationship: how often entities are read together or alone.

A read pattern reads a relationship "down" (a parent with its children) or "up" (a child with its
parent) when one of its paths crosses it: `AccessPattern.paths` holds one hop chain per `with` entry
(filled by the workload loader). Patterns built without paths get them inferred here: the shortest
chain of foreign keys from the pattern's entity through its other `with` entities.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cached_property

from translator.ir import Cardinality, Relationship, Schema
from translator.tenancy import Tenancy
from translator.workload.model import AccessPattern, Hop, PatternKind, Workload

__all__ = ["Facts", "resolve_with", "pattern_paths", "crosses"]


def resolve_with(schema: Schema, pattern: AccessPattern) -> frozenset[str]:
    """Entity keys of a pattern's `with` list (names the loader did not resolve are matched leniently)."""
    keys = set()
    for name in pattern.with_:
        found = schema.find_entity(name)
        if found is not None:
            keys.add(found.key)
    return frozenset(keys)


def _hops_from(schema: Schema, source: str, allowed: set[str]) -> dict[str, tuple[Hop, ...]]:
    """Shortest hop chains from `source` to each entity of `allowed`, walking foreign keys both ways."""
    chains: dict[str, tuple[Hop, ...]] = {source: ()}
    queue = deque([source])
    while queue:
        here = queue.popleft()
        steps = [(r, r.from_entity, True) for r in schema.relationships_to(here)]
        steps += [(r, r.to_entity, False) for r in schema.relationships_from(here)]
        for rel, there, to_many in steps:
            if there in chains or there not in allowed:
                continue
            # Parallel foreign keys between the same two entities (billing and shipping address) are all
            # followed: a `with` entry without a loader path does not say which one it means.
            names = tuple(r.name for r, t, m in steps if t == there and m == to_many)
            many = to_many and rel.cardinality is not Cardinality.ONE_TO_ONE
            chains[there] = (*chains[here], Hop(here, there, names, many))
            queue.append(there)
    return chains


def pattern_paths(schema: Schema, pattern: AccessPattern) -> tuple[tuple[Hop, ...], ...]:
    """The pattern's hop chains: the loader's, or inferred through the pattern's own entities."""
    if pattern.paths:
        return pattern.paths
    wanted = resolve_with(schema, pattern)
    chains = _hops_from(schema, pattern.entity, set(wanted) | {pattern.entity})
    return tuple(chains[w] for w in sorted(wanted) if w in chains and chains[w])


def crosses(hop: Hop, rel: Relationship, down: bool) -> bool:
    """`hop` follows `rel` from parent to children (`down`) or from child to parent."""
    ends = (rel.to_entity, rel.from_entity) if down else (rel.from_entity, rel.to_entity)
    return (hop.source, hop.target) == ends and rel.name in hop.relationships and hop.via is None


def _own_equality(pattern: AccessPattern) -> frozenset[str]:
    return frozenset(ref.attribute.casefold() for ref in pattern.equality if ref.entity == pattern.entity)


@dataclass(frozen=True)
class Facts:
    """Workload lookups shared by every rule; `rate` sums and the ids of the patterns behind each sum."""

    schema: Schema
    workload: Workload
    tenancy: Tenancy = field(default_factory=Tenancy)

    def same_tenant(self, rel: Relationship) -> bool:
        """Child and parent rows always belong to one tenant (or neither is tenant-scoped): the foreign
        key carries the child's tenant column to the parent's. Only then may one live inside the other."""
        parent, child = self.tenancy.column(rel.to_entity), self.tenancy.column(rel.from_entity)
        if parent is None or child is None:
            return parent is None and child is None
        return (child.attribute, parent.attribute) in set(zip(rel.from_attributes, rel.to_attributes, strict=False))

    def copy_stays_in_tenant(self, rel: Relationship) -> bool:
        """A copy of the parent may go into the child: the parent is shared (no tenant) or the same tenant's."""
        return self.tenancy.column(rel.to_entity) is None or self.same_tenant(rel)

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
        return (
            float(sum(p.rate for p in patterns)),
            tuple(p.id for p in patterns),
            bool(patterns) and all(p.assumed for p in patterns),
        )

    def by_parent_key(self, pattern: AccessPattern, rel: Relationship) -> bool:
        """A read of the child by exactly the foreign key: served by the parent's document.

        Exactly, not a part of it: with (tenant_id, owner_id) -> users, equality on tenant_id alone reads a
        whole tenant's rows, not one user's."""
        own = _own_equality(pattern)
        return bool(own) and own == {a.casefold() for a in rel.from_attributes}

    @cached_property
    def _paths(self) -> dict[str, tuple[tuple[Hop, ...], ...]]:
        return {p.id: pattern_paths(self.schema, p) for p in self.workload.access_patterns if p.is_read}

    @cached_property
    def _crossing(self) -> dict[tuple[str, str, str], list[AccessPattern]]:
        """(source, target, relationship name) of every FK hop -> the reads crossing it: built once, so each
        relationship's lookup costs no scan of the workload (large schemas have thousands of patterns)."""
        out: dict[tuple[str, str, str], list[AccessPattern]] = {}
        for p in self.workload.access_patterns:
            for path in self._paths.get(p.id, ()):
                for hop in path:
                    if hop.via is not None:
                        continue
                    for name in hop.relationships:
                        found = out.setdefault((hop.source, hop.target, name), [])
                        if not found or found[-1] is not p:
                            found.append(p)
        return out

    def across(self, rel: Relationship, down: bool) -> list[AccessPattern]:
        """Reads whose paths cross `rel` downwards (parent with children) or upwards (child with parent)."""
        ends = (rel.to_entity, rel.from_entity) if down else (rel.from_entity, rel.to_entity)
        return list(self._crossing.get((*ends, rel.name), ()))

    def together(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Reads that want `rel`'s parent with its children, at any depth of their paths."""
        return self._sum(self.across(rel, down=True))

    def children_by_key(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Stated (not assumed) reads of all of a parent's children by the foreign key: no range, no limit.

        One parent document serves them when the children are embedded, so they count for embedding;
        assumed ones (the default workload asks this of every relationship) are no evidence either way.
        """
        return self._sum(
            [
                p
                for p in self.on(rel.from_entity)
                if p.is_read
                and not p.assumed
                and p.range is None
                and p.limit is None
                and rel.to_entity not in resolve_with(self.schema, p)
                and self.by_parent_key(p, rel)
            ]
        )

    @cached_property
    def _filters(self) -> dict[tuple[str, str, str], list[tuple[AccessPattern, str]]]:
        """(child, parent, relationship) -> (read, parent attribute) for each equality, range or order_by
        attribute of a parent one step up from the read's entity (`airports(origin_id).city` on flights)."""
        out: dict[tuple[str, str, str], list[tuple[AccessPattern, str]]] = {}
        for p in self.workload.access_patterns:
            if not p.is_read:
                continue
            refs = [*p.equality, *([p.range] if p.range is not None else []), *(t.attribute for t in p.order_by)]
            for ref in refs:
                if len(ref.path) != 1:
                    continue
                hop = ref.path[0]
                if hop.source != p.entity or hop.to_many or hop.via is not None:
                    continue
                for name in hop.relationships:
                    out.setdefault((hop.source, hop.target, name), []).append((p, ref.attribute))
        return out

    def filters_across(self, rel: Relationship) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
        """Reads of the child that filter or sort on attributes of its parent through `rel`: (their total
        rate, their ids, the parent attributes they use)."""
        found = self._filters.get((rel.from_entity, rel.to_entity, rel.name), [])
        patterns = list({id(p): p for p, _ in found}.values())
        rate, ids, _ = self._sum(patterns)
        return rate, ids, tuple(dict.fromkeys(attr for _, attr in found))

    def child_with_parent(self, rel: Relationship) -> tuple[float, tuple[str, ...], bool]:
        """Reads that want the child with its parent, at any depth (the case for an extended reference)."""
        return self._sum(self.across(rel, down=False))

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

    def inserts(self, entity: str) -> tuple[float, tuple[str, ...], bool]:
        return self._sum([p for p in self.on(entity) if p.kind is PatternKind.WRITE])

    def latest_n(self, rel: Relationship, max_items: int) -> AccessPattern | None:
        """The busiest read of `rel`'s children by parent key, sorted, limited, without a range: a "latest N"."""
        wanted = {a.casefold() for a in rel.from_attributes}
        found = [
            p
            for p in self.on(rel.from_entity)
            if p.is_read
            and p.range is None
            and p.order_by
            and p.limit is not None
            and 0 < p.limit <= max_items
            and _own_equality(p) == wanted
            and all(t.attribute.entity == rel.from_entity for t in p.order_by)
        ]
        return max(found, key=lambda p: p.rate, default=None)

    @cached_property
    def _via(self) -> dict[tuple[str, str, str], list[AccessPattern]]:
        """(holder, other side, junction) of every many-to-many hop -> the reads taking it."""
        out: dict[tuple[str, str, str], list[AccessPattern]] = {}
        for p in self.workload.access_patterns:
            for path in self._paths.get(p.id, ()):
                for hop in path:
                    if hop.via is not None:
                        found = out.setdefault((hop.source, hop.target, hop.via), [])
                        if p not in found:
                            found.append(p)
        return out

    def reads_via_junction(
        self, holder: str, other: str, junction: str, via: Relationship
    ) -> tuple[float, tuple[str, ...], bool]:
        """Reads that go from `holder` to the `other` side of a many-to-many (with either entity or the
        junction in `with`, or junction rows looked up by `holder`'s foreign key)."""
        out = [p for p in self.on(holder) if p.is_read and resolve_with(self.schema, p) & {other, junction}]
        out += [p for p in self._via.get((holder, other, junction), ()) if p not in out]
        out += [p for p in self.on(junction) if p.is_read and self.by_parent_key(p, via)]
        return self._sum(out)
