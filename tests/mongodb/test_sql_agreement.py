"""Issue 11: MongoDB's documents answer patterns along relationship paths as SQL does.

For generated schemas, rows and read patterns whose `with` paths go down to children, up to parents and
across two hops, the design's documents (after a BSON round trip) are read the way each pattern's plan
says (filter, embedded paths, copies, `$lookup` stages: translator.targets.mongodb.answer), and the keys
each path reaches from each matched row must equal what SQLite returns for the same joins.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
import uuid
from dataclasses import replace
from typing import Any

import bson
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from translator.ir import Cardinality, Relationship, Schema
from translator.strategies import rows_for, schemas
from translator.targets.common import unique_name
from translator.targets.mongodb import TARGET, rows_to_documents
from translator.targets.mongodb.answer import UnsupportedRead, answer
from translator.targets.mongodb.codecs import decode_value, encode_value
from translator.targets.mongodb.workload_facts import pattern_paths
from translator.workload.model import (
    AccessPattern,
    AttributeRef,
    EntityStats,
    Hop,
    PatternKind,
    RelationshipStats,
    Statistics,
    Workload,
)


def _canon(value: Any) -> Any:
    """One comparable spelling for SQLite and for decoded documents alike."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID, dt.timedelta)):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return repr(value)
    return value


@st.composite
def cases(draw: Any) -> tuple[Any, Any, Workload]:
    schema = draw(schemas(min_entities=2, max_entities=4))
    assume(schema.relationships)
    rows = draw(rows_for(schema, max_rows=5))
    patterns, fanouts = [], {}
    rels = schema.relationships
    for i, rel in enumerate(rels):
        fanouts[f"{rel.from_entity}.{rel.from_attributes[-1]}"] = RelationshipStats(avg=2, p99=4, max=5)
        if draw(st.booleans()):
            patterns.append(AccessPattern(f"down{i}", rel.to_entity, with_=(rel.from_entity,), rate=100))
        if draw(st.booleans()):
            patterns.append(AccessPattern(f"up{i}", rel.from_entity, with_=(rel.to_entity,), rate=100))
        for j, lower in enumerate(rels):
            if lower.to_entity == rel.from_entity and lower is not rel and draw(st.booleans()):
                patterns.append(
                    AccessPattern(f"two{i}_{j}", rel.to_entity, with_=(rel.from_entity, lower.from_entity), rate=100)
                )
    assume(patterns)
    entity = schema.entity(patterns[0].entity)
    if draw(st.booleans()):  # one pattern also filters on an attribute of its own entity
        attr = draw(st.sampled_from(entity.attribute_names))
        patterns[0] = AccessPattern(
            patterns[0].id, entity.key, with_=patterns[0].with_, equality=(AttributeRef(entity.key, attr),), rate=100
        )
    sizes = {e.key: EntityStats(rows=1000.0) for e in schema.entities}
    return schema, rows, Workload(tuple(patterns), Statistics(entities=sizes, relationships=fanouts))


def _sqlite(schema: Any, rows: dict[str, list[dict[str, Any]]], norm: Any) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    for e, entity in enumerate(schema.entities):
        cols = ", ".join(f"c{a}" for a in range(len(entity.attributes)))
        db.execute(f"CREATE TABLE t{e} ({cols})")
        marks = ", ".join("?" for _ in entity.attributes)
        db.executemany(
            f"INSERT INTO t{e} VALUES ({marks})",
            [[_canon(norm(row.get(a.name), a.type)) for a in entity.attributes] for row in rows.get(entity.key, [])],
        )
    return db


def _sql_answer(
    schema: Any, db: sqlite3.Connection, pattern: AccessPattern, path: Any, value: Any
) -> dict[tuple, set[tuple]]:
    filters = [(pattern.equality[0], value)] if pattern.equality else []
    return _sql_paths(schema, db, pattern, path, filters)


