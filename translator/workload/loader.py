"""Workload files (YAML, version 1): read, check against a schema, and turn into `Workload` records.

Every problem in a file is collected before anything is raised, so one run lists them all; see
docs/workload.md for the format and the messages.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from translator.ir import Entity, Schema
from translator.workload.defaults import default_patterns, default_workload
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    AttributeStats,
    Direction,
    EntityStats,
    OrderTerm,
    PatternKind,
    RelationshipStats,
    Statistics,
    Workload,
)
from translator.workload.scope import PatternScope
from translator.workload.validate import (
    InvalidWorkload,
    Problem,
    Problems,
    read_yaml,
    require_schema,
    resolve_attribute,
    suggest,
)

__all__ = [
    "SUPPORTED_VERSIONS",
    "load_workload",
    "parse_workload",
    "parse_statistics",
    "default_workload",
    "statistics_to_dict",
    "InvalidWorkload",
    "Problem",
]

SUPPORTED_VERSIONS = (1,)
_TOP_KEYS = ("version", "tenant", "access_patterns", "statistics")
_PATTERN_KEYS = (
    "id",
    "description",
    "kind",
    "entity",
    "with",
    "equality",
    "range",
    "order_by",
    "limit",
    "rate",
    "assumed",
    "admin",
)
_ORDER_KEYS = ("attribute", "direction")
_STATS_KEYS = ("entities", "relationships", "attributes")
_ENTITY_KEYS = ("rows", "avg_row_bytes", "assumed")
_REL_KEYS = ("avg", "p99", "max", "assumed")
_ATTR_KEYS = ("distinct", "most_common", "assumed")


def load_workload(path: str | Path | None, schema: Schema) -> Workload:
    """The workload in the YAML file at `path`, checked against `schema`; None -> `default_workload(schema)`."""
    require_schema(schema, "load_workload")
    if path is None:
        return default_workload(schema)
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InvalidWorkload(source, [Problem("", f"cannot read the workload file: {reason}")]) from None
    data, lines = read_yaml(text, source)
    return _parse(data, schema, Problems(source, lines))


def parse_workload(mapping: Any, schema: Schema, source: str = "<workload>") -> Workload:
    """Check an already-parsed workload mapping (e.g. from `yaml.safe_load`) against `schema`."""
    require_schema(schema, "parse_workload")
    return _parse(mapping, schema, Problems(source))


def parse_statistics(mapping: Any, schema: Schema, source: str = "<statistics>") -> Statistics:
    """Check a `statistics` mapping alone (the form `statistics_to_dict` writes) against `schema`."""
    require_schema(schema, "parse_statistics")
    problems = Problems(source)
    stats = _statistics(mapping, schema, problems, "statistics")
    problems.raise_if_any()
    return stats


def _parse(data: Any, schema: Schema, problems: Problems) -> Workload:
    if data is None:
        data = {}
    top = problems.mapping(data, "")
    if top is None:
        problems.raise_if_any()
    assert top is not None
    problems.keys(top, "", _TOP_KEYS, required=("version",))
    version = top.get("version")
    if "version" in top and (isinstance(version, bool) or version not in SUPPORTED_VERSIONS):
        problems.add(
            "version",
            f"unsupported version {version!r}; this polyschema reads version "
            + ", ".join(map(str, SUPPORTED_VERSIONS)),
        )
    if "access_patterns" in top:
        patterns = _patterns(top["access_patterns"], schema, problems)
    else:  # a statistics-only file (as `inspect --write-stats` writes): the assumed patterns still apply
        patterns = default_patterns(schema)
    statistics = _statistics(top.get("statistics"), schema, problems, "statistics")
    tenant = _tenant(top["tenant"], schema, problems) if top.get("tenant") is not None else None
    problems.raise_if_any()
    return Workload(access_patterns=patterns, statistics=statistics, source=problems.source, tenant=tenant)


def _tenant(value: Any, schema: Schema, problems: Problems) -> str | None:
    """`tenant: tenant_id`: an attribute name that some entity holds (the tenant column of those entities)."""
    name = problems.text(value, "tenant")
    if name is None:
        return None
    holders = [a.name for e in schema.entities if (a := e.find_attribute(name)) is not None]
    if not holders:
        names = [a for e in schema.entities for a in e.attribute_names]
        problems.add(
            "tenant",
            f"no entity has an attribute {name!r}{suggest(name, names)}; "
            "name the column that holds the tenant in every tenant-scoped table",
        )
        return None
    return holders[0]


def _patterns(value: Any, schema: Schema, problems: Problems) -> tuple[AccessPattern, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(
            "access_patterns",
            f"expected a list of access patterns (lines starting with '-'), got {type(value).__name__}",
        )
        return ()
    out: list[AccessPattern] = []
    first_seen: dict[str, int] = {}
    for i, item in enumerate(value):
        path = f"access_patterns[{i}]"
        pattern = _pattern(item, schema, problems, path)
        # Checked on the raw id, so a duplicate is reported even when the pattern has other problems.
        raw_id = item.get("id") if isinstance(item, dict) else None
        pattern_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None
        if pattern_id and pattern_id in first_seen:
            problems.add(
                f"{path}.id", f"duplicate id {pattern_id!r} (first used by access_patterns[{first_seen[pattern_id]}])"
            )
            continue
        if pattern_id:
            first_seen[pattern_id] = i
        if pattern is not None:
            out.append(pattern)
    return tuple(out)


def _pattern(item: Any, schema: Schema, problems: Problems, path: str) -> AccessPattern | None:
    data = problems.mapping(item, path)
    if data is None:
        return None
    before = len(problems.items)
    problems.keys(data, path, _PATTERN_KEYS, required=("id", "entity"))
    pattern_id = problems.text(data["id"], f"{path}.id", allow_int=True) if "id" in data else None
    kind = PatternKind.READ
    if "kind" in data:
        raw = data["kind"]
        try:
            if not isinstance(raw, str):
                raise ValueError(raw)
            kind = PatternKind(raw.strip().lower())
        except ValueError:
            choices = [k.value for k in PatternKind]
            problems.add(
                f"{path}.kind",
                f"unknown kind {raw!r}{suggest(str(raw), choices) or '; choose one of: ' + ', '.join(choices)}",
            )
    description = data.get("description") or ""
    if not isinstance(description, str):
        problems.add(f"{path}.description", f"expected text, got {description!r}")
        description = ""
    entity = None
    if "entity" in data:
        name = problems.text(data["entity"], f"{path}.entity")
        entity = problems.entity(schema, name, f"{path}.entity") if name else None
    scope = PatternScope(schema, entity, pattern_id) if entity is not None else None
    with_items = problems.names(data.get("with"), f"{path}.with")
    if scope is not None:
        for (item_path, _), reason in zip(with_items, scope.add_withs([n for _, n in with_items]), strict=True):
            if reason is not None:
                problems.add(item_path, reason)

    def ref(item_path: str, name: str) -> AttributeRef | None:
        if scope is None:  # the entity's own problem is reported; guessing the attribute would only add noise
            return None
        resolved = scope.attribute(name)
        if isinstance(resolved, str):
            problems.add(item_path, resolved)
            return None
        return resolved

    equality = [r for p, n in problems.names(data.get("equality"), f"{path}.equality") if (r := ref(p, n))]
    ranges = problems.names(data.get("range"), f"{path}.range")
    if len(ranges) > 1:
        problems.add(
            f"{path}.range",
            f"{len(ranges)} range attributes ({', '.join(n for _, n in ranges)}); a pattern "
            "compares at most one attribute with <, <=, >, >= or BETWEEN: move the others to equality or drop them",
        )
    range_ref = ref(*ranges[0]) if len(ranges) == 1 else None
    order_by = _order_by(data.get("order_by"), f"{path}.order_by", problems, ref)
    limit = None
    if data.get("limit") is not None:
        number = problems.number(data["limit"], f"{path}.limit", positive=True, integer=True)
        limit = int(number) if number is not None else None
    rate = 1.0
    if "rate" in data:
        number = problems.number(data["rate"], f"{path}.rate", positive=True)
        rate = float(number) if number is not None else rate
    assumed = problems.flag(data["assumed"], f"{path}.assumed") if "assumed" in data else False
    admin = problems.flag(data["admin"], f"{path}.admin") if "admin" in data else False
    if len(problems.items) > before or pattern_id is None or entity is None or scope is None:
        return None
    return AccessPattern(
        id=pattern_id,
        entity=entity.key,
        kind=kind,
        description=description,
        with_=scope.ends,
        equality=tuple(equality),
        range=range_ref,
        order_by=tuple(order_by),
        limit=limit,
        rate=rate,
        assumed=assumed,
        paths=scope.paths,
        admin=admin,
    )


def _order_by(value: Any, path: str, problems: Problems, ref: Any) -> list[OrderTerm]:
    if value is None:
        return []
    items = [value] if isinstance(value, (str, dict)) else value
    if not isinstance(items, list):
        problems.add(path, f'expected a list of "attribute [asc|desc]" or {{attribute, direction}}, got {value!r}')
        return []
    terms = []
    for i, item in enumerate(items):
        item_path = path if not isinstance(value, list) else f"{path}[{i}]"
        if isinstance(item, dict):
            problems.keys(item, item_path, _ORDER_KEYS, required=("attribute",))
            name = problems.text(item.get("attribute"), f"{item_path}.attribute") if "attribute" in item else None
            direction = item.get("direction", "asc")
        elif isinstance(item, str) and item.strip():
            name, direction = item.strip(), "asc"
            head, _, tail = name.rpartition(" ")
            if head and tail.lower() in ("asc", "desc"):
                name, direction = head.strip(), tail
        else:
            problems.add(
                item_path, f'expected "attribute", "attribute asc|desc" or {{attribute, direction}}, got {item!r}'
            )
            continue
        if not isinstance(direction, str) or direction.lower() not in ("asc", "desc"):
            problems.add(item_path, f"direction {direction!r} is neither asc nor desc")
            continue
        if name and (resolved := ref(item_path, name)):
            terms.append(OrderTerm(resolved, Direction(direction.lower())))
    return terms


def _statistics(value: Any, schema: Schema, problems: Problems, path: str) -> Statistics:
    if value is None:
        return Statistics()
    data = problems.mapping(value, path)
    if data is None:
        return Statistics()
    problems.keys(data, path, _STATS_KEYS)
    entities: dict[str, EntityStats] = {}
    for key, body, item_path in _section(data, "entities", path, problems):
        entity = problems.entity(schema, key, item_path)
        fields = _fields(body, item_path, problems, _ENTITY_KEYS, ("rows",))
        if entity is None or fields is None:
            continue
        rows, size = fields.get("rows"), fields.get("avg_row_bytes")
        if size is not None and size <= 0:
            problems.add(f"{item_path}.avg_row_bytes", f"must be greater than 0, got {size!r}")
        elif _unique_key(entities, entity.key, item_path, problems) and rows is not None:
            entities[entity.key] = EntityStats(
                rows=float(rows),
                avg_row_bytes=None if size is None else float(size),
                assumed=fields.get("assumed", False),
            )
    relationships: dict[str, RelationshipStats] = {}
    for key, body, item_path in _section(data, "relationships", path, problems):
        target = _attribute_key(schema, key, item_path, problems)
        fields = _fields(body, item_path, problems, _REL_KEYS, ("avg",))
        if target is None or fields is None:
            continue
        entity, attribute = target
        if not any(r.from_entity == entity.key and attribute in r.from_attributes for r in schema.relationships):
            fks = sorted(
                {
                    f"{entity.name}.{a}"
                    for r in schema.relationships
                    if r.from_entity == entity.key
                    for a in r.from_attributes
                }
            )
            problems.add(
                item_path,
                f"{entity.key}.{attribute} is not a foreign-key attribute; relationships are keyed "
                f'"child.fk_attribute"{" such as " + ", ".join(fks) if fks else " and this entity has no foreign key"}',
            )
            continue
        avg, p99, top = fields.get("avg"), fields.get("p99"), fields.get("max")
        bad = [
            f"{n} {v!r} > max {top!r}"
            for n, v in (("avg", avg), ("p99", p99))
            if v is not None and top is not None and v > top
        ]
        if bad:
            problems.add(item_path, "; ".join(bad) + " (max is the largest number of children of one parent)")
        elif _unique_key(relationships, f"{entity.key}.{attribute}", item_path, problems) and avg is not None:
            relationships[f"{entity.key}.{attribute}"] = RelationshipStats(
                avg=float(avg), p99=_float(p99), max=_float(top), assumed=fields.get("assumed", False)
            )
    attributes: dict[str, AttributeStats] = {}
    for key, body, item_path in _section(data, "attributes", path, problems):
        target = _attribute_key(schema, key, item_path, problems)
        fields = _fields(body, item_path, problems, _ATTR_KEYS, ())
        if target is None or fields is None:
            continue
        common = _most_common(body.get("most_common"), f"{item_path}.most_common", problems)
        name = f"{target[0].key}.{target[1]}"
        if common is not None and _unique_key(attributes, name, item_path, problems):
            attributes[name] = AttributeStats(
                distinct=_float(fields.get("distinct")), most_common=common, assumed=fields.get("assumed", False)
            )
    return Statistics(entities=entities, relationships=relationships, attributes=attributes)


def _section(data: dict[str, Any], name: str, path: str, problems: Problems):
    value = data.get(name)
    if value is None:
        return
    section = problems.mapping(value, f"{path}.{name}")
    for key, body in (section or {}).items():
        item_path = f"{path}.{name}.{key}"
        if isinstance(key, str) and key.strip():
            yield key.strip(), body, item_path
        else:
            problems.add(item_path, f'expected an entity or "entity.attribute" name as key, got {key!r}')


def _fields(
    body: Any, path: str, problems: Problems, allowed: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, Any] | None:
    data = problems.mapping(body, path)
    if data is None:
        return None
    problems.keys(data, path, allowed, required)
    out: dict[str, Any] = {}
    for key in allowed:
        if key not in data or key == "most_common" or data[key] is None and key not in required:
            continue
        if key == "assumed":
            out[key] = problems.flag(data[key], f"{path}.{key}")
        else:
            out[key] = problems.number(data[key], f"{path}.{key}")
    return out


def _attribute_key(schema: Schema, key: str, path: str, problems: Problems) -> tuple[Entity, str] | None:
    if "." not in key:
        problems.add(path, f'expected "entity.attribute", got {key!r}')
        return None
    resolved = resolve_attribute(schema, key, ())
    if isinstance(resolved, str):
        problems.add(path, resolved)
        return None
    return resolved[0], resolved[1].name


def _most_common(value: Any, path: str, problems: Problems) -> tuple[tuple[Any, float], ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(path, f"expected a list of [value, frequency] pairs, got {value!r}")
        return None
    pairs = []
    for i, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2 and not isinstance(pair[0], (list, dict))):
            problems.add(f"{path}[{i}]", f"expected [value, frequency], got {pair!r}")
            continue
        freq = problems.number(pair[1], f"{path}[{i}][1]")
        if freq is not None and freq > 1:
            problems.add(f"{path}[{i}][1]", f"a frequency is a fraction of rows between 0 and 1, got {freq!r}")
        elif freq is not None:
            pairs.append((pair[0], float(freq)))
    if sum(f for _, f in pairs) > 1 + 1e-6:
        problems.add(path, f"frequencies add up to {sum(f for _, f in pairs):.4g}, more than 1 (all rows)")
    return tuple(pairs) if len(pairs) == len(value) else None


def _unique_key(seen: dict[str, Any], key: str, path: str, problems: Problems) -> bool:
    if key in seen:
        problems.add(path, f"{key!r} is given twice (another spelling of the same name came first)")
        return False
    return True


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def statistics_to_dict(stats: Statistics) -> dict[str, Any]:
    """`stats` as a workload file's `statistics` mapping (YAML- and JSON-safe; `parse_statistics` reads it back)."""
    if not isinstance(stats, Statistics):
        raise TypeError(f"statistics_to_dict(stats=...) needs a Statistics, got {type(stats).__name__}")

    def clean(record: dict[str, Any], assumed: bool) -> dict[str, Any]:
        out = {k: _plain(v) for k, v in record.items() if v is not None and v != ()}
        if assumed:
            out["assumed"] = True
        return out

    return {
        "entities": {
            k: clean({"rows": v.rows, "avg_row_bytes": v.avg_row_bytes}, v.assumed) for k, v in stats.entities.items()
        },
        "relationships": {
            k: clean({"avg": v.avg, "p99": v.p99, "max": v.max}, v.assumed) for k, v in stats.relationships.items()
        },
        "attributes": {
            k: clean(
                {"distinct": v.distinct, "most_common": [[_plain(val), float(f)] for val, f in v.most_common] or None},
                v.assumed,
            )
            for k, v in stats.attributes.items()
        },
    }


def _plain(value: Any) -> Any:
    """A value YAML's safe dumper and JSON both write: numbers, text, booleans, None; anything else as text."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return str(value)
