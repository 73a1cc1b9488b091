"""Hypothesis strategies for property tests: valid schemas, rows that satisfy them, and workloads.

    from hypothesis import given
    from translator.strategies import rows_for, schemas

    @given(schemas(max_entities=4).flatmap(lambda s: rows_for(s).map(lambda rows: (s, rows))))
    def test_round_trip(case):
        schema, rows = case
        ...

Everything generated is valid in PostgreSQL, MySQL/MariaDB, SQLite, SQL Server and Oracle at once, so a
property can move the same schema and rows through any dialect or target:

- names are lowercase ASCII identifiers (`[a-z][a-z0-9]*(_[a-z0-9]+)*`, at most 10 characters) that
  no round-trip dialect reserves (sqlglot's tokenizer keywords plus `[identifiers] reserved` in
  `mappings/widening.toml`) and never contain `__`, which is kept for constraint names (`fk__...`);
- values are exact in BSON, CQL and DynamoDB: timestamps have millisecond precision (UTC-aware when
  the type has a time zone) and lie in 1970-01-02..2038-01-18 (MySQL TIMESTAMP's range), dates in
  1000..9999, strings are never empty (Oracle stores '' as NULL) and key strings are ASCII letters,
  digits, `-` and `_` so key uniqueness does not depend on a collation;
- keys are unique the strictest way any engine compares them: case-insensitively, ignoring trailing
  spaces, and with NULL equal to NULL (SQL Server's UNIQUE).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from translator.ddl_render import load_mapping
from translator.errors import MappingError
from translator.ir import Attribute, Entity, Relationship, Schema, derive_cardinality
from translator.types import CanonicalType, TypeKind
from translator.workload.model import AccessPattern, AttributeRef, Direction, OrderTerm, PatternKind, Workload

__all__ = [
    "SUPPORTED_KINDS",
    "KEY_KINDS",
    "ROUND_TRIP_DIALECTS",
    "reserved_words",
    "identifiers",
    "canonical_types",
    "values_for",
    "schemas",
    "rows_for",
    "workloads",
    "key_of",
]

#: Canonical kinds `schemas(kinds=...)` can generate.
SUPPORTED_KINDS: frozenset[TypeKind] = frozenset({
    TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.FLOAT, TypeKind.STRING, TypeKind.BINARY,
    TypeKind.BOOLEAN, TypeKind.DATE, TypeKind.TIME, TypeKind.TIMESTAMP, TypeKind.UUID,
})
#: Kinds allowed in primary, unique and foreign keys: every engine can index them and equality is exact.
KEY_KINDS: frozenset[TypeKind] = frozenset({
    TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.STRING, TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.UUID,
})
#: Dialects whose reserved words generated names avoid.
ROUND_TRIP_DIALECTS: tuple[str, ...] = ("postgres", "mysql", "sqlite", "tsql", "oracle")

_MAX_NAME = 16
_DEFAULT_NAME = 10
_KEY_STRING_MAX = 64
_TS_MIN, _TS_MAX = dt.datetime(1970, 1, 2), dt.datetime(2038, 1, 18)
_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
# Printable BMP text without surrogates or control characters (PostgreSQL rejects NUL; XML-ish
# targets choke on controls); supplementary planes are left out because MySQL's utf8mb4_general_ci
# compares them all equal.
_TEXT = st.characters(min_codepoint=0x20, max_codepoint=0xFFFD, exclude_categories=("Cs", "Cc", "Co", "Cn"))


@cache
def reserved_words() -> frozenset[str]:
    """Lowercase words no generated identifier may be: sqlglot keywords of every round-trip dialect plus data."""
    from sqlglot.dialects.dialect import Dialect

    words: set[str] = set()
    for dialect in ROUND_TRIP_DIALECTS:
        words.update(k.lower() for k in Dialect.get_or_raise(dialect).tokenizer_class.KEYWORDS if " " not in k)
    try:
        extra = load_mapping("widening.toml")["identifiers"]["reserved"]
    except KeyError as exc:
        raise MappingError(f"mappings/widening.toml: missing {exc} (want [identifiers] reserved = [...])") from None
    if not isinstance(extra, list) or not all(isinstance(w, str) for w in extra):
        raise MappingError("mappings/widening.toml: [identifiers] reserved must be a list of strings")
    return frozenset(words | {w.lower() for w in extra})


def identifiers(max_size: int = _DEFAULT_NAME) -> st.SearchStrategy[str]:
    """Identifier-safe, non-reserved lowercase names of 1..`max_size` characters (see the module docstring)."""
    _check_count("max_size", max_size, 1, _MAX_NAME)
    return _identifiers(max_size)


@cache
def _identifiers(max_size: int) -> st.SearchStrategy[str]:
    head = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    tail = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", max_size=max_size - 1)
    return st.builds(lambda h, t: _safe_name(h + t, max_size), head, tail)


def _safe_name(raw: str, max_size: int) -> str:
    """Repair instead of filtering: short names are often keywords ("as", "in"), and rejected draws are slow."""
    name = re.sub("_+", "_", raw).rstrip("_")  # `__` stays free for constraint names
    reserved = reserved_words()
    if name not in reserved:
        return name
    stem = name[: max_size - 1]
    return next(stem + c for c in "xyzqjkvw" if stem + c not in reserved)


def _check_kinds(kinds: Iterable[str | TypeKind] | None) -> frozenset[TypeKind]:
    if kinds is None:
        return SUPPORTED_KINDS
    if isinstance(kinds, (str, TypeKind)):
        raise ValueError(f"kinds={kinds!r} must be a collection of kinds, not one; pass kinds=[{str(kinds)!r}]")
    chosen: set[TypeKind] = set()
    for kind in kinds:
        try:
            chosen.add(TypeKind(kind))
        except ValueError:
            raise ValueError(f"kinds contains {kind!r}, which is not a canonical kind; "
                             f"choose from {sorted(map(str, SUPPORTED_KINDS))}") from None
    unsupported = chosen - SUPPORTED_KINDS
    if unsupported:
        raise ValueError(f"kinds contains {sorted(map(str, unsupported))}, which schemas() cannot generate; "
                         f"choose from {sorted(map(str, SUPPORTED_KINDS))}")
    if not chosen & KEY_KINDS:
        raise ValueError(f"kinds={sorted(map(str, chosen))} has no kind usable in a primary key; "
                         f"add one of {sorted(map(str, KEY_KINDS))}")
    return frozenset(chosen)


def canonical_types(kinds: Iterable[str | TypeKind] | None = None, *, key: bool = False) -> st.SearchStrategy[CanonicalType]:
    """Canonical types of the given kinds; `key=True` keeps to types fit for primary/unique/foreign keys."""
    return _types(_check_kinds(kinds), key)


@cache
def _types(allowed: frozenset[TypeKind], key: bool) -> st.SearchStrategy[CanonicalType]:
    if key:
        allowed = allowed & KEY_KINDS
    max_length = _KEY_STRING_MAX if key else 255
    by_kind: dict[TypeKind, st.SearchStrategy[CanonicalType]] = {
        TypeKind.INTEGER: st.sampled_from((16, 32, 64)).map(lambda b: CanonicalType(TypeKind.INTEGER, bits=b)),
        TypeKind.DECIMAL: st.integers(1, 18 if key else 38).flatmap(
            lambda p: st.integers(0, min(p, 30)).map(lambda s: CanonicalType(TypeKind.DECIMAL, precision=p, scale=s))),
        TypeKind.FLOAT: st.sampled_from((32, 64)).map(lambda b: CanonicalType(TypeKind.FLOAT, bits=b)),
        TypeKind.STRING: st.one_of(
            st.integers(1, max_length).map(lambda n: CanonicalType(TypeKind.STRING, length=n)),
            *(() if key else (st.integers(1, 10).map(lambda n: CanonicalType(TypeKind.STRING, length=n, fixed=True)),
                              st.just(CanonicalType(TypeKind.STRING))))),
        TypeKind.BINARY: st.one_of(st.integers(1, 255).map(lambda n: CanonicalType(TypeKind.BINARY, length=n)),
                                   st.just(CanonicalType(TypeKind.BINARY))),
        TypeKind.BOOLEAN: st.just(CanonicalType(TypeKind.BOOLEAN)),
        TypeKind.DATE: st.just(CanonicalType(TypeKind.DATE)),
        TypeKind.TIME: st.just(CanonicalType(TypeKind.TIME, with_timezone=False)),
        TypeKind.TIMESTAMP: st.booleans().map(lambda tz: CanonicalType(TypeKind.TIMESTAMP, with_timezone=tz)),
        TypeKind.UUID: st.just(CanonicalType(TypeKind.UUID)),
    }
    return st.one_of(*(by_kind[k] for k in sorted(allowed)))


def _key_capable(type_: CanonicalType) -> bool:
    if type_.kind is TypeKind.STRING:
        return type_.length is not None and type_.length <= _KEY_STRING_MAX and not type_.fixed
    return type_.kind in KEY_KINDS


def _millis(value: dt.datetime | dt.time) -> Any:
    return value.replace(microsecond=value.microsecond // 1000 * 1000, fold=0)


def values_for(type_: CanonicalType, *, key: bool = False) -> st.SearchStrategy[Any]:
    """Python values of `type_` that every round-trip dialect and target stores exactly (never None).

    `key=True` draws strings from a collation-proof ASCII alphabet, as key columns need.
    """
    if not isinstance(type_, CanonicalType):
        raise ValueError(f"values_for: type_={type_!r} is invalid; pass a translator.types.CanonicalType")
    return _values(type_.with_source(""), key)


@cache  # building and validating strategies dominates generation time otherwise
def _values(type_: CanonicalType, key: bool) -> st.SearchStrategy[Any]:
    kind = type_.kind
    if kind is TypeKind.INTEGER:
        bits = type_.bits or 64
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if kind is TypeKind.DECIMAL:
        precision = type_.precision or 38
        scale = type_.scale or 0
        bound = 10 ** precision - 1
        # From text, because Decimal arithmetic (scaleb, quantize) rounds to the context's 28 digits.
        return st.integers(-bound, bound).map(lambda unscaled: decimal.Decimal(f"{unscaled}E-{scale}"))
    if kind is TypeKind.FLOAT:
        return st.floats(allow_nan=False, allow_infinity=False, width=32 if type_.bits == 32 else 64)
    if kind is TypeKind.STRING:
        length = min(type_.length or 24, 24)  # longer values add entropy, not coverage
        if key:
            return st.text(_KEY_ALPHABET, min_size=1, max_size=length)
        text = st.text(_TEXT, min_size=length if type_.fixed else 1, max_size=length)
        # CHAR pads with spaces and MySQL strips them on read: keep fixed values space-free at the end.
        return text.filter(lambda s: not s.endswith(" ")) if type_.fixed else text
    if kind is TypeKind.BINARY:
        return st.binary(min_size=1, max_size=min(type_.length or 24, 24))
    if kind is TypeKind.BOOLEAN:
        return st.booleans()
    if kind is TypeKind.DATE:
        return st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))
    if kind is TypeKind.TIME:
        return st.times().map(_millis)
    if kind is TypeKind.TIMESTAMP:
        naive = st.datetimes(_TS_MIN, _TS_MAX).map(_millis)
        return naive.map(lambda v: v.replace(tzinfo=dt.timezone.utc)) if type_.with_timezone else naive
    if kind is TypeKind.UUID:
        return st.uuids()
    raise ValueError(f"values_for: type {type_} (kind {str(kind)!r}) is not supported; "
                     f"supported kinds are {sorted(map(str, SUPPORTED_KINDS))}")


def _check_count(name: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{name}={value!r} is invalid; pass an int between {low} and {high}")


def _check_flag(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{name}={value!r} is invalid; pass True or False")


def schemas(min_entities: int = 1, max_entities: int = 6, *, relationships: bool = True,
            self_references: bool = True, composite_keys: bool = True,
            kinds: Iterable[str | TypeKind] | None = None) -> st.SearchStrategy[Schema]:
    """Valid schemas of `min_entities`..`max_entities` entities.

    Every entity has a primary key (composite when `composite_keys`); some have unique keys. With
    `relationships`, entities reference earlier ones through foreign keys whose columns copy the
    parent's primary-key types (many-to-one, or one-to-one when the foreign key is also a unique key;
    cardinality comes from `derive_cardinality`), some entities are junctions (many-to-many: the
    primary key is two required foreign keys; only with `composite_keys`), and with `self_references` an entity may reference
    itself through an optional foreign key. `kinds` restricts attribute types (see `SUPPORTED_KINDS`;
    at least one of `KEY_KINDS` is needed for keys).
    """
    _check_count("min_entities", min_entities, 0, 50)
    _check_count("max_entities", max_entities, 1, 50)
    if min_entities > max_entities:
        raise ValueError(f"min_entities={min_entities} > max_entities={max_entities}; pass min_entities <= max_entities")
    for flag, value in (("relationships", relationships), ("self_references", self_references),
                        ("composite_keys", composite_keys)):
        _check_flag(flag, value)
    allowed = _check_kinds(kinds)
    return _schema_strategy(min_entities, max_entities, relationships, self_references, composite_keys, allowed)


@st.composite
def _schema_strategy(draw: Any, min_entities: int, max_entities: int, relationships: bool,
                     self_references: bool, composite_keys: bool, kinds: frozenset[TypeKind]) -> Schema:
    count = draw(st.integers(min_entities, max_entities))
    entity_names = draw(st.lists(_identifiers(_DEFAULT_NAME), min_size=count, max_size=count, unique=True))
    names, reserved = _identifiers(_DEFAULT_NAME), reserved_words()
    key_types, plain_types = _types(kinds, True), _types(kinds, False)
    entities: list[Entity] = []
    rels: list[Relationship] = []
    for name in entity_names:
        used: set[str] = set()

        def fresh() -> str:
            chosen = draw(names)
            # Numbering a taken name keeps the draw count fixed, which keeps shrinking fast.
            suffixes = (str(i) for i in range(1, len(used) + 2))
            while chosen in used or chosen in reserved:
                chosen = f"{chosen[:_DEFAULT_NAME - 2]}{next(suffixes)}"
            used.add(chosen)
            return chosen

        # (parent entity or None for self, fk column names, optional, one_to_one)
        fks: list[tuple[Entity | None, tuple[str, ...], bool, bool]] = []
        attributes: list[Attribute] = []

        def add_fk(parent: Entity | None, pk_types: list[CanonicalType], optional: bool, one_to_one: bool) -> tuple[str, ...]:
            cols = tuple(fresh() for _ in pk_types)
            attributes.extend(Attribute(c, t, nullable=optional) for c, t in zip(cols, pk_types))
            fks.append((parent, cols, optional, one_to_one))
            return cols

        def pk_types_of(parent: Entity) -> list[CanonicalType]:
            return [parent.attribute(c).type for c in parent.primary_key]

        # A junction's key is two foreign keys, so it is composite: only when composite keys are wanted.
        junction = relationships and composite_keys and len(entities) >= 1 and draw(st.integers(0, 4)) == 0
        if junction:
            left, right = draw(st.lists(st.sampled_from(entities), min_size=2, max_size=2))
            primary_key = add_fk(left, pk_types_of(left), False, False) + add_fk(right, pk_types_of(right), False, False)
        else:
            width = draw(st.integers(1, 3)) if composite_keys and draw(st.booleans()) else 1
            primary_key = tuple(fresh() for _ in range(width))
            attributes.extend(Attribute(c, draw(key_types), nullable=False) for c in primary_key)
        for _ in range(draw(st.integers(0, 4))):
            attributes.append(Attribute(fresh(), draw(plain_types), nullable=draw(st.booleans())))
        unique_keys: list[tuple[str, ...]] = []
        candidates = [a.name for a in attributes if a.name not in primary_key and _key_capable(a.type)]
        if candidates and draw(st.integers(0, 2)) == 0:
            unique_keys.append(tuple(draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=2, unique=True))))
        if relationships and not junction:
            parents: list[st.SearchStrategy[Entity | None]] = [st.sampled_from(entities)] if entities else []
            if self_references:
                parents.append(st.none())
            for _ in range(draw(st.integers(0, 2)) if parents else 0):
                parent = draw(st.one_of(*parents))
                self_ref = parent is None
                optional = True if self_ref else draw(st.booleans())
                types = [next(a.type for a in attributes if a.name == c) for c in primary_key] if self_ref \
                    else pk_types_of(parent)  # type: ignore[arg-type]
                cols = add_fk(parent, types, optional, draw(st.integers(0, 3)) == 0)
                if fks[-1][3]:
                    unique_keys.append(cols)
        order = draw(st.permutations(attributes))
        entity = Entity(name=name, attributes=tuple(order), primary_key=primary_key, unique_keys=tuple(unique_keys))
        for parent, cols, optional, _ in fks:
            target = parent or entity
            rels.append(Relationship(name=f"fk__{name}_{len(rels) + 1}", from_entity=entity.key, from_attributes=cols,
                                     to_entity=target.key, to_attributes=target.primary_key,
                                     cardinality=derive_cardinality(entity, cols), optional=optional))
        entities.append(entity)
    return Schema(entities=tuple(entities), relationships=tuple(rels))



def key_of(values: Iterable[Any]) -> tuple[Any, ...]:
    """How the strictest engine compares a key: strings case-insensitively without trailing spaces, NULL = NULL."""
    return tuple(v.casefold().rstrip(" ") if isinstance(v, str) else v for v in values)


def _entity_order(schema: Schema) -> list[Entity]:
    """Parents before children; a cycle is cut at an optional relationship (its rows then hold NULL)."""
    pending = {e.key: e for e in schema.entities}
    placed: list[Entity] = []

    def waits_for(entity: Entity, required_only: bool) -> bool:
        return any(r.to_entity in pending and not r.is_self_reference and not (required_only and r.optional)
                   for r in schema.relationships_from(entity.key))

    while pending:
        ready = [e for e in pending.values() if not waits_for(e, required_only=False)]
        if not ready:  # a cycle: cut it at an entity whose pending parents are all optional
            ready = [e for e in pending.values() if not waits_for(e, required_only=True)][:1]
        if not ready:
            raise ValueError(f"rows_for: schema has a cycle of required foreign keys through {sorted(pending)}; "
                             "no rows can be inserted; make one relationship optional")
        for entity in ready:
            placed.append(pending.pop(entity.key))
    return placed


def rows_for(schema: Schema, min_rows: int = 0, max_rows: int = 8) -> st.SearchStrategy[dict[str, list[dict[str, Any]]]]:
    """Rows per entity key (each row maps every attribute name to a value) that satisfy the schema.

    Primary and unique keys are unique (as `key_of` compares), nullable attributes are sometimes None,
    foreign keys reference existing parent rows (or are None when optional), parents are generated
    before children and self references point at earlier rows. An entity gets at least `min_rows`
    rows unless its keys make that impossible (a required foreign key to an empty parent, a one-to-one
    or junction entity with fewer distinct parents): then it gets as many as fit.
    """
    if not isinstance(schema, Schema):
        raise ValueError(f"schema={type(schema).__name__} is invalid; pass a translator.ir.Schema")
    _check_count("min_rows", min_rows, 0, 1000)
    _check_count("max_rows", max_rows, 0, 1000)
    if min_rows > max_rows:
        raise ValueError(f"min_rows={min_rows} > max_rows={max_rows}; pass min_rows <= max_rows")
    for entity in schema.entities:
        for attribute in entity.attributes:
            if attribute.type.kind not in SUPPORTED_KINDS:
                raise ValueError(f"rows_for: {entity.key}.{attribute.name} has type {attribute.type}, which has no "
                                 f"value strategy; supported kinds are {sorted(map(str, SUPPORTED_KINDS))}")
    order = _entity_order(schema)
    return _rows_strategy(schema, order, min_rows, max_rows)


_ATTEMPTS = 20


@st.composite
def _rows_strategy(draw: Any, schema: Schema, order: list[Entity], min_rows: int, max_rows: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    placed: set[str] = set()
    for entity in order:
        out[entity.key] = _table(draw, schema, entity, out, placed, draw(st.integers(min_rows, max_rows)))
        placed.add(entity.key)
    return out


def _table(draw: Any, schema: Schema, entity: Entity, out: dict[str, list[dict[str, Any]]], placed: set[str],
           count: int) -> list[dict[str, Any]]:
    rels = schema.relationships_from(entity.key)
    fk_cols = {c for r in rels for c in r.from_attributes}
    keys = [k for k in (entity.primary_key, *entity.unique_keys,
                        *(i.columns for i in entity.indexes if i.unique and not i.predicate)) if k]
    key_cols = {c for k in keys for c in k}
    pk = set(entity.primary_key)

    def column(name: str) -> st.SearchStrategy[Any]:
        value = values_for(entity.attribute(name).type, key=name in key_cols)
        if entity.attribute(name).nullable and name not in pk:
            return st.one_of(st.none(), value) if draw(st.booleans()) else value
        return value

    # Keys made of the entity's own columns are drawn as whole unique lists, which Hypothesis
    # generates and shrinks far better than rejection; keys through foreign keys are checked per row.
    predrawn: list[dict[str, Any]] = [{} for _ in range(count)]
    checked: list[tuple[str, ...]] = []
    for key in keys:
        if set(key) & (fk_cols | set(predrawn[0] if predrawn else ())):
            checked.append(key)
            continue
        tuples = draw(st.lists(st.tuples(*map(column, key)), min_size=count, max_size=count, unique_by=key_of))
        for row, values in zip(predrawn, tuples):
            row.update(zip(key, values))
    free = {a.name: column(a.name) for a in entity.attributes
            if a.name not in fk_cols and not (predrawn and a.name in predrawn[0])}
    seen: list[set[tuple[Any, ...]]] = [set() for _ in checked]
    rows: list[dict[str, Any]] = []
    for start in predrawn:
        for _attempt in range(_ATTEMPTS):
            row = {**start, **{name: draw(gen) for name, gen in free.items()}}
            if _link(draw, row, rels, entity, rows, out, placed) and all(
                    key_of(row[c] for c in k) not in s for k, s in zip(checked, seen)):
                break
        else:
            continue  # the foreign keys leave no room for another row
        for k, s in zip(checked, seen):
            s.add(key_of(row[c] for c in k))
        rows.append({a.name: row[a.name] for a in entity.attributes})
    return rows


def _link(draw: Any, row: dict[str, Any], rels: tuple[Relationship, ...], entity: Entity,
          earlier: list[dict[str, Any]], out: dict[str, list[dict[str, Any]]], placed: set[str]) -> bool:
    """Fill `row`'s foreign-key columns from parent rows; False when a required reference is impossible."""
    for rel in rels:
        if rel.is_self_reference:
            parents = list(earlier)
            if not rel.optional and not parents:
                parents = [row]  # the first row of a required self reference points at itself
        else:
            parents = out.get(rel.to_entity, []) if rel.to_entity in placed else []
        fixed = {c: row[c] for c in rel.from_attributes if c in row}  # columns shared with an earlier FK
        usable = [p for p in parents
                  if all(p.get(t) is not None for t in rel.to_attributes)
                  and all(fixed[f] == p[t] for f, t in zip(rel.from_attributes, rel.to_attributes) if f in fixed)]
        null_ok = rel.optional and all(entity.attribute(c).nullable for c in rel.from_attributes if c not in fixed)
        if usable and not (null_ok and draw(st.integers(0, 3)) == 0):
            parent = draw(st.sampled_from(usable))
            for f, t in zip(rel.from_attributes, rel.to_attributes):
                row[f] = parent[t]
        elif null_ok:
            for f in rel.from_attributes:
                row.setdefault(f, None)
        else:
            return False
    return True


