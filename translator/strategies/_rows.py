"""`rows_for()`: rows that satisfy a schema's keys and foreign keys, parents first."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from translator.ir import Entity, Relationship, Schema
from translator.sample_rows import insertion_order
from translator.strategies._types import SUPPORTED_KINDS, _check_count, key_of, values_for


def rows_for(
    schema: Schema, min_rows: int = 0, max_rows: int = 8
) -> st.SearchStrategy[dict[str, list[dict[str, Any]]]]:
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
                raise ValueError(
                    f"rows_for: {entity.key}.{attribute.name} has type {attribute.type}, which has no "
                    f"value strategy; supported kinds are {sorted(map(str, SUPPORTED_KINDS))}"
                )
    order, cycle = insertion_order(schema)
    if cycle:
        raise ValueError(
            f"rows_for: schema has a cycle of required foreign keys through {cycle}; "
            "no rows can be inserted; make one relationship optional"
        )
    return _rows_strategy(schema, order, min_rows, max_rows)


_ATTEMPTS = 20


@st.composite
def _rows_strategy(
    draw: Any, schema: Schema, order: list[Entity], min_rows: int, max_rows: int
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    placed: set[str] = set()
    for entity in order:
        out[entity.key] = _table(draw, schema, entity, out, placed, draw(st.integers(min_rows, max_rows)))
        placed.add(entity.key)
    return out


def _table(
    draw: Any, schema: Schema, entity: Entity, out: dict[str, list[dict[str, Any]]], placed: set[str], count: int
) -> list[dict[str, Any]]:
    rels = schema.relationships_from(entity.key)
    fk_cols = {c for r in rels for c in r.from_attributes}
    keys = [
        k
        for k in (
            entity.primary_key,
            *entity.unique_keys,
            *(i.columns for i in entity.indexes if i.unique and not i.predicate),
        )
        if k
    ]
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
        for row, values in zip(predrawn, tuples, strict=True):
            row.update(zip(key, values, strict=True))
    free = {
        a.name: column(a.name)
        for a in entity.attributes
        if a.name not in fk_cols and not (predrawn and a.name in predrawn[0])
    }
    seen: list[set[tuple[Any, ...]]] = [set() for _ in checked]
    rows: list[dict[str, Any]] = []
    for start in predrawn:
        for _attempt in range(_ATTEMPTS):
            row = {**start, **{name: draw(gen) for name, gen in free.items()}}
            if _link(draw, row, rels, entity, rows, out, placed) and all(
                key_of(row[c] for c in k) not in s for k, s in zip(checked, seen, strict=True)
            ):
                break
        else:
            continue  # the foreign keys leave no room for another row
        for k, s in zip(checked, seen, strict=True):
            s.add(key_of(row[c] for c in k))
        rows.append({a.name: row[a.name] for a in entity.attributes})
    return rows


def _link(
    draw: Any,
    row: dict[str, Any],
    rels: tuple[Relationship, ...],
    entity: Entity,
    earlier: list[dict[str, Any]],
    out: dict[str, list[dict[str, Any]]],
    placed: set[str],
) -> bool:
    """Fill `row`'s foreign-key columns from parent rows; False when a required reference is impossible."""
    for rel in rels:
        if rel.is_self_reference:
            parents = list(earlier)
            if not rel.optional and not parents:
                parents = [row]  # the first row of a required self reference points at itself
        else:
            parents = out.get(rel.to_entity, []) if rel.to_entity in placed else []
        fixed = {c: row[c] for c in rel.from_attributes if c in row}  # columns shared with an earlier FK
        usable = [
            p
            for p in parents
            if all(p.get(t) is not None for t in rel.to_attributes)
            and all(
                fixed[f] == p[t] for f, t in zip(rel.from_attributes, rel.to_attributes, strict=False) if f in fixed
            )
        ]
        null_ok = rel.optional and all(entity.attribute(c).nullable for c in rel.from_attributes if c not in fixed)
        if usable and not (null_ok and draw(st.integers(0, 3)) == 0):
            parent = draw(st.sampled_from(usable))
            for f, t in zip(rel.from_attributes, rel.to_attributes, strict=False):
                row[f] = parent[t]
        elif null_ok:
            for f in rel.from_attributes:
                row.setdefault(f, None)
        else:
            return False
    return True
