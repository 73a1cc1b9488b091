"""Deterministic workloads of read patterns along real relationship paths, for the design benchmarks.

Each pattern starts at an entity and walks 1..3 steps along the schema's relationships (foreign keys
either way, many-to-many links), preferring steps to children for half the patterns and steps to
parents for the other half; it returns the end of the walk (`with`, as a dotted path) and compares
attributes of the entity and of entities on the walk (equality, at most one range, order_by led by the
range). Steps are the only ones between their two entities and no entity is visited twice, so each
path has exactly one reading. The walk and filters come from a seeded `numpy.random.Generator`, so a
seed gives the same workload on every run. Patterns go through `parse_workload`, the route a workload
file takes; any it refuses are dropped and counted, never silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from translator.ir import Schema
from translator.types import TypeKind
from translator.workload import Workload, parse_workload
from translator.workload.model import Hop
from translator.workload.paths import hops_between, hops_from, path_spec
from translator.workload.validate import InvalidWorkload

__all__ = ["GeneratedWorkload", "path_workload"]

#: the kinds a range (<, BETWEEN) or an ORDER BY compares meaningfully
ORDERABLE = frozenset(
    {TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.FLOAT, TypeKind.STRING, TypeKind.DATE, TypeKind.TIMESTAMP}
)
MAX_LENGTH = 3
_INDEX = re.compile(r"^access_patterns\[(\d+)\]")


@dataclass(frozen=True)
class GeneratedWorkload:
    workload: Workload
    #: steps per accepted pattern (its path length), in pattern order
    lengths: tuple[int, ...]
    #: steps to children (to-many) and to parents over all accepted patterns
    child_steps: int
    parent_steps: int
    #: patterns the workload loader refused (problem messages), counted and shown by the benchmark
    refused: tuple[str, ...]

    @property
    def units(self) -> int:
        """Patterns x path length, summed: the size linear growth is measured against."""
        return sum(self.lengths)


def path_workload(schema: Schema, count: int, seed: int = 0) -> GeneratedWorkload:
    """`count` read patterns along paths of length 1..3 (fewer when the loader refuses some)."""
    rng = np.random.default_rng(seed)
    starts = sorted(e.key for e in schema.entities if _steps(schema, e.key, frozenset()))
    if not starts:
        raise ValueError(f"schema of {len(schema.entities)} entities has no relationships to walk along")
    specs, paths = [], []
    while len(specs) < count:
        want_children = len(specs) % 2 == 0
        path = _walk(schema, rng, starts[int(rng.integers(len(starts)))], int(rng.integers(1, MAX_LENGTH + 1)),
                     want_children)
        specs.append(_pattern(schema, rng, f"path{len(specs)}", path))
        paths.append(path)
    refused: list[str] = []
    while True:
        try:
            workload = parse_workload({"version": 1, "access_patterns": specs}, schema, source="<generated>")
            break
        except InvalidWorkload as error:
            bad = {int(m[1]) for p in error.problems if (m := _INDEX.match(p.path))}
            if not bad:
                raise
            refused += [f"{p.path}: {p.message}" for p in error.problems]
            specs = [s for i, s in enumerate(specs) if i not in bad]
            paths = [p for i, p in enumerate(paths) if i not in bad]
    hops = [hop for path in paths for hop in path]
    children = sum(hop.to_many for hop in hops)
    return GeneratedWorkload(workload, tuple(len(p) for p in paths), children, len(hops) - children, tuple(refused))


def _steps(schema: Schema, here: str, visited: frozenset[str]) -> list[Hop]:
    """Steps from `here` that read back unambiguously and visit no entity (nor junction) twice."""
    return [
        hop
        for hop in hops_from(schema, here)
        if hop.target not in visited
        and (hop.via is None or hop.via not in visited)
        and len(hops_between(schema, here, hop.target)) == 1
    ]


def _walk(schema: Schema, rng: np.random.Generator, start: str, length: int, want_children: bool) -> tuple[Hop, ...]:
    path: list[Hop] = []
    visited = frozenset({start})
    while len(path) < length:
        steps = _steps(schema, path[-1].target if path else start, visited)
        preferred = [hop for hop in steps if hop.to_many == want_children] or steps
        if not preferred:
            break
        hop = preferred[int(rng.integers(len(preferred)))]
        path.append(hop)
        visited |= {hop.target, *([hop.via] if hop.via else [])}
    return tuple(path)


def _pattern(schema: Schema, rng: np.random.Generator, pattern_id: str, path: tuple[Hop, ...]) -> dict[str, Any]:
    """One pattern in workload-file form: equality on one place, sometimes a range and an order."""
    start = path[0].source
    # (prefix a workload file writes before an attribute, entity) for the start and each step of the walk
    places = [("", start)] + [(path_spec(schema, path[:k]) + ".", path[k - 1].target) for k in range(1, len(path) + 1)]

    def attributes(orderable: bool) -> list[str]:
        prefix, entity = places[int(rng.integers(len(places)))]
        names = [a.name for a in schema.entity(entity).attributes if not orderable or a.type.kind in ORDERABLE]
        return [prefix + name for name in names]

    equality = attributes(False)
    spec: dict[str, Any] = {
        "id": pattern_id,
        "entity": start,
        "with": [path_spec(schema, path)],
        "equality": [equality[int(rng.integers(len(equality)))]] if equality else [],
        "rate": float(rng.integers(1, 1000)),
    }
    orderable = [name for name in attributes(True) if name not in spec["equality"]]
    if orderable and rng.random() < 0.5:
        spec["range"] = [orderable[int(rng.integers(len(orderable)))]]
    if orderable and rng.random() < 0.5:
        lead = spec["range"][0] if "range" in spec else orderable[int(rng.integers(len(orderable)))]
        spec["order_by"] = [f"{lead} {'desc' if rng.random() < 0.5 else 'asc'}"]
        spec["limit"] = int(rng.integers(1, 100))
    return spec
