"""Opt-in relationship inference for schemas without foreign keys, from column names and types.

Rules (each proposal is `inferred=True` with the rule that matched):
- `name_id`: `customer_id` -> a table `customer`/`customers` whose single-column primary key is `id` or
  `customer_id`.
- `prefix`: MediaWiki style, where every column of a table carries the table's prefix (`rev_id`, `rev_page`):
  `rev_page` -> table `page` with a single-column primary key (`page_id`).
A proposal needs compatible types (integer with integer, string with string, ...) and never duplicates a
declared foreign key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Relationship, derive_cardinality
from translator.types import CanonicalType, TypeKind

__all__ = ["infer_relationships"]

_FAMILIES = {TypeKind.INTEGER: "number", TypeKind.DECIMAL: "number"}


def _compatible(a: CanonicalType, b: CanonicalType) -> bool:
    return _FAMILIES.get(a.kind, a.kind) == _FAMILIES.get(b.kind, b.kind) and a.kind is not TypeKind.OTHER


def _plural_forms(word: str) -> tuple[str, ...]:
    forms = [word, word + "s", word + "es"]
    if word.endswith("y"):
        forms.append(word[:-1] + "ies")
    return tuple(forms)


def _table_prefix(entity: Entity) -> str | None:
    """The prefix every column shares (`rev_` in MediaWiki's revision table), if at least two columns exist."""
    names = [a.name.casefold() for a in entity.attributes]
    if len(names) < 2 or not all("_" in n for n in names):
        return None
    prefix = os.path.commonprefix(names)
    cut = prefix.rfind("_")
    return prefix[: cut + 1] if cut > 0 else None


def infer_relationships(entities: Iterable[Entity], declared: Iterable[Relationship], sink: DiagnosticSink) -> tuple[Relationship, ...]:
    """Relationships proposed from names and types; declared foreign keys are never duplicated."""
    entities = tuple(entities)
    by_name: dict[str, list[Entity]] = {}
    for entity in entities:
        by_name.setdefault(entity.name.casefold(), []).append(entity)
    taken = {(r.from_entity, tuple(c.casefold() for c in r.from_attributes)) for r in declared}
    out: list[Relationship] = []
    for entity in entities:
        prefix = _table_prefix(entity)
        for attribute in entity.attributes:
            column = attribute.name.casefold()
            if (entity.key, (column,)) in taken:
                continue
            candidates: list[tuple[str, str]] = []  # (rule, target table stem)
            if column.endswith("_id") and len(column) > 3:
                candidates.append(("name_id", column[:-3]))
            if prefix and column.startswith(prefix) and len(column) > len(prefix):
                candidates.append(("prefix", column[len(prefix):]))
            for rule, stem in candidates:
                proposal = _propose(entity, attribute, rule, stem, by_name)
                if proposal is not None:
                    out.append(proposal)
                    taken.add((entity.key, (column,)))
                    break
    if out:
        sink.info("inferred-relationships", f"{len(out)} relationship(s) inferred from names and types (--infer-relationships)")
    return tuple(out)


def _propose(entity: Entity, attribute, rule: str, stem: str, by_name: dict[str, list[Entity]]) -> Relationship | None:
    for form in _plural_forms(stem):
        for target in by_name.get(form, ()):
            if len(target.primary_key) != 1:
                continue
            key = target.attribute(target.primary_key[0])
            if key.name.casefold() not in ("id", f"{stem}_id", f"{form}_id") and rule == "name_id":
                continue
            if target.key == entity.key and key.name.casefold() == attribute.name.casefold():
                continue  # a table's own key is not a reference to itself
            if not _compatible(attribute.type, key.type):
                continue
            return Relationship(
                name=f"inferred_{entity.name}_{attribute.name}",
                from_entity=entity.key,
                from_attributes=(attribute.name,),
                to_entity=target.key,
                to_attributes=(key.name,),
                cardinality=derive_cardinality(entity, (attribute.name,)),
                optional=attribute.nullable,
                inferred=True,
                rule=f"{rule}: {attribute.name} -> {target.name}.{key.name}",
            )
    return None
