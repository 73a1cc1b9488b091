"""Seeded sample rows for a schema: primary and unique keys unique, foreign keys pointing at real parent
rows (shared columns of composite keys, such as a tenant id, kept consistent), parents before children.

For verifiers and demos, not for property tests (those use `translator.strategies.rows_for`). Values
are chosen so that equality questions have several answers: non-key strings come from a small
vocabulary, non-key integers from 1..5, timestamps from one year, so "orders of a customer" or "issues
with status open" return more than one row.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
import uuid
from typing import Any

from translator.errors import PolyschemaError
from translator.ir import Attribute, Entity, Relationship, Schema
from translator.types import TypeKind

__all__ = ["sample_rows", "read_rows", "insertion_order"]

_WORDS = ("alpha", "bravo", "charlie", "delta")
_EPOCH = dt.datetime(2024, 1, 1)
_ATTEMPTS = 25


def insertion_order(schema: Schema) -> tuple[list[Entity], list[str]]:
    """Entities parents first, and the keys of those left out because required foreign keys form a cycle.

    A cycle that has an optional relationship is cut there (its rows then hold NULL), one entity at a
    time; the second list is empty unless no such cut exists. Callers raise their own error on it.
    """
    pending = {e.key: e for e in schema.entities}
    placed: list[Entity] = []

    def waits_for(entity: Entity, required_only: bool) -> bool:
        return any(
            r.to_entity in pending and not r.is_self_reference and not (required_only and r.optional)
            for r in schema.relationships_from(entity.key)
        )

    while pending:
        ready = [e for e in pending.values() if not waits_for(e, required_only=False)]
        if not ready:
            ready = [e for e in pending.values() if not waits_for(e, required_only=True)][:1]
        if not ready:
            return placed, sorted(pending)
        for entity in ready:
            placed.append(pending.pop(entity.key))
    return placed, []


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _value(rng: random.Random, attribute: Attribute, serial: int, unique: bool) -> Any:
    type_ = attribute.type
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        return serial if unique else rng.randint(1, 5)
    if kind is TypeKind.DECIMAL:
        # Drawn as the unscaled integer, so precision and scale hold exactly (also for scale == precision).
        scale, limit = type_.scale or 0, 10 ** (type_.precision or 12) - 1
        unscaled = serial if unique else rng.randint(0, min(limit, 999 * 10**scale))
        return (
            decimal.Decimal(unscaled).scaleb(-scale, context=decimal.Context(prec=1000)) if unscaled <= limit else None
        )
    if kind is TypeKind.FLOAT:
        return float(serial) if unique else round(rng.uniform(0, 1000), 3)
    if kind in (TypeKind.STRING, TypeKind.OTHER, TypeKind.INTERVAL, TypeKind.SPATIAL):
        length = type_.length or 40
        if unique:
            tag = _base36(serial)
            text = f"{attribute.name[: max(0, length - len(tag) - 1)]}-{tag}" if length > len(tag) + 1 else tag
            if len(text) > length:
                return None  # no room for another distinct value
            return text.ljust(length, "x") if type_.fixed else text
        if type_.fixed:
            return "".join(rng.choice("ABC") for _ in range(length))
        return rng.choice(_WORDS)[:length]
    if kind is TypeKind.ENUM:
        return rng.choice(type_.values) if type_.values else rng.choice(_WORDS)
    if kind is TypeKind.BOOLEAN:
        return rng.random() < 0.5
    if kind is TypeKind.DATE:
        return (_EPOCH + dt.timedelta(days=serial if unique else rng.randint(0, 365))).date()
    if kind is TypeKind.TIME:
        return dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    if kind is TypeKind.TIMESTAMP:
        moment = _EPOCH + dt.timedelta(seconds=serial if unique else rng.randint(0, 365 * 86400))
        return moment.replace(tzinfo=dt.UTC) if type_.with_timezone else moment
    if kind is TypeKind.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)
    if kind is TypeKind.BINARY:
        return bytes(rng.getrandbits(8) for _ in range(min(type_.length or 8, 8)))
    if kind is TypeKind.JSON:
        return {"n": rng.randint(1, 5), "tag": rng.choice(_WORDS)}
    if kind is TypeKind.ARRAY:
        assert type_.element is not None
        inner = Attribute(attribute.name, type_.element)
        return [_value(rng, inner, serial, False) for _ in range(rng.randint(0, 3))]
    return rng.choice(_WORDS)


def _link(
    rng: random.Random,
    row: dict[str, Any],
    rels: tuple[Relationship, ...],
    entity: Entity,
    earlier: list[dict[str, Any]],
    out: dict[str, list[dict[str, Any]]],
) -> bool:
    for rel in rels:
        parents = earlier if rel.is_self_reference else out.get(rel.to_entity, [])
        fixed = {c: row[c] for c in rel.from_attributes if row.get(c) is not None}
        usable = [
            p
            for p in parents
            if all(p.get(t) is not None for t in rel.to_attributes)
            and all(
                fixed[f] == p[t] for f, t in zip(rel.from_attributes, rel.to_attributes, strict=False) if f in fixed
            )
        ]
        nullable = all(entity.attribute(c).nullable for c in rel.from_attributes if c not in fixed)
        if usable and not (nullable and rng.random() < 0.15):
            parent = rng.choice(usable)
            for f, t in zip(rel.from_attributes, rel.to_attributes, strict=False):
                row[f] = parent[t]
        elif nullable:
            for f in rel.from_attributes:
                row.setdefault(f, None)
        elif rel.is_self_reference and all(row.get(t) is not None for t in rel.to_attributes):
            for f, t in zip(rel.from_attributes, rel.to_attributes, strict=False):
                row[f] = row[t]  # the first row of a required self reference points at itself
        else:
            return False
    return True


def sample_rows(schema: Schema, rows_per_entity: int = 12, *, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Rows per entity key (every attribute present; None for NULL), reproducible for a given seed.

    Entities without parents get `rows_per_entity // 3` rows (at least 2); each level of foreign keys
    below doubles that, up to `4 * rows_per_entity`; an entity gets fewer when its keys leave no room."""
    if not isinstance(schema, Schema):
        raise PolyschemaError(f"schema={type(schema).__name__} is invalid; pass a translator.ir.Schema")
    if not isinstance(rows_per_entity, int) or not 0 <= rows_per_entity <= 100_000:
        raise PolyschemaError(f"rows_per_entity={rows_per_entity!r} is invalid; pass an integer in 0..100000")
    rng = random.Random(seed)
    out: dict[str, list[dict[str, Any]]] = {}
    depth: dict[str, int] = {}
    order, cycle = insertion_order(schema)
    if cycle:
        raise PolyschemaError(
            f"sample rows: required foreign keys form a cycle through {cycle}; "
            "make one relationship optional or pass --data"
        )
    for entity in order:
        parents = [depth.get(r.to_entity, 0) for r in schema.relationships_from(entity.key) if not r.is_self_reference]
        depth[entity.key] = 1 + max(parents) if parents else 0
        # Fewer parents than children, so a parent's item collection holds several children.
        count = (
            min(rows_per_entity * 4, max(2, rows_per_entity // 3) * 2 ** depth[entity.key]) if rows_per_entity else 0
        )
        rels = schema.relationships_from(entity.key)
        fk_cols = {c for r in rels if not r.is_self_reference for c in r.from_attributes}
        self_cols = {c for r in rels if r.is_self_reference for c in r.from_attributes}
        keys = list(entity.candidate_keys())
        unique_cols = {c for k in keys for c in k}
        seen: list[set[tuple[Any, ...]]] = [set() for _ in keys]
        rows: list[dict[str, Any]] = []
        serial = 0
        for _ in range(count):
            for _attempt in range(_ATTEMPTS):
                serial += 1
                row: dict[str, Any] = {}
                for attribute in entity.attributes:
                    if attribute.name in fk_cols or attribute.name in self_cols:
                        continue
                    key_col = attribute.name in unique_cols
                    if attribute.nullable and not key_col and rng.random() < 0.1:
                        row[attribute.name] = None
                    else:
                        row[attribute.name] = _value(rng, attribute, serial, key_col)
                if any(
                    row.get(a.name) is None
                    for a in entity.attributes
                    if (not a.nullable or a.name in entity.primary_key)
                    and a.name not in fk_cols
                    and a.name not in self_cols
                ):
                    continue  # a NOT NULL column ran out of distinct values
                if not _link(rng, row, rels, entity, rows, out):
                    continue
                identity = [tuple(row.get(c) for c in k) for k in keys]
                if all(None in ident or ident not in s for ident, s in zip(identity, seen, strict=True)):
                    break
            else:
                continue  # the keys leave no room for another row
            for ident, s in zip(identity, seen, strict=True):
                s.add(ident)
            rows.append({a.name: row.get(a.name) for a in entity.attributes})
        out[entity.key] = rows
    return out


def read_rows(url: str, schema: Schema, *, limit: int = 2000) -> dict[str, list[dict[str, Any]]]:
    """Up to `limit` rows of each entity from the live database at `url` (SQLite, PostgreSQL, MySQL/MariaDB),
    read through the same read-only connections introspection uses; values as the drivers return them."""
    import importlib

    from translator.introspect.url import parse_url

    if not isinstance(limit, int) or limit < 1:
        raise PolyschemaError(f"limit={limit!r} is invalid; pass a positive integer")
    params = parse_url(url)
    engine = importlib.import_module(f"translator.introspect.{params.engine}")
    quote = engine.quote  # every engine module quotes identifiers its own way
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect(params) as handle:
        for entity in schema.entities:
            table = ".".join(
                quote(p)
                for p in (entity.namespace, entity.name)
                if p and not (params.engine == "sqlite" and p == entity.namespace)
            )
            columns = ", ".join(quote(a.name) for a in entity.attributes)
            result = handle.execute(f"SELECT {columns} FROM {table} LIMIT {int(limit)}")
            cursor = handle if isinstance(result, int) else result  # PyMySQL's execute returns a count
            names = [a.name for a in entity.attributes]
            out[entity.key] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return out