def _sql_paths(
    schema: Any, db: sqlite3.Connection, pattern: AccessPattern, path: Any, filters: list[tuple[AttributeRef, Any]]
) -> dict[tuple, set[tuple]]:
    """For each row of the pattern's entity whose `filters` hold (each attribute reached along its own
    path: a flight's origin city is joined through origin_id), the keys of the rows `path` reaches."""
    index = {e.key: i for i, e in enumerate(schema.entities)}

    def col(entity: str, attr: str, alias: str) -> str:
        return f"{alias}.c{schema.entity(entity).attribute_names.index(attr)}"

    def chain(hops: Any, prefix: str) -> tuple[list[str], str, str]:
        """JOINs along `hops` from a0, their last alias, and the entity they end at."""
        joins, previous, alias = [], pattern.entity, "a0"
        for h, hop in enumerate(hops, 1):
            rel = next(
                r
                for r in schema.relationships
                if r.name in hop.relationships and {r.from_entity, r.to_entity} == {hop.source, hop.target}
            )
            here = f"{prefix}{h}"
            pairs = zip(rel.from_attributes, rel.to_attributes, strict=True)
            if rel.from_entity == hop.source:  # up: child -> parent
                on = [f"{col(hop.target, b, here)} = {col(hop.source, a, alias)}" for a, b in pairs]
            else:
                on = [f"{col(hop.target, a, here)} = {col(hop.source, b, alias)}" for a, b in pairs]
            joins.append(f"JOIN t{index[hop.target]} {here} ON " + " AND ".join(on))
            previous, alias = hop.target, here
        return joins, alias, previous

    start = pattern.entity
    joins, last, previous = chain(path, "a")
    conditions, args = [], []
    for k, (ref, wanted) in enumerate(filters):
        more, alias, entity = chain(ref.path, f"f{k}_")
        joins += more
        conditions.append(f"{col(entity, ref.attribute, alias)} IS ?")
        args.append(wanted)
    own = [col(start, a, "a0") for a in identity_of(schema, start)]
    far = [col(previous, a, last) for a in identity_of(schema, previous)]
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = f"SELECT DISTINCT {', '.join(own + far)} FROM t{index[start]} a0 {' '.join(joins)}{where}"
    out: dict[tuple, set[tuple]] = {}
    for row in db.execute(sql, args):
        out.setdefault(tuple(row[: len(own)]), set()).add(tuple(row[len(own) :]))
    return out


def identity_of(schema: Any, entity: str) -> tuple[str, ...]:
    ent = schema.entity(entity)
    return ent.primary_key or ent.attribute_names


@settings(max_examples=40, deadline=None)
@given(cases(), st.data())
def test_documents_answer_path_patterns_like_sql(case: tuple[Any, Any, Workload], data: Any) -> None:
    schema, rows, workload = case
    design = TARGET.design(schema, workload)
    ctx = (design.layout.mapping, design.layout.uuid_representation)

    def norm(value: Any, type_: Any) -> Any:  # what a value is after BSON: dates keep milliseconds
        return decode_value(encode_value(value, type_, ctx), type_, ctx)

    stored = {n: [bson.decode(bson.encode(d)) for d in docs] for n, docs in rows_to_documents(design, rows).items()}
    db = _sqlite(schema, rows, norm)
    checked = 0
    for pattern in workload.access_patterns:
        values, value = None, None
        if pattern.equality:
            attr = pattern.equality[0].attribute
            own = rows.get(pattern.entity, [])
            assume(own)
            raw = data.draw(st.sampled_from(own))[attr]
            type_ = schema.entity(pattern.entity).attribute(attr).type
            values, value = {attr: raw}, _canon(norm(raw, type_))
            assume(raw is not None)
        try:
            got = answer(design, stored, pattern.id, values)
        except UnsupportedRead:
            continue
        for i, path in enumerate(pattern_paths(schema, pattern)):
            expected = _sql_answer(schema, db, pattern, path, value)
            mongo = {
                tuple(map(_canon, key)): {tuple(map(_canon, k)) for k in reached[i]} for key, reached in got.items()
            }
            mongo = {k: v for k, v in mongo.items() if v}  # SQL's inner join lists only rows that reach one
            assert mongo == expected, (pattern, path, design.to_dict()["decisions"])
            checked += 1
    assume(checked)


def _second_role(schema: Schema, rel: Relationship) -> tuple[Schema, Relationship]:
    """`schema` with a second foreign key from `rel`'s child to the same parent (new columns of the same
    types): the child then reaches one parent entity in two roles, like a flight's origin and destination."""
    child = schema.entity(rel.from_entity)
    taken = set(child.attribute_names)
    added = []
    for a in rel.from_attributes:
        name = unique_name(f"{a}_second", taken)
        taken.add(name)
        added.append(replace(child.attribute(a), name=name, identity=False, generated=None, default=None))
    second = Relationship(
        unique_name(f"{rel.name}_second", {r.name for r in schema.relationships}),
        child.key,
        tuple(a.name for a in added),
        rel.to_entity,
        rel.to_attributes,
        Cardinality.MANY_TO_ONE,
        optional=any(a.nullable for a in added),
    )
    grown = replace(child, attributes=child.attributes + tuple(added))
    entities = tuple(grown if e.key == child.key else e for e in schema.entities)
    return replace(schema, entities=entities, relationships=(*schema.relationships, second)), second


