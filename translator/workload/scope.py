"""What one access pattern can name: its entity, the entities its `with` paths reach, and their attributes.

The loader builds a `PatternScope` per pattern; each method returns a resolved record or the one-line
reason it cannot (the loader files it as a problem at the item's path in the file).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from translator.ir import Entity, Schema
from translator.workload.model import AttributeRef, Hop
from translator.workload.paths import (
    PathProblem,
    _segmentations,
    path_spec,
    resolve_spec,
    split_spec,
)
from translator.workload.validate import resolve_attribute, suggest

__all__ = ["PatternScope"]


@dataclass
class PatternScope:
    schema: Schema
    entity: Entity
    pattern_id: str | None
    #: (raw spec, path) per accepted `with` entry, in file order.
    withs: list[tuple[str, tuple[Hop, ...]]] = field(default_factory=list)

    def _named(self, specs: list[str], skip: int) -> set[str]:
        """Entity keys named anywhere in the `with` specs other than number `skip`."""
        out: set[str] = set()
        for i, spec in enumerate(specs):
            if i != skip:
                out |= {s.entity.key for reading in _segmentations(self.schema, split_spec(spec)) for s in reading}
        return out

    def _who(self) -> str:
        return f"pattern {self.pattern_id!r}: " if self.pattern_id else ""

    def add_withs(self, specs: list[str]) -> list[str | None]:
        """Resolve every `with` spec; per spec None (accepted) or the reason it is refused."""
        out: list[str | None] = []
        for i, spec in enumerate(specs):
            try:
                path = resolve_spec(self.schema, self.entity.key, spec, self._named(specs, i))
            except PathProblem as problem:
                out.append(f"{self._who()}{problem}")
                continue
            end = path[-1].target if path else self.entity.key
            # The same entity twice is allowed only along different paths (a flight's origin and destination
            # airports, each through its own foreign key); the same path twice says nothing new.
            if end == self.entity.key or path in self.paths:
                out.append(f"entity {end!r} is already part of this pattern")
                continue
            self.withs.append((spec, path))
            out.append(None)
        return out

    @property
    def ends(self) -> tuple[str, ...]:
        return tuple(path[-1].target for _, path in self.withs)

    @property
    def paths(self) -> tuple[tuple[Hop, ...], ...]:
        return tuple(path for _, path in self.withs)

    def _along(self) -> list[tuple[str, tuple[Hop, ...]]]:
        """Every entity on the `with` paths with the path to it (ends and intermediates, first seen first)."""
        seen: dict[tuple[str, tuple[Hop, ...]], None] = {}
        for _, path in self.withs:
            for k in range(1, len(path) + 1):
                seen[(path[k - 1].target, path[:k])] = None
        return list(seen)

    def attribute(self, name: str) -> AttributeRef | str:
        """`name` bare or qualified, as an `AttributeRef` with its path; else the reason (one line)."""
        own = self.entity.find_attribute(name)
        if own is not None:
            return AttributeRef(self.entity.key, own.name)
        tokens = split_spec(name)
        if len(tokens) == 1:
            return self._bare(name)
        attribute, prefix = tokens[-1], ".".join(tokens[:-1])
        try:
            entity, path = self._locate(prefix)
        except PathProblem as problem:
            return f"{self._who()}{problem}"
        if entity is None:
            reason = resolve_attribute(self.schema, name, ())
            return reason if isinstance(reason, str) else f"{self._who()}{prefix!r} names no entity of this pattern"
        found = entity.find_attribute(attribute)
        if found is None:
            return (
                f"unknown attribute {attribute!r} of entity {entity.key!r}{suggest(attribute, entity.attribute_names)}"
            )
        return AttributeRef(entity.key, found.name, path)

    def _bare(self, name: str) -> AttributeRef | str:
        matches = []
        for key, path in self._along():
            entity = self.schema.entity(key)
            found = entity.find_attribute(name)
            if found is not None:
                matches.append(AttributeRef(key, found.name, path))
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = ", ".join(f"{path_spec(self.schema, m.path)}.{m.attribute}" for m in matches)
            return (
                f"{self._who()}attribute {name!r} is on {len(matches)} entities along the with paths; "
                f"write one of {options}"
            )
        scope = [self.entity, *(self.schema.entity(k) for k in dict.fromkeys(k for k, _ in self._along()))]
        reason = resolve_attribute(self.schema, name, scope)
        return reason if isinstance(reason, str) else f"unknown attribute {name!r}"

    def _locate(self, prefix: str) -> tuple[Entity | None, tuple[Hop, ...]]:
        """The entity a qualified attribute's prefix names, and the path to it from the pattern's entity."""
        readings = _segmentations(self.schema, split_spec(prefix))
        if not readings:
            return None, ()
        along = self._along()
        for reading in readings:
            if len(reading) != 1 or reading[0].qualifier is not None:
                continue
            key = reading[0].entity.key
            if key == self.entity.key:
                return reading[0].entity, ()
            if key in self.ends:  # a with entry's end: the path that entry names
                return reading[0].entity, self.withs[self.ends.index(key)][1]
            known = [path for k, path in along if k == key]
            if len(known) == 1:
                return reading[0].entity, known[0]
            if known:
                options = ", ".join(path_spec(self.schema, p) for p in known)
                raise PathProblem(
                    f"{key!r} is on several with paths ({options}); qualify the attribute with one of them"
                )
        path = resolve_spec(self.schema, self.entity.key, prefix, {k for k, _ in along})
        end = path[-1].target if path else self.entity.key
        return self.schema.entity(end), path