_ORDERABLE = frozenset({TypeKind.INTEGER, TypeKind.DECIMAL, TypeKind.FLOAT, TypeKind.STRING, TypeKind.DATE,
                        TypeKind.TIME, TypeKind.TIMESTAMP})


def workloads(schema: Schema, min_patterns: int = 1, max_patterns: int = 6) -> st.SearchStrategy[Workload]:
    """Workloads over `schema`: mostly reads (equality on attributes, at most one range attribute of an
    orderable type, order_by, `with_` related entities, limit), some writes keyed by the primary key;
    positive rates. Statistics are left empty so `StatsView` applies its documented defaults."""
    if not isinstance(schema, Schema) or not schema.entities:
        raise ValueError(f"schema={schema!r:.60} is invalid; pass a translator.ir.Schema with at least one entity")
    _check_count("min_patterns", min_patterns, 1, 100)
    _check_count("max_patterns", max_patterns, 1, 100)
    if min_patterns > max_patterns:
        raise ValueError(f"min_patterns={min_patterns} > max_patterns={max_patterns}; pass min_patterns <= max_patterns")
    return st.lists(_pattern(schema), min_size=min_patterns, max_size=max_patterns).map(
        lambda ps: Workload(tuple(AccessPattern(**{**_fields(p), "id": f"q{i + 1}"}) for i, p in enumerate(ps))))


