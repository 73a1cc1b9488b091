"""Source type -> canonical type, with the rules read from `mappings/types.toml` (data, not code).

`TypeMapper.load()` reads and checks the rules once; `map()` accepts a sqlglot `exp.DataType` or plain
type text such as ``"character varying(20)"`` or ``"int(11) unsigned"`` (parsed with
`sqlglot.exp.DataType.build`), so DDL ingest and live introspection share one mapping.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from translator.errors import MappingError
from translator.mapdata import load_mapping, mapping_path
from translator.types import CanonicalType, TypeKind

__all__ = ["DEFAULT_MAPPING_FILE", "MappedType", "TypeRule", "TypeMapper"]

DEFAULT_MAPPING_FILE = mapping_path("types.toml")

_RULE_KEYS = {"kind", "bits", "precision", "scale", "length", "fixed", "with_timezone", "name", "identity"}
_INT_KEYS = ("bits", "precision", "scale", "length")
_BOOL_KEYS = ("fixed", "with_timezone", "identity")
_TYPE_NAMES = frozenset(t.name for t in exp.DataType.Type)


@dataclass(frozen=True, slots=True)
class TypeRule:
    """One rule of the mapping file: the canonical kind plus fixed parameters."""

    kind: TypeKind
    params: Mapping[str, Any] = field(default_factory=dict)
    identity: bool = False
    origin: str = ""


@dataclass(frozen=True, slots=True)
class MappedType:
    """The result of mapping one source type; `warning` is set when the type was not understood."""

    type: CanonicalType
    warning: str | None = None
    identity: bool = False


def _check_rule(where: str, key: str, raw: Any) -> TypeRule:
    if not isinstance(raw, dict):
        raise MappingError(f'{where}: rule {key!r} must be a table like {{ kind = "string" }}; got {raw!r}')
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise MappingError(
            f"{where}: rule {key!r} has unknown field(s) {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}"
        )
    raw_kind = raw.get("kind")
    try:
        if not isinstance(raw_kind, str):
            raise ValueError(raw_kind)
        kind = TypeKind(raw_kind)
    except ValueError:
        allowed = ", ".join(k.value for k in TypeKind)
        raise MappingError(
            f"{where}: rule {key!r} has unknown canonical kind {raw_kind!r}; use one of: {allowed}"
        ) from None
    for name in _INT_KEYS:
        if name in raw and (not isinstance(raw[name], int) or isinstance(raw[name], bool) or raw[name] < 0):
            raise MappingError(
                f"{where}: rule {key!r} field {name!r} must be a non-negative integer; got {raw[name]!r}"
            )
    for name in _BOOL_KEYS:
        if name in raw and not isinstance(raw[name], bool):
            raise MappingError(f"{where}: rule {key!r} field {name!r} must be true or false; got {raw[name]!r}")
    params = {k: v for k, v in raw.items() if k not in ("kind", "identity")}
    return TypeRule(kind, MappingProxyType(params), bool(raw.get("identity", False)), where)


def _read_rules(path: Path) -> dict[str, dict[str, TypeRule]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(
            f"type mapping file {str(path)!r} does not exist; pass an existing TOML file to --types"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: not valid TOML ({exc})") from None
    return _check_sections(path, data)


def _check_sections(path: Path, data: Mapping[str, Any]) -> dict[str, dict[str, TypeRule]]:
    sections: dict[str, dict[str, TypeRule]] = {}
    for section, rules in data.items():
        if not isinstance(rules, dict):
            raise MappingError(f"{path}: top-level key {section!r} must be a [section] of rules")
        checked = {}
        for key, raw in rules.items():
            if section == "default" and key not in _TYPE_NAMES:
                raise MappingError(f"{path}: [default] key {key!r} is not a sqlglot DataType.Type name")
            checked[key if key in _TYPE_NAMES else key.lower()] = _check_rule(f"{path} [{section}]", key, raw)
        sections[section] = checked
    return sections


def _param_ints(datatype: exp.DataType) -> list[int | None]:
    out: list[int | None] = []
    for param in datatype.expressions:
        if isinstance(param, exp.DataType):
            continue
        text = param.name if isinstance(param, (exp.DataTypeParam, exp.Literal)) else param.sql()
        digits = text.strip().split(" ")[0]
        out.append(int(digits) if digits.lstrip("-").isdigit() else None)
    return out


class TypeMapper:
    """Maps sqlglot data types (or type text) to canonical types using checked data rules."""

    def __init__(self, sections: Mapping[str, Mapping[str, TypeRule]]) -> None:
        self._sections = {name: dict(rules) for name, rules in sections.items()}
        self._default = self._sections.get("default", {})
        # sqlglot types hash and compare by structure, so one entry serves every column of the same type;
        # rendering a type's text is the costly part of a lookup on large dumps.
        self._cache: dict[tuple[str | None, exp.DataType | str], MappedType] = {}

    @classmethod
    def load(cls, overrides: str | Path | None = None, *, base: str | Path = DEFAULT_MAPPING_FILE) -> TypeMapper:
        """Read `base` (mappings/types.toml) and merge the `overrides` file over it, rule by rule."""
        if overrides is None and Path(base) == DEFAULT_MAPPING_FILE:
            return _default_mapper()
        sections = _read_rules(Path(base))
        if overrides is not None:
            for section, rules in _read_rules(Path(overrides)).items():
                sections.setdefault(section, {}).update(rules)
        return cls(sections)

    def rule_for(self, datatype: exp.DataType, dialect: str | None, source: str | None = None) -> TypeRule | None:
        """The rule for `datatype`: dialect rule by full text, by UDT name, by type name; then [default]."""
        dialect_rules = self._sections.get(dialect or "", {})
        type_name = datatype.this.name if isinstance(datatype.this, exp.DataType.Type) else None
        candidates = [(source if source is not None else datatype.sql(dialect=dialect)).lower()]
        if type_name == "USERDEFINED" or type_name is None:
            udt = datatype.args.get("kind") or datatype.this
            candidates.append(str(udt).split(".")[-1].strip('"`[]').lower())
        for key in candidates + ([type_name] if type_name else []):
            if key in dialect_rules:
                return dialect_rules[key]
        return self._default.get(type_name) if type_name else None

    def map(self, datatype: exp.DataType | str, dialect: str | None = None) -> tuple[CanonicalType, str | None]:
        """(canonical type, warning or None); an unknown type becomes `other` with its text, never an error."""
        mapped = self.map_full(datatype, dialect)
        return mapped.type, mapped.warning

    def map_full(self, datatype: exp.DataType | str, dialect: str | None = None) -> MappedType:
        """Like `map`, plus whether the type implies an identity column (serial types)."""
        key = (dialect, datatype)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._map_uncached(datatype, dialect)
        return cached

    def _map_uncached(self, datatype: exp.DataType | str, dialect: str | None) -> MappedType:
        if isinstance(datatype, str):
            source = datatype.strip()
            parsed = self._parse_text(source, dialect)
            if parsed is None:
                return self._unknown(source)
            datatype = parsed
        else:
            source = datatype.sql(dialect=dialect)
        rule = self.rule_for(datatype, dialect, source)
        if rule is None:
            return self._unknown(source)
        canonical = self._apply(rule, datatype, dialect).with_source(source)
        return MappedType(canonical, None, rule.identity)

    @staticmethod
    def _parse_text(text: str, dialect: str | None) -> exp.DataType | None:
        for udt in (False, True):
            try:
                return exp.DataType.build(text, dialect=dialect, udt=udt)
            except (ParseError, TokenError, ValueError):
                continue
        return None

    @staticmethod
    def _unknown(source: str) -> MappedType:
        return MappedType(
            CanonicalType(TypeKind.OTHER, name=source, source=source),
            f"type {source!r} has no rule in mappings/types.toml; kept as 'other' with its source text",
        )

    def _apply(self, rule: TypeRule, datatype: exp.DataType, dialect: str | None) -> CanonicalType:
        params = dict(rule.params)
        numbers = _param_ints(datatype)
        kind = rule.kind
        if kind in (TypeKind.STRING, TypeKind.BINARY) and numbers and numbers[0] is not None:
            params["length"] = numbers[0]
        elif kind is TypeKind.DECIMAL and numbers:
            params["precision"] = numbers[0]
            params["scale"] = numbers[1] if len(numbers) > 1 else (0 if numbers[0] is not None else None)
        values = tuple(e.name for e in datatype.expressions if isinstance(e, exp.Literal) and e.is_string)
        if kind is TypeKind.ENUM:
            params["values"] = values
        if kind is TypeKind.ARRAY:
            nested = next((e for e in datatype.expressions if isinstance(e, exp.DataType)), None)
            if nested is not None:
                params["element"] = self.map_full(nested, dialect).type
            else:
                # MySQL SET('a','b'): a set of enum values; anything else untyped is an array of other.
                params["element"] = (
                    CanonicalType(TypeKind.ENUM, values=values)
                    if values
                    else CanonicalType(TypeKind.OTHER, name="unknown")
                )
        return CanonicalType(kind, **params)

    def with_rule(self, section: str, key: str, rule: TypeRule) -> TypeMapper:
        """A copy with one more rule (for tests and library users adding a type programmatically)."""
        sections = {name: dict(rules) for name, rules in self._sections.items()}
        sections.setdefault(section, {})[key] = replace(rule)
        return TypeMapper(sections)


@functools.lru_cache(maxsize=1)
def _default_mapper() -> TypeMapper:
    # The shipped rules are parsed by the shared (cached) reader and checked once per process; a TypeMapper is
    # never mutated in place.
    return TypeMapper(_check_sections(DEFAULT_MAPPING_FILE, load_mapping(DEFAULT_MAPPING_FILE.name)))
