"""polyschema's translator: relational DDL or a live database -> canonical IR -> NoSQL designs."""

from translator.errors import PolyschemaError
from translator.ir import Attribute, Cardinality, Entity, Index, ManyToMany, Relationship, Schema
from translator.sources import load_schema
from translator.types import CanonicalType, TypeKind

__all__ = [
    "load_schema",
    "Schema",
    "Entity",
    "Attribute",
    "Index",
    "Relationship",
    "ManyToMany",
    "Cardinality",
    "CanonicalType",
    "TypeKind",
    "PolyschemaError",
]