def _fields(pattern: AccessPattern) -> dict[str, Any]:
    return {name: getattr(pattern, name) for name in AccessPattern.__slots__}  # type: ignore[attr-defined]


@st.composite
def _pattern(draw: Any, schema: Schema) -> AccessPattern:
    entity = draw(st.sampled_from(schema.entities))
    ref = lambda name: AttributeRef(entity.key, name)  # noqa: E731
    kind = draw(st.sampled_from((PatternKind.READ, PatternKind.READ, PatternKind.READ, *PatternKind)))
    rate = draw(st.floats(0.01, 10_000.0, allow_nan=False))
    if kind is not PatternKind.READ:
        equality = () if kind is PatternKind.WRITE else tuple(ref(c) for c in entity.primary_key)
        return AccessPattern(id="q", entity=entity.key, kind=kind, equality=equality, rate=rate)
    names = list(entity.attribute_names)
    equality = draw(st.lists(st.sampled_from(names), max_size=min(3, len(names)), unique=True))
    rest = [n for n in names if n not in equality and entity.attribute(n).type.kind in _ORDERABLE]
    range_ = draw(st.none() | st.sampled_from(rest)) if rest else None
    order = draw(st.lists(st.sampled_from(rest), max_size=2, unique=True)) if rest else []
    if range_ is not None and order and order[0] != range_:
        order = [range_]  # a range scan can only come back ordered by the range attribute first
    related = sorted(({r.to_entity for r in schema.relationships_from(entity.key)}
                      | {r.from_entity for r in schema.relationships_to(entity.key)}) - {entity.key})
    with_ = draw(st.lists(st.sampled_from(related), max_size=2, unique=True)) if related else []
    return AccessPattern(
        id="q", entity=entity.key, kind=kind, with_=tuple(with_), equality=tuple(ref(n) for n in equality),
        range=ref(range_) if range_ else None,
        order_by=tuple(OrderTerm(ref(n), draw(st.sampled_from(Direction))) for n in order),
        limit=draw(st.none() | st.integers(1, 1000)), rate=rate)
