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
from typing import Any

import bson
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from translator.strategies import rows_for, schemas
from translator.targets.mongodb import TARGET, rows_to_documents
from translator.targets.mongodb.answer import UnsupportedRead, answer
from translator.targets.mongodb.codecs import decode_value, encode_value
from translator.targets.mongodb.workload_facts import pattern_paths
from translator.workload.model import AccessPattern, AttributeRef, EntityStats, RelationshipStats, Statistics, Workload


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
    index = {e.key: i for i, e in enumerate(schema.entities)}

    def col(entity: str, attr: str, alias: str) -> str:
        return f"{alias}.c{schema.entity(entity).attribute_names.index(attr)}"

    start = pattern.entity
    joins, previous = [], start
    for h, hop in enumerate(path, 1):
        rel = next(
            r
            for r in schema.relationships
            if r.name in hop.relationships and {r.from_entity, r.to_entity} == {hop.source, hop.target}
        )
        if rel.from_entity == hop.source:  # up: child -> parent
            on = [
                f"{col(hop.target, b, f'a{h}')} = {col(hop.source, a, f'a{h - 1}')}"
                for a, b in zip(rel.from_attributes, rel.to_attributes, strict=True)
            ]
        else:
            on = [
                f"{col(hop.target, a, f'a{h}')} = {col(hop.source, b, f'a{h - 1}')}"
                for a, b in zip(rel.from_attributes, rel.to_attributes, strict=True)
            ]
        joins.append(f"JOIN t{index[hop.target]} a{h} ON " + " AND ".join(on))
        previous = hop.target
    own = [col(start, a, "a0") for a in identity_of(schema, start)]
    far = [col(previous, a, f"a{len(path)}") for a in identity_of(schema, previous)]
    where, args = "", []
    if pattern.equality:
        where, args = f" WHERE {col(start, pattern.equality[0].attribute, 'a0')} IS ?", [value]
    sql = f"SELECT {', '.join(own + far)} FROM t{index[start]} a0 {' '.join(joins)}{where}"
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
