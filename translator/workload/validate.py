"""Validation helpers for workload files: collect every problem with its path in the file, then raise once.

A problem's path is written the way a user finds it in the YAML (`access_patterns[3].equality[0]`);
the line number comes from the YAML node, so editors can jump to it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from translator.errors import WorkloadError
from translator.ir import Attribute, Entity, Schema

_EXPONENT = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+$")

__all__ = ["Problem", "InvalidWorkload", "Problems", "read_yaml", "suggest", "require_schema"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a workload file."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line else self.path
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


class InvalidWorkload(WorkloadError):
    """A workload file with problems; `str()` is one line, `.problems` the structured list."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source}: {count} {noun}: " + "; ".join(str(p) for p in self.problems))


def require_schema(schema: Any, caller: str) -> Schema:
    """`schema` if it is a `Schema`; else a TypeError naming `caller`'s argument (a dict or a path is a common slip)."""
    if not isinstance(schema, Schema):
        raise TypeError(f"{caller}(schema=...) needs a translator.ir.Schema, got {type(schema).__name__}")
    return schema


def suggest(wanted: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the closest candidate (case-insensitive), or an empty string."""
    names = list(dict.fromkeys(candidates))
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean {folded[close[0]]!r}?" if close else ""


@dataclass
class Problems:
    """Collects problems while a file is checked; `lines` maps a path to its line in the YAML text."""

    source: str
    lines: dict[str, int] = field(default_factory=dict)
    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append(Problem(path, message, self._line(path)))

    def _line(self, path: str) -> int | None:
        # A missing key has no node: report the line of the closest enclosing one.
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidWorkload(self.source, self.items)

    # --- typed readers: each returns a clean value or None after recording why ---------------------

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add(path, f"expected a mapping (key: value lines), got {_kind(value)} {_show(value)}")
        return None

    def keys(self, data: dict[str, Any], path: str, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        for key in data:
            if not isinstance(key, str) or key not in allowed:
                self.add(
                    _join(path, str(key)),
                    f"unknown key {key!r}{suggest(str(key), allowed) or '; allowed: ' + ', '.join(allowed)}",
                )
        for key in required:
            if key not in data:
                self.add(path, f"missing required key {key!r}")

    def text(self, value: Any, path: str, *, allow_int: bool = False) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.add(path, f"expected a non-empty string, got {_kind(value)} {_show(value)}")
        return None

    def names(self, value: Any, path: str) -> list[tuple[str, str]]:
        """A list of names (a single string counts as a one-element list): [(path, name)]."""
        if value is None:
            return []
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.add(path, f"expected a list of names, got {_kind(value)} {_show(value)}")
            return []
        out = []
        for i, item in enumerate(items):
            item_path = path if isinstance(value, str) else f"{path}[{i}]"
            name = self.text(item, item_path)
            if name is not None:
                out.append((item_path, name))
        return out

    def number(self, value: Any, path: str, *, positive: bool = False, integer: bool = False) -> float | None:
        if isinstance(value, str) and _EXPONENT.match(value.strip()) and not integer:
            # PyYAML follows YAML 1.1, which reads 5.0e7 (no sign in the exponent) as text: take it as the number it is.
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {_kind(value)} {_show(value)}")
            return None
        if integer and not isinstance(value, int):
            self.add(path, f"expected a whole number, got {value!r}")
            return None
        if not math.isfinite(value):
            self.add(path, f"expected a finite number, got {value!r}")
            return None
        if positive and value <= 0:
            self.add(path, f"must be greater than 0, got {value!r}")
            return None
        if value < 0:
            self.add(path, f"must not be negative, got {value!r}")
            return None
        return value

    def flag(self, value: Any, path: str) -> bool:
        if isinstance(value, bool):
            return value
        self.add(path, f"expected true or false, got {_kind(value)} {_show(value)}")
        return False

    # --- schema lookups ------------------------------------------------------------------------------

    def entity(self, schema: Schema, name: str, path: str) -> Entity | None:
        found = schema.find_entity(name)
        if found is not None:
            return found
        same = [e.key for e in schema.entities if e.name.casefold() == name.casefold()]
        if len(same) > 1:
            self.add(
                path, f"entity {name!r} is ambiguous: it matches {', '.join(sorted(same))}; write the qualified name"
            )
        else:
            candidates = [e.name for e in schema.entities] + [e.key for e in schema.entities]
            self.add(path, f"unknown entity {name!r}{suggest(name, candidates)}")
        return None


def resolve_attribute(schema: Schema, ref: str, scope: Sequence[Entity]) -> tuple[Entity, Attribute] | str:
    """Resolve `ref` (bare in `scope` order, or `entity.attribute`); on failure the reason with a suggestion."""
    for entity in scope:
        found = entity.find_attribute(ref)
        if found is not None:
            return entity, found
    # `entity.attribute`, where entity may itself be `namespace.name`: try every dot from the right.
    qualified_entity: Entity | None = None
    for cut in [i for i, ch in enumerate(ref) if ch == "."][::-1]:
        candidate = schema.find_entity(ref[:cut])
        if candidate is None:
            continue
        found = candidate.find_attribute(ref[cut + 1 :])
        if found is not None:
            return candidate, found
        qualified_entity = qualified_entity or candidate
    if qualified_entity is not None:
        attr = (
            ref[len(qualified_entity.key) + 1 :]
            if ref.startswith(qualified_entity.key + ".")
            else ref.rsplit(".", 1)[1]
        )
        hint = suggest(attr, qualified_entity.attribute_names)
        return f"unknown attribute {attr!r} of entity {qualified_entity.key!r}{hint}"
    if scope:
        owner = scope[0].key if len(scope) == 1 else " or ".join(repr(e.key) for e in scope)
        owner = repr(owner) if len(scope) == 1 else owner
        pool = [a for e in scope for a in e.attribute_names]
        return f"unknown attribute {ref!r} of entity {owner}{suggest(ref, pool)}"
    entity_part = ref.rsplit(".", 1)[0] if "." in ref else ref
    return f"unknown entity {entity_part!r} in {ref!r}{suggest(entity_part, [e.name for e in schema.entities])}"


def read_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML safely; return the data and a map path -> line. Duplicate keys are problems, not overwrites."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InvalidWorkload(source, [Problem("", f"not valid YAML{where}: {reason}")]) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    duplicates: list[Problem] = []
    if node is not None:
        _walk(node, "", lines, duplicates)
    if duplicates:
        raise InvalidWorkload(source, duplicates)
    return data, lines


def _walk(node: yaml.Node, path: str, lines: dict[str, int], duplicates: list[Problem]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = _join(path, key)
            if key in seen:
                duplicates.append(
                    Problem(
                        child,
                        f"duplicate key {key!r} (YAML would silently keep only the last)",
                        key_node.start_mark.line + 1,
                    )
                )
            seen.add(key)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _walk(value_node, child, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", lines, duplicates)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "a boolean", type(None): "nothing"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "\u2026"
