"""The SQL side of `verify`: the rows in an in-memory SQLite copy, the same question asked in SQL (joins
along the pattern's relationship paths), and the parameter sets drawn from real rows.

Parameters are keyed by *part* (needs.py): an own column, or a copy of a parent's column, so the same
values bind the DynamoDB key condition and the SQL `WHERE` on the joined parent.
"""

from __future__ import annotations

import decimal
import json
import random
import sqlite3
from collections.abc import Mapping
from typing import Any

from translator.ir import Entity, Relationship, Schema
from translator.targets.dynamodb.child_filter import child_path, reroot
from translator.targets.dynamodb.codecs import iso as _iso
from translator.targets.dynamodb.items import Related
from translator.targets.dynamodb.model import DynamoDesign, EntityMapping, PatternPlan
from translator.targets.dynamodb.needs import Chain, Copies, Need, chain_of, need_of, with_chains
from translator.targets.dynamodb.roles import path_role
from translator.types import TypeKind
from translator.workload.model import AccessPattern, AttributeRef

__all__ = [
    "sqlite_value",
    "load_sqlite",
    "need_for",
    "read_need",
    "parameter_sets",
    "run_sql",
    "part_values",
    "with_labels",
]


def sqlite_value(entity: Entity, column: str, value: Any) -> Any:
    if value is None:
        return None
    type_ = entity.attribute(column).type
    if type_.kind in (TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP):
        return _iso(type_, value)  # SQLite compares ISO-8601 text chronologically
    if type_.kind is TypeKind.DECIMAL:
        # Scaled to an integer when that is exact in SQLite's 64 bits, so equality and order stay exact.
        if type_.scale is not None and (type_.precision or 99) <= 18:
            return int(decimal.Decimal(value).scaleb(type_.scale, context=decimal.Context(prec=1000)))
        return float(value)
    if type_.kind in (TypeKind.INTEGER, TypeKind.FLOAT, TypeKind.BOOLEAN):
        return value
    if type_.kind is TypeKind.BINARY:
        return bytes(value)
    if type_.kind in (TypeKind.JSON, TypeKind.ARRAY):
        return json.dumps(value, default=str)
    return str(value)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_sqlite(schema: Schema, rows: Mapping[str, list[dict[str, Any]]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for key, entity_rows in rows.items():
        entity = schema.entity(key)
        cols = [a.name for a in entity.attributes]
        db.execute(f"CREATE TABLE {_q(entity.key)} (__row INTEGER, {', '.join(_q(c) for c in cols)})")
        db.executemany(
            f"INSERT INTO {_q(entity.key)} VALUES (?, {', '.join('?' for _ in cols)})",
            [(i, *(sqlite_value(entity, c, r.get(c)) for c in cols)) for i, r in enumerate(entity_rows)],
        )
    return db


def need_for(schema: Schema, mapping: EntityMapping, pattern: AccessPattern) -> Need:
    """The pattern in the parts the design gave the entity (its copies keep their names)."""
    copies = Copies({mapping.entity: {c.part: c for c in mapping.copies}}, schema=schema)
    return need_of(schema, schema.entity(mapping.entity), pattern, copies)


def read_need(schema: Schema, design: DynamoDesign, plan: PatternPlan, pattern: AccessPattern) -> tuple[str, Need]:
    """(entity whose items the plan reads, the pattern in that entity's parts): the pattern's entity, or
    the children a filter across child rows reads (the pattern re-read from them, child_filter.py)."""
    mapping = design.entity(plan.entity)
    need = need_for(schema, mapping, pattern)
    if not plan.items_of:
        return plan.entity, need
    down, _why = child_path(schema, need)
    assert down is not None, plan
    return plan.items_of, need_for(schema, design.entity(plan.items_of), reroot(schema, pattern, down))


def part_values(schema: Schema, mapping: EntityMapping, row: Mapping[str, Any], related: Related) -> dict[str, Any]:
    values = dict(row)
    for spec in mapping.copies:
        values[spec.part] = related.copy_value(mapping.entity, spec, row)
    return values


def parameter_sets(
    need: Need,
    mapping: EntityMapping,
    schema: Schema,
    rows: list[dict[str, Any]],
    related: Related,
    rng: random.Random,
    count: int,
) -> list[dict[str, Any]]:
    """Up to `count` parameter sets: the equality parts of a real row; range bounds from its group."""
    eq = list(need.eq)
    valued = [part_values(schema, mapping, r, related) for r in rows]
    usable = [v for v in valued if all(v.get(c) is not None for c in eq)]
    out = []
    for row in rng.sample(usable, min(count, len(usable))):
        params = {c: row[c] for c in eq}
        if need.range is not None:
            values = sorted(
                v[need.range] for v in usable if all(v[c] == row[c] for c in eq) and v.get(need.range) is not None
            )
            if not values:
                continue
            low, high = sorted((rng.choice(values), rng.choice(values)))
            params[f"{need.range}.low"], params[f"{need.range}.high"] = low, high
        out.append(params)
    return out


#: the steps from t0 to a joined row: (relationship name, True towards the parent / False to children)
Steps = tuple[tuple[str, bool], ...]


def _alias(steps: Steps, joins: dict[Steps, str]) -> str:
    """The alias of the row reached by `steps` from t0 (registering every prefix)."""
    alias = "t0"
    for i in range(1, len(steps) + 1):
        if steps[:i] not in joins:
            joins[steps[:i]] = f"t{len(joins) + 1}"
        alias = joins[steps[:i]]
    return alias


def _joined(schema: Schema, entity: Entity, ref: AttributeRef, joins: dict[Steps, str]) -> tuple[str, Entity]:
    """The SQL alias holding `ref` (joining parents, or children, along its path) and its entity."""
    if ref.entity == entity.key and not ref.path:
        return "t0", entity
    chain = chain_of(schema, entity.key, ref.entity, ref.path)
    assert chain is not None, ref
    return _alias(tuple((rel.name, up) for rel, up in chain), joins), schema.entity(ref.entity)


def _join_sql(schema: Schema, entity: Entity, joins: dict[Steps, str]) -> str:
    out = []
    for steps, alias in joins.items():
        current, previous = entity.key, "t0"
        for i, (name, up) in enumerate(steps):
            near = schema.relationships_from(current) if up else schema.relationships_to(current)
            rel = next(r for r in near if r.name == name)
            target = rel.to_entity if up else rel.from_entity
            if i == len(steps) - 1:
                mine, theirs = rel.to_attributes, rel.from_attributes
                if not up:  # a join to children: their foreign key holds the parent's key
                    mine, theirs = theirs, mine
                on = " AND ".join(f"{alias}.{_q(a)} = {previous}.{_q(b)}" for a, b in zip(mine, theirs, strict=True))
                out.append(f"JOIN {_q(target)} {alias} ON {on}")
            previous = joins.get(steps[: i + 1], previous)
            current = target
    return " ".join(out)


def _follow(
    db: sqlite3.Connection, schema: Schema, start: str, numbers: list[int], chain: list[tuple[Relationship, bool]]
) -> list[int]:
    """Row numbers reached from rows `numbers` of `start` along `chain` (towards parents or children)."""
    current = start
    for rel, up in chain:
        here, there = (rel.from_attributes, rel.to_attributes) if up else (rel.to_attributes, rel.from_attributes)
        target = rel.to_entity if up else rel.from_entity
        found: list[int] = []
        for number in numbers:
            key = db.execute(
                f"SELECT {', '.join(_q(c) for c in here)} FROM {_q(current)} WHERE __row = ?", (number,)
            ).fetchone()
            if key is None or None in key:
                continue
            cond = " AND ".join(f"{_q(c)} = ?" for c in there)
            found += [r[0] for r in db.execute(f"SELECT __row FROM {_q(target)} WHERE {cond}", key)]
        numbers, current = sorted(set(found)), target
    return numbers


def with_labels(schema: Schema, pattern: AccessPattern) -> list[tuple[str, str, Chain | None]]:
    """(label, entity, chain) of each `with` entry; the label names the role when a step has siblings to
    the same entity (`users (assignee)`), so the two users of an issue are compared apart."""
    out = []
    for target, chain in with_chains(schema, pattern):
        role = path_role(schema, [rel for rel, _ in chain or ()])
        out.append((f"{target} ({role})" if role else target, target, chain))
    return out


def _distinct(joins: dict[Steps, str]) -> str:
    """A join to children repeats the row once per child: keep each row once (SQL's "having such a child")."""
    return "DISTINCT " if any(not up for steps in joins for _, up in steps) else ""


def run_sql(
    db: sqlite3.Connection,
    schema: Schema,
    design: DynamoDesign,
    plan: PatternPlan,
    pattern: AccessPattern,
    need: Need,
    params: dict[str, Any],
) -> dict[str, list[int]]:
    """Row numbers per entity (per `with_labels` label for the `with` entries) that answer the pattern;
    ties in the order are broken by the sort key. `need` is in the parts of the items the plan reads (the
    children's, for a filter across child rows), in the pattern's order. An attribute of children keeps
    each row of the entity once: the distinct rows having such a child."""
    entity = schema.entity(plan.entity)
    joins: dict[Steps, str] = {}
    where, args = [], []
    for ref, part in zip(pattern.equality, need.eq, strict=False):
        alias, owner = _joined(schema, entity, ref, joins)
        where.append(f"{alias}.{_q(ref.attribute)} = ?")
        args.append(sqlite_value(owner, ref.attribute, params[part]))
    if pattern.range is not None and need.range is not None:
        alias, owner = _joined(schema, entity, pattern.range, joins)
        where.append(f"{alias}.{_q(pattern.range.attribute)} BETWEEN ? AND ?")
        args += [
            sqlite_value(owner, pattern.range.attribute, params[f"{need.range}.low"]),
            sqlite_value(owner, pattern.range.attribute, params[f"{need.range}.high"]),
        ]
    condition = " AND ".join(where) or "1=1"
    sql = (
        f"SELECT {_distinct(joins)}t0.__row FROM {_q(entity.key)} t0 {_join_sql(schema, entity, joins)} "
        f"WHERE {condition}"
    )
    if pattern.order_by or pattern.limit:  # (the joins of copied sort parts are added before the SELECT is rebuilt)
        mapping = design.entity(entity.key)
        path = mapping.path_on(plan.index) or mapping.base
        direction = "ASC" if plan.scan_forward else "DESC"
        terms = []
        if plan.items_of:  # the index is the children's: order by the pattern's terms
            for term in pattern.order_by:
                alias, _owner = _joined(schema, entity, term.attribute, joins)
                terms.append(f"{alias}.{_q(term.attribute.attribute)} {direction}")
        for part in [c for c in path.sort.parts if c not in need.eq and not plan.items_of]:
            spec = next((c for c in mapping.copies if c.part == part), None)
            if spec is not None:
                terms.append(f"{_alias(tuple((h, True) for h in spec.hops), joins)}.{_q(spec.column)} {direction}")
            elif entity.find_attribute(part) is not None:
                terms.append(f"t0.{_q(part)} {direction}")
        terms = terms or [f"t0.{_q(c)} {direction}" for c in entity.primary_key] or [f"t0.__row {direction}"]
        sql = (
            f"SELECT {_distinct(joins)}t0.__row FROM {_q(entity.key)} t0 {_join_sql(schema, entity, joins)} "
            f"WHERE {' AND '.join(where) or '1=1'}"
        )
        sql += " ORDER BY " + ", ".join(terms)
    if pattern.limit:
        sql += f" LIMIT {int(pattern.limit)}"
    found = {entity.key: [r[0] for r in db.execute(sql, args)]}
    for label, _target, chain in with_labels(schema, pattern):
        if chain is not None:
            found[label] = _follow(db, schema, entity.key, found[entity.key], list(chain))
    return found
