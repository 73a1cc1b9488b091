"""Every access pattern -> GetItem / Query (or a write operation) on the table or a GSI, with its key
condition, placeholders bound to the pattern's attributes, and ExpressionAttributeNames for names that
cannot appear bare. A pattern no key can serve is flagged with the reason, never dropped.

A path (table key or GSI key) serves a read when its partition parts are all equality attributes, the
other equality attributes are the leading sort parts, and the range / order attribute is the next sort
part. New GSIs are added for patterns no path serves, overloaded: an entity takes the lowest-numbered
GSI it does not use yet, so different entities share `GSI1PK`/`GSI1SK`.
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Schema
from translator.targets.dynamodb.keys import gsi_shape
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import (
    KeyPath,
    KeyTemplate,
    PatternPlan,
    ValueBinding,
)
from translator.targets.record import Decision
from translator.workload.model import AccessPattern, Direction, PatternKind

__all__ = ["Match", "add_gsi_path", "match_path", "plan_patterns"]

_WRITE_OPS = {PatternKind.WRITE: "PutItem", PatternKind.UPDATE: "UpdateItem", PatternKind.DELETE: "DeleteItem"}


@dataclass(frozen=True, slots=True)
class Match:
    path: KeyPath
    k: int  # how many leading sort parts are fixed by equality
    full: bool  # the equality fixes the whole key


def match_path(pattern: AccessPattern, path: KeyPath) -> Match | None:
    eq = [r.attribute for r in pattern.equality]
    fixed = set(path.partition.parts)
    if not fixed or not fixed <= set(eq):
        return None
    rest = [c for c in eq if c not in fixed]
    sort = path.sort.parts
    # Leading sort parts bound by the equality (a part may repeat a partition part: an entity in its own
    # partition repeats its key in the sort key); the other equality attributes must all be among them.
    k = 0
    while k < len(sort) and sort[k] in eq:
        k += 1
    if not set(rest) <= set(sort[:k]):
        return None
    full = k == len(sort)
    terms = [t.attribute.attribute for t in pattern.order_by]
    if len({t.direction for t in pattern.order_by}) > 1:
        return None  # DynamoDB can only read a sort key forwards or backwards as a whole
    if pattern.range is not None:
        if full or sort[k] != pattern.range.attribute:
            return None
        if terms and terms[0] != pattern.range.attribute:
            return None
    if terms and not full and tuple(sort[k:k + len(terms)]) != tuple(terms):
        return None
    return Match(path, k, full)


def add_gsi_path(paths: list[KeyPath], entity: Entity, prefix: str, partition: list[str], sort_prefix: str,
                 sort: list[str], rules: DynamoRules, rule: str) -> KeyPath:
    used = {p.index for p in paths}
    n = 1
    while rules.gsi_names(n)[0] in used:
        n += 1
    name, pk_attr, sk_attr = rules.gsi_names(n)
    path = KeyPath(entity.key, name, KeyTemplate(pk_attr, prefix, tuple(partition)),
                   KeyTemplate(sk_attr, sort_prefix, tuple(sort)), rule)
    paths.append(path)
    return path


class _Names:
    """ExpressionAttributeNames: a name that is reserved or not a plain identifier becomes `#n<i>`."""

    def __init__(self, rules: DynamoRules) -> None:
        self.rules, self.used = rules, {}

    def __call__(self, name: str) -> str:
        if not self.rules.needs_placeholder(name):
            return name
        token = self.used.setdefault(name, f"#n{len(self.used)}")
        return token

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((token, name) for name, token in self.used.items())


def _bind(placeholder: str, template: KeyTemplate, parts: list[tuple[str, str]], trailing: bool = False,
          suffix: str = "") -> ValueBinding:
    return ValueBinding(placeholder, template.prefix, tuple(parts), suffix, trailing)


def _read_plan(pattern: AccessPattern, entity: Entity, table: str, match: Match, rules: DynamoRules,
               rule: str) -> PatternPlan:
    path, names = match.path, _Names(rules)
    pk, sk = names(path.partition.attribute), names(path.sort.attribute)
    values = [_bind(":pk", path.partition, [(c, "eq") for c in path.partition.parts])]
    fixed = [(c, "eq") for c in path.sort.parts[: match.k]]
    if match.full:
        values.append(_bind(":sk", path.sort, fixed))
        condition = f"{pk} = :pk AND {sk} = :sk"
    elif pattern.range is not None:
        column = pattern.range.attribute
        above = chr(ord(rules.naming["separator"]) + 1)  # sorts after every "<value>#..." continuation
        values += [_bind(":lo", path.sort, fixed + [(column, "low")]),
                   _bind(":hi", path.sort, fixed + [(column, "high")], suffix=above)]
        condition = f"{pk} = :pk AND {sk} BETWEEN :lo AND :hi"
    else:
        values.append(_bind(":sk", path.sort, fixed, trailing=True))
        condition = f"{pk} = :pk AND begins_with({sk}, :sk)"
    operation = "GetItem" if match.full and path.index is None else "Query"
    forward = not (pattern.order_by and pattern.order_by[0].direction is Direction.DESC)
    return PatternPlan(pattern.id, entity.key, str(pattern.kind), table, path.index, operation, condition, None,
                       tuple(values), names.pairs(), forward, pattern.limit, (entity.key,), rule=rule,
                       assumed=pattern.assumed)


def _flag(pattern: AccessPattern, entity_key: str, table: str | None, reason: str, sink: DiagnosticSink,
          operation: str = "Scan") -> PatternPlan:
    # An error, not a warning: the design does not serve the workload, and `translate` must say so by its exit status.
    sink.error("dynamodb-unserved-pattern", f"access pattern {pattern.id} ({pattern.description or pattern.entity}) "
               f"cannot be one GetItem/Query ({operation}): {reason}", subject=pattern.id)
    return PatternPlan(pattern.id, entity_key, str(pattern.kind), table, None, operation, None, None, (), (),
                       limit=pattern.limit, returns=(entity_key, *pattern.with_), flagged=True, reason=reason,
                       rule="flagged", assumed=pattern.assumed)


def _with_plan(schema: Schema, pattern: AccessPattern, entity: Entity, paths: dict[str, list[KeyPath]],
               tables: dict[str, str], rules: DynamoRules, sink: DiagnosticSink) -> PatternPlan:
    children = [schema.find_entity(w) for w in pattern.with_]
    base = paths[entity.key][0]
    missing = [w for w, c in zip(pattern.with_, children)
               if c is None or tables[c.key] != tables[entity.key] or paths[c.key][0].partition.prefix != base.partition.prefix
               or paths[c.key][0].partition.parts == () or c.key == entity.key]
    eq = {r.attribute for r in pattern.equality}
    if missing:
        return _flag(pattern, entity.key, tables[entity.key],
                     f"{', '.join(missing)} is not in {entity.key}'s item collection, so it needs another request", sink,
                     "Query+Query")
    if base.index is not None or not set(base.partition.parts) <= eq or base.partition.parts != base.sort.parts:
        return _flag(pattern, entity.key, tables[entity.key],
                     f"the equality {sorted(eq)} does not name {entity.key}'s partition", sink)
    names = _Names(rules)
    keys = (entity.key, *(c.key for c in children))
    # Tags are unique, so a base partition with this entity's tag is the entity or one of its children.
    together = [k for k, ps in paths.items() if tables[k] == tables[entity.key] and ps[0].partition.prefix == base.partition.prefix]
    filter_text, values = None, [_bind(":pk", base.partition, [(c, "eq") for c in base.partition.parts])]
    flagged, reason = False, ""
    extra = sorted(set(together) - set(keys))
    if extra:
        type_attr = names(rules.naming["entity_type_attribute"])
        values += [ValueBinding(f":t{i}", schema.entity(k).key) for i, k in enumerate(keys)]
        filter_text = f"{type_attr} IN ({', '.join(f':t{i}' for i in range(len(keys)))})"
        flagged, reason = True, f"the partition also holds {', '.join(extra)}, which a filter drops"
        sink.warning("dynamodb-filter", f"access pattern {pattern.id}: {reason}", subject=pattern.id)
    return PatternPlan(pattern.id, entity.key, str(pattern.kind), tables[entity.key], None, "Query",
                       f"{names(base.partition.attribute)} = :pk", filter_text, tuple(values), names.pairs(), True,
                       pattern.limit, keys, flagged, reason, "item-collection", pattern.assumed)


def _write_plan(pattern: AccessPattern, entity: Entity, paths: list[KeyPath], table: str, rules: DynamoRules,
                sink: DiagnosticSink) -> PatternPlan:
    operation = _WRITE_OPS[pattern.kind]
    if pattern.kind is PatternKind.WRITE:
        return PatternPlan(pattern.id, entity.key, str(pattern.kind), table, None, operation, None, None, (),
                           returns=(entity.key,), rule="put-item", assumed=pattern.assumed)
    match = match_path(pattern, paths[0])
    if match is not None and match.full:
        plan = _read_plan(pattern, entity, table, match, rules, "key")
        return PatternPlan(**{**{f: getattr(plan, f) for f in PatternPlan.__slots__}, "operation": operation})
    for path in paths:
        match = match_path(pattern, path)
        if match is not None:
            plan = _read_plan(pattern, entity, table, match, rules, "query-then-write")
            return PatternPlan(**{**{f: getattr(plan, f) for f in PatternPlan.__slots__},
                                  "operation": f"Query+{operation}",
                                  "reason": "the equality does not give the item's full key: read the keys, then write each"})
    return _flag(pattern, entity.key, table, "no key covers the equality, so the items must be found by a Scan", sink)


def plan_patterns(schema: Schema, patterns: tuple[AccessPattern, ...], paths: dict[str, list[KeyPath]],
                  tables: dict[str, str], tags: dict[str, str], rules: DynamoRules, sink: DiagnosticSink,
                  decisions: list[Decision]) -> list[PatternPlan]:
    """Plan reads first, highest rate first (they shape the GSIs), then writes; output in workload order."""
    max_gsis = rules.limits["gsis_per_table"]
    plans: dict[str, PatternPlan] = {}
    # Busiest first; a stable sort keeps ties in workload-file order (never the id's spelling: AP13 vs AP8).
    reads = sorted((p for p in patterns if p.is_read), key=lambda p: -p.rate)
    for pattern in [*reads, *(p for p in patterns if not p.is_read)]:
        entity = schema.find_entity(pattern.entity)
        if entity is None or entity.key not in paths:
            plans[pattern.id] = _flag(pattern, pattern.entity, None, f"entity {pattern.entity!r} is not in the design", sink)
            continue
        table = tables[entity.key]
        foreign = [str(r) for r in pattern.equality if schema.find_entity(r.entity) is not entity]
        if foreign:
            plans[pattern.id] = _flag(pattern, entity.key, table, f"equality on {', '.join(foreign)} needs a join", sink)
            continue
        if not pattern.is_read:
            plans[pattern.id] = _write_plan(pattern, entity, paths[entity.key], table, rules, sink)
            continue
        if pattern.with_:
            plans[pattern.id] = _with_plan(schema, pattern, entity, paths, tables, rules, sink)
            continue
        if not pattern.equality:
            plans[pattern.id] = _flag(pattern, entity.key, table, "no equality attribute, so no partition key can be named", sink)
            continue
        match = next((m for m in (match_path(pattern, p) for p in paths[entity.key]) if m), None)
        rule = "table-key" if match and match.path.index is None else "gsi"
        if match is None:
            shape = gsi_shape(schema, entity, pattern, tags)
            if shape is None:
                plans[pattern.id] = _flag(pattern, entity.key, table, "its order cannot be a single sort key", sink)
                continue
            prefix, partition, sort = shape
            if sum(1 for p in paths[entity.key] if p.index) >= max_gsis:
                plans[pattern.id] = _flag(pattern, entity.key, table, f"the table already has {max_gsis} GSIs (the limit)", sink)
                continue
            path = add_gsi_path(paths[entity.key], entity, prefix, partition, tags[entity.key], sort, rules, "gsi")
            nullable = [c for c in partition if entity.attribute(c).nullable and c not in entity.primary_key]
            decisions.append(Decision(entity.key, path.index or "", "gsi-overloaded",
                                      f"{pattern.id} needs {path.partition.text()} / {path.sort.text()}: {path.index} "
                                      "(shared with other entities' keys)" + (f"; sparse: items with NULL {nullable} are left out" if nullable else ""),
                                      (("rate", pattern.rate),), ("workload",) if pattern.assumed else ()))
            match = match_path(pattern, path)
            assert match is not None, (pattern, path)
        plans[pattern.id] = _read_plan(pattern, entity, table, match, rules, rule)
    return [plans[p.id] for p in patterns]
