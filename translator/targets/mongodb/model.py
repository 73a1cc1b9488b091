"""The MongoDB design record: frozen dataclasses with a stable, documented `to_dict()` (keys in fixed order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import Diagnostic

__all__ = [
    "Decision",
    "Embedded",
    "Reference",
    "IndexSpec",
    "ShardKeyCandidate",
    "Collection",
    "PatternPlan",
    "MongoDesign",
]


@dataclass(frozen=True, slots=True)
class Decision:
    """One explained choice about a relationship (or a junction, for many-to-many)."""

    relationship: str
    choice: str
    rule: str
    reason: str
    inputs: tuple[tuple[str, Any], ...] = ()
    assumed: tuple[str, ...] = ()
    parent: str | None = None
    child: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "relationship": self.relationship,
            "parent": self.parent,
            "child": self.child,
            "choice": self.choice,
            "rule": self.rule,
            "reason": self.reason,
            "inputs": dict(self.inputs),
            "assumed": list(self.assumed),
        }


@dataclass(frozen=True, slots=True)
class Embedded:
    """`entity` lives inside the collection's documents at `path` (dotted from the document root)."""

    entity: str
    path: str
    shape: str  # "array" | "object"
    relationship: str
    copy: bool = False  # True for a subset copy: the entity also keeps its own collection
    max_items: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "path": self.path, "shape": self.shape, "relationship": self.relationship,
                "copy": self.copy, "max_items": self.max_items}


@dataclass(frozen=True, slots=True)
class Reference:
    """A field at `path` holding the key(s) of documents in `to_collection`."""

    path: str
    to_collection: str
    relationship: str
    style: str  # "parent-id" | "child-ids" | "two-way" | "extended"
    fields: tuple[str, ...] = ()
    copied_fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "to_collection": self.to_collection, "relationship": self.relationship,
                "style": self.style, "fields": list(self.fields), "copied_fields": list(self.copied_fields)}


@dataclass(frozen=True, slots=True)
class IndexSpec:
    keys: tuple[tuple[str, Any], ...]
    unique: bool = False
    name: str = ""
    reason: str = ""
    patterns: tuple[str, ...] = ()
    partial_filter: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"keys": dict(self.keys), "unique": self.unique, "name": self.name,
                "partial_filter": dict(self.partial_filter) or None, "reason": self.reason,
                "patterns": list(self.patterns)}


@dataclass(frozen=True, slots=True)
class ShardKeyCandidate:
    """A shard key plus the `polyschema simulate --store STORE --key KEY` arguments that model it."""

    keys: tuple[tuple[str, Any], ...]
    store: str
    key: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"keys": dict(self.keys), "simulate": {"store": self.store, "key": self.key}, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Collection:
    name: str
    source_entity: str
    id_fields: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # (attribute, document field) for the source entity's own columns
    embedded: tuple[Embedded, ...] = ()
    references: tuple[Reference, ...] = ()
    validator: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    indexes: tuple[IndexSpec, ...] = ()
    shard_key_candidates: tuple[ShardKeyCandidate, ...] = ()
    estimated_max_document_bytes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source_entity": self.source_entity,
            "id": list(self.id_fields),
            "fields": dict(self.fields),
            "embedded": [e.to_dict() for e in self.embedded],
            "references": [r.to_dict() for r in self.references],
            "validator": self.validator,
            "indexes": [i.to_dict() for i in self.indexes],
            "shard_key_candidates": [s.to_dict() for s in self.shard_key_candidates],
            "estimated_max_document_bytes": self.estimated_max_document_bytes,
        }


@dataclass(frozen=True, slots=True)
class PatternPlan:
    id: str
    collection: str | None
    query: dict[str, Any]
    index: dict[str, Any] | None
    note: str = ""
    assumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "collection": self.collection, "query": self.query, "index": self.index,
                "note": self.note, "assumed": self.assumed}


@dataclass(frozen=True)
class MongoDesign:
    collections: tuple[Collection, ...]
    decisions: tuple[Decision, ...]
    access_patterns: tuple[PatternPlan, ...]
    diagnostics: tuple[Diagnostic, ...]
    options: tuple[tuple[str, Any], ...] = ()
    workload_assumed: bool = False
    layout: Any = field(default=None, compare=False, repr=False)  # documents.Layout: rows <-> documents

    def collection(self, name: str) -> Collection:
        for coll in self.collections:
            if coll.name == name:
                return coll
        raise KeyError(f"no collection {name!r} in the design")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "polyschema.mongodb/1",
            "target": "mongodb",
            "options": dict(self.options),
            "workload_assumed": self.workload_assumed,
            "collections": [c.to_dict() for c in self.collections],
            "decisions": [d.to_dict() for d in self.decisions],
            "access_patterns": [p.to_dict() for p in self.access_patterns],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
