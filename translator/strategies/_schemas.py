"""`schemas()`: valid schemas with keys, foreign keys, one-to-one, self references and junctions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st

from translator.ir import Attribute, Entity, Relationship, Schema, derive_cardinality
from translator.strategies._types import (
    _DEFAULT_NAME,
    _check_count,
    _check_flag,
    _check_kinds,
    _identifiers,
    _key_capable,
    _types,
    reserved_words,
)
from translator.types import CanonicalType, TypeKind


def schemas(
    min_entities: int = 1,
    max_entities: int = 6,
    *,
    relationships: bool = True,
    self_references: bool = True,
    composite_keys: bool = True,
    kinds: Iterable[str | TypeKind] | None = None,
) -> st.SearchStrategy[Schema]:
    """Valid schemas of `min_entities`..`max_entities` entities.

    Every entity has a primary key (composite when `composite_keys`); some have unique keys. With
    `relationships`, entities reference earlier ones through foreign keys whose columns copy the
    parent's primary-key types (many-to-one, or one-to-one when the foreign key is also a unique key;
    cardinality comes from `derive_cardinality`), some entities are junctions (many-to-many: the
    primary key is two required foreign keys; only with `composite_keys`), and with `self_references` an
    entity may reference itself through an optional foreign key. `kinds` restricts attribute types
    (see `SUPPORTED_KINDS`; at least one of `KEY_KINDS` is needed for keys).
    """
    _check_count("min_entities", min_entities, 0, 50)
    _check_count("max_entities", max_entities, 1, 50)
    if min_entities > max_entities:
        raise ValueError(
            f"min_entities={min_entities} > max_entities={max_entities}; pass min_entities <= max_entities"
        )
    for flag, value in (
        ("relationships", relationships),
        ("self_references", self_references),
        ("composite_keys", composite_keys),
    ):
        _check_flag(flag, value)
    allowed = _check_kinds(kinds)
    return _schema_strategy(min_entities, max_entities, relationships, self_references, composite_keys, allowed)


@st.composite
def _schema_strategy(
    draw: Any,
    min_entities: int,
    max_entities: int,
    relationships: bool,
    self_references: bool,
    composite_keys: bool,
    kinds: frozenset[TypeKind],
) -> Schema:
    count = draw(st.integers(min_entities, max_entities))
    entity_names = draw(st.lists(_identifiers(_DEFAULT_NAME), min_size=count, max_size=count, unique=True))
    names, reserved = _identifiers(_DEFAULT_NAME), reserved_words()
    key_types, plain_types = _types(kinds, True), _types(kinds, False)
    entities: list[Entity] = []
    rels: list[Relationship] = []
    for name in entity_names:
        used: set[str] = set()

        def fresh(used: set[str] = used) -> str:  # bound per entity
            chosen = draw(names)
            # Numbering a taken name keeps the draw count fixed, which keeps shrinking fast.
            suffixes = (str(i) for i in range(1, len(used) + 2))
            while chosen in used or chosen in reserved:
                chosen = f"{chosen[: _DEFAULT_NAME - 2]}{next(suffixes)}"
            used.add(chosen)
            return chosen

        # (parent entity or None for self, fk column names, optional, one_to_one)
        fks: list[tuple[Entity | None, tuple[str, ...], bool, bool]] = []
        attributes: list[Attribute] = []

        def add_fk(
            parent: Entity | None,
            pk_types: list[CanonicalType],
            optional: bool,
            one_to_one: bool,
            attributes: list[Attribute] = attributes,  # bound per entity
            fks: list[tuple[Entity | None, tuple[str, ...], bool, bool]] = fks,
        ) -> tuple[str, ...]:
            cols = tuple(fresh() for _ in pk_types)
            attributes.extend(Attribute(c, t, nullable=optional) for c, t in zip(cols, pk_types, strict=True))
            fks.append((parent, cols, optional, one_to_one))
            return cols

        def pk_types_of(parent: Entity) -> list[CanonicalType]:
            return [parent.attribute(c).type for c in parent.primary_key]

        # A junction's key is two foreign keys, so it is composite: only when composite keys are wanted.
        junction = relationships and composite_keys and len(entities) >= 1 and draw(st.integers(0, 4)) == 0
        if junction:
            left, right = draw(st.lists(st.sampled_from(entities), min_size=2, max_size=2))
            primary_key = add_fk(left, pk_types_of(left), False, False) + add_fk(
                right, pk_types_of(right), False, False
            )
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
                types = (
                    [next(a.type for a in attributes if a.name == c) for c in primary_key]
                    if self_ref
                    else pk_types_of(parent)
                )
                cols = add_fk(parent, types, optional, draw(st.integers(0, 3)) == 0)
                if fks[-1][3]:
                    unique_keys.append(cols)
        order = draw(st.permutations(attributes))
        entity = Entity(name=name, attributes=tuple(order), primary_key=primary_key, unique_keys=tuple(unique_keys))
        for parent, cols, optional, _ in fks:
            target = parent or entity
            rels.append(
                Relationship(
                    name=f"fk__{name}_{len(rels) + 1}",
                    from_entity=entity.key,
                    from_attributes=cols,
                    to_entity=target.key,
                    to_attributes=target.primary_key,
                    cardinality=derive_cardinality(entity, cols),
                    optional=optional,
                )
            )
        entities.append(entity)
    return Schema(entities=tuple(entities), relationships=tuple(rels))
