"""The type of each key part of an entity: its own column (a foreign-key column takes its parent column's
type, so a child's copy of the parent key renders to the same string), a copied column of a related
entity, or the generated item id."""

from __future__ import annotations

from translator.ir import Entity, Schema
from translator.targets.dynamodb.model import EntityMapping
from translator.types import CanonicalType, TypeKind

__all__ = ["key_type", "part_type", "GENERATED_ID_TYPE"]

GENERATED_ID_TYPE = CanonicalType(TypeKind.UUID)


def key_type(schema: Schema, entity: Entity, column: str, _depth: int = 0) -> CanonicalType:
    """The type whose encoding a key part uses: a foreign-key column borrows its parent column's type."""
    if _depth < 8:
        for rel in schema.relationships_from(entity.key):
            if column in rel.from_attributes and not rel.is_self_reference:
                parent = schema.entity(rel.to_entity)
                target = rel.to_attributes[rel.from_attributes.index(column)]
                if parent.find_attribute(target) is not None:
                    return key_type(schema, parent, target, _depth + 1)
    return entity.attribute(column).type


def part_type(schema: Schema, mapping: EntityMapping, part: str) -> CanonicalType:
    """The type of `part` of `mapping`'s entity: a copy's source column, the generated id, or a column."""
    for spec in mapping.copies:
        if spec.part == part:
            return key_type(schema, schema.entity(spec.source), spec.column)
    if part == mapping.generated_id:
        return GENERATED_ID_TYPE
    return key_type(schema, schema.entity(mapping.entity), part)