@st.composite
def two_role_cases(draw: Any) -> tuple[Schema, Any, Workload, Relationship, Relationship]:
    base = draw(schemas(min_entities=2, max_entities=3))
    candidates = [r for r in base.relationships if not r.is_self_reference]
    assume(candidates)
    first = draw(st.sampled_from(candidates))
    schema, second = _second_role(base, first)
    rows = draw(rows_for(schema, min_rows=2, max_rows=6))
    child, parent = first.from_entity, first.to_entity
    ups = tuple((Hop(child, parent, (r.name,), False),) for r in (first, second))
    downs = tuple(
        (Hop(parent, child, (r.name,), r.cardinality is not Cardinality.ONE_TO_ONE),) for r in (first, second)
    )
    names = schema.entity(parent).attribute_names
    refs = tuple(AttributeRef(parent, draw(st.sampled_from(names)), up) for up in ups)
    patterns = [
        AccessPattern("up2", child, with_=(parent, parent), paths=ups, rate=draw(st.sampled_from([1.0, 100.0]))),
        AccessPattern("down2", parent, with_=(child, child), paths=downs, rate=draw(st.sampled_from([1.0, 100.0]))),
        AccessPattern("filter2", child, equality=refs, rate=100),
        AccessPattern("both2", child, with_=(parent, parent), paths=ups, equality=refs[:1], rate=10),
    ]
    if draw(st.booleans()):  # a parent that changes often: copies only for the filters, lookups for the reads
        patterns.append(AccessPattern("u", parent, kind=PatternKind.UPDATE, rate=1.0e4))
    fanouts = {
        f"{r.from_entity}.{r.from_attributes[-1]}": RelationshipStats(avg=2, p99=4, max=5) for r in schema.relationships
    }
    sizes = {e.key: EntityStats(rows=1000.0) for e in schema.entities}
    return schema, rows, Workload(tuple(patterns), Statistics(entities=sizes, relationships=fanouts)), first, second


@settings(max_examples=30, deadline=None)
@given(two_role_cases(), st.data())
def test_documents_answer_two_role_patterns_like_sql(case: Any, data: Any) -> None:
    """One parent entity along two foreign keys: each role's path, and a filter on each role's attribute
    (matched in the child's copy), answer as SQL's joins through the right foreign key do."""
    schema, rows, workload, first, second = case
    design = TARGET.design(schema, workload)
    ctx = (design.layout.mapping, design.layout.uuid_representation)

    def norm(value: Any, type_: Any) -> Any:
        return decode_value(encode_value(value, type_, ctx), type_, ctx)

    stored = {n: [bson.decode(bson.encode(d)) for d in docs] for n, docs in rows_to_documents(design, rows).items()}
    db = _sqlite(schema, rows, norm)
    checked = 0
    for pattern in workload.access_patterns:
        if not pattern.is_read:
            continue
        values = _values_of_one_row(schema, rows, pattern, data)
        if values is None:  # no row reaches a non-NULL value through every filter: nothing to compare
            continue
        filters = [
            (ref, _canon(norm(raw, schema.entity(ref.entity).attribute(ref.attribute).type)))
            for ref, raw in values.items()
        ]
        checked += _compare(design, stored, schema, db, pattern, values, filters)
    assume(checked)


def _values_of_one_row(schema: Schema, rows: Any, pattern: AccessPattern, data: Any) -> dict[Any, Any] | None:
    """For each filter of the pattern, the value one row of its entity reaches through that filter's
    foreign key (one row for all, so the filter matches at least it); None when no row reaches them all."""
    fks = [_fk(schema, ref) for ref in pattern.equality]
    owners = [
        r for r in rows.get(pattern.entity, []) if all(r.get(a) is not None for fk in fks for a in fk.from_attributes)
    ]
    if not owners:
        return None
    owner = data.draw(st.sampled_from(owners))
    values = {}
    for ref, fk in zip(pattern.equality, fks, strict=True):
        parent_row = next(
            p
            for p in rows[ref.entity]
            if all(p.get(t) == owner.get(f) for f, t in zip(fk.from_attributes, fk.to_attributes, strict=True))
        )
        if parent_row[ref.attribute] is None:
            return None
        values[ref] = parent_row[ref.attribute]
    return values


def _compare(design: Any, stored: Any, schema: Schema, db: Any, pattern: Any, values: Any, filters: Any) -> int:
    """Assert the documents' answer equals SQL's for the matched rows and each path; the paths compared."""
    try:
        got = answer(design, stored, pattern.id, values or None)
    except UnsupportedRead:
        return 0
    expected_rows = _sql_paths(schema, db, pattern, (), filters)
    assert {tuple(map(_canon, k)) for k in got} == set(expected_rows), (pattern.id, design.to_dict()["decisions"])
    for i, path in enumerate(pattern.paths):
        expected = _sql_paths(schema, db, pattern, path, filters)
        mongo = {tuple(map(_canon, key)): {tuple(map(_canon, k)) for k in reached[i]} for key, reached in got.items()}
        mongo = {k: v for k, v in mongo.items() if v}
        assert mongo == expected, (pattern.id, path, design.to_dict()["decisions"])
    return 1 + len(pattern.paths)


def _fk(schema: Schema, ref: AttributeRef) -> Relationship:
    """The foreign key of a filter's one step up to its parent."""
    return next(r for r in schema.relationships if r.name == ref.path[0].relationships[0])
