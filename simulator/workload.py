"""The little the simulator reads from a workload document: one entity's rows, attribute statistics
and access patterns. The document is a plain dict (the CLI parses the YAML); the full format and its
validation belong to the translator."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from simulator.errors import SimulatorError

__all__ = ["EntitySpec", "entity_spec"]


@dataclass(frozen=True)
class EntitySpec:
    """What to simulate for one entity."""

    name: str
    rows: int
    row_bytes: int
    attributes: dict[str, dict]
    patterns: tuple[tuple[str, tuple[str, ...]], ...]


def _attribute_stats(stats: dict, entity: str) -> dict[str, dict]:
    attrs = stats.get("attributes") or {}
    out: dict[str, dict] = {}
    for name, value in attrs.items():
        # Both "entity.attr: {...}" and "entity: {attr: {...}}" spell the same thing.
        if "." in str(name):
            ent, _, attr = str(name).partition(".")
            if ent == entity and isinstance(value, dict):
                out[attr] = value
        elif name == entity and isinstance(value, dict):
            out.update({a: v for a, v in value.items() if isinstance(v, dict)})
    return out


def _mapping(value: Any, where: str) -> dict:
    """`value` itself when it is a mapping; anything else is a one-line error, not an AttributeError later."""
    if not isinstance(value, dict):
        raise SimulatorError(f"{where} must be a mapping, got {type(value).__name__} {value!r:.40}")
    return value


def _positive_count(ent: dict, key: str, default: int, where: str) -> int:
    try:
        value = int(float(ent.get(key, default)))
    except (TypeError, ValueError, OverflowError):
        raise SimulatorError(f"{where}.{key} must be a number") from None
    if value < 1:
        raise SimulatorError(f"{where}.{key} must be >= 1")
    return value


def _optional_count(value: Any, where: str) -> float | None:
    """A count that may be missing. YAML 1.1 reads `1.0e6` (no sign in the exponent) as a string, so a
    numeric string counts as the number it spells."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SimulatorError(f"{where} must be a number, got {value!r:.40}") from None
    if not number >= 1 or number == float("inf"):
        raise SimulatorError(f"{where} must be a finite number >= 1, got {value!r:.40}")
    return number


def _most_common(raw: Any, where: str) -> list[tuple[Any, float]]:
    pairs = []
    for i, item in enumerate(raw or []):
        if isinstance(item, dict):
            value = item.get("value")
            freq = item.get("frequency", item.get("freq", item.get("count")))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            value, freq = item
        else:
            raise SimulatorError(f"{where}.most_common[{i}]: expected [value, frequency], got {item!r}")
        if not isinstance(freq, (int, float)) or freq < 0:
            raise SimulatorError(f"{where}.most_common[{i}]: frequency {freq!r} must be a number >= 0")
        pairs.append((value, float(freq)))
    return pairs


def entity_spec(doc: dict, entity: str | None, source: str = "workload") -> EntitySpec:
    """Rows, row size, attribute statistics and access patterns of `entity` (or the only candidate)."""
    if not isinstance(doc, dict):
        raise SimulatorError(f"{source}: expected a mapping at the top level")
    stats = _mapping(doc.get("statistics") or {}, f"{source}: statistics")
    entities = _mapping(stats.get("entities") or {}, f"{source}: statistics.entities")
    if not entities:
        raise SimulatorError(f"{source}: statistics.entities is missing; give rows per entity there")
    if entity is None:
        with_stats = [e for e in entities if _attribute_stats(stats, e)]
        if len(with_stats) != 1:
            raise SimulatorError(
                f"several entities could be simulated; choose one of {', '.join(with_stats or list(entities))}",
                "entity", None,
            )
        entity = with_stats[0]
    if entity not in entities:
        close = difflib.get_close_matches(entity, list(entities), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(entities)
        raise SimulatorError(f"not in {source} statistics.entities; {hint}", "entity", entity)
    where = f"{source}: statistics.entities.{entity}"
    ent = _mapping(entities[entity] or {}, where)
    rows = _positive_count(ent, "rows", 0, where)
    row_bytes = _positive_count(ent, "avg_row_bytes", 200, where)
    attributes = {}
    for attr, value in _attribute_stats(stats, entity).items():
        where = f"{source}: statistics.attributes.{entity}.{attr}"
        attributes[attr] = {"distinct": _optional_count(value.get("distinct"), f"{where}.distinct"),
                            "most_common": _most_common(value.get("most_common"), where)}
    patterns = []
    for i, ap in enumerate(doc.get("access_patterns") or []):
        if isinstance(ap, dict) and ap.get("entity") == entity:
            fields = tuple(ap.get("equality") or ())
            for f in fields + tuple(ap.get("range") or ()):
                attributes.setdefault(f, {})
            patterns.append((str(ap.get("id", f"pattern{i}")), fields))
    return EntitySpec(entity, rows, row_bytes, attributes, tuple(patterns))
