"""The MongoDB design record: frozen dataclasses with a stable, documented `to_dict()` (keys in fixed order).

Decisions are the shared `targets.record.Decision`; a relationship decision's subject is the relationship
(or junction) name, and its `numbers` hold `parent` and `child` (entity keys) beside the figures used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import Diagnostic
from translator.targets.record import Decision, envelope

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
class Embedded:
    """`entity` lives inside the collection's documents at `path` (dotted from the document root)."""

    entity: str
    path: str
    shape: str  # "array" | "object"
    relationship: str
    copy: bool = False  # True for a subset copy: the entity also keeps its own collection
    max_items: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "path": self.path,
            "shape": self.shape,
            "relationship": self.relationship,
            "copy": self.copy,
            "max_items": self.max_items,
        }


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
        return {
            "path": self.path,
            "to_collection": self.to_collection,
            "relationship": self.relationship,
            "style": self.style,
            "fields": list(self.fields),
            "copied_fields": list(self.copied_fields),
        }


@dataclass(frozen=True, slots=True)
class IndexSpec:
    keys: tuple[tuple[str, Any], ...]
    unique: bool = False
    name: str = ""
    reason: str = ""
    patterns: tuple[str, ...] = ()
    partial_filter: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "keys": dict(self.keys),
            "unique": self.unique,
            "name": self.name,
            "partial_filter": dict(self.partial_filter) or None,
            "reason": self.reason,
            "patterns": list(self.patterns),
        }


@dataclass(frozen=True, slots=True)
class ShardKeyCandidate:
    """A shard key (document paths, as `shardCollection` takes them) plus the simulator's view of it:
    `fields` are the entity's attribute names behind those paths, and `simulate_key` the `--key` argument
    of `polyschema simulate --store STORE` (attribute names; `hashed(x)` for a hashed field)."""

    keys: tuple[tuple[str, Any], ...]
    fields: tuple[str, ...]
    store: str
    simulate_key: str
    reason: str

    @property
    def hashed(self) -> bool:
        return any(v == "hashed" for _, v in self.keys)

    def to_dict(self) -> dict[str, Any]:
        return {
            "keys": dict(self.keys),
            "fields": list(self.fields),
            "simulate": {"store": self.store, "key": self.simulate_key},
            "reason": self.reason,
        }


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
    size_assumed: bool = False  # the estimate rests on a defaulted fan-out
    #: Set on a collection that holds only the parentless rows of an entity embedded through this
    #: (nullable) relationship; the entity's other rows live embedded in their parents.
    orphans_of: str | None = None

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
            "estimated_size_assumed": self.size_assumed,
            "orphans_of": self.orphans_of,
        }


@dataclass(frozen=True, slots=True)
class PatternPlan:
    id: str
    collection: str | None
    query: dict[str, Any]
    index: dict[str, Any] | None
    note: str = ""
    assumed: bool = False
    #: Per `with` path, how each hop is read (reads.Step): what `answer.answer` executes on documents.
    steps: tuple[tuple[Any, ...], ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "collection": self.collection,
            "query": self.query,
            "index": self.index,
            "note": self.note,
            "assumed": self.assumed,
        }


@dataclass(frozen=True)
class MongoDesign:
    collections: tuple[Collection, ...]
    decisions: tuple[Decision, ...]
    access_patterns: tuple[PatternPlan, ...]
    diagnostics: tuple[Diagnostic, ...]
    options: tuple[tuple[str, Any], ...] = ()
    assumed: tuple[str, ...] = ()  # the envelope's `assumed`: "workload", "statistics:<entity>", ...
    workload_source: str | None = None  # the workload file, for the `simulate --workload` hint
    tenancy: Any = field(default=None, compare=False, repr=False)  # translator.tenancy.Tenancy
    patterns: tuple[Any, ...] = field(default=(), compare=False, repr=False)  # the workload's AccessPatterns
    isolation: Any = None  # isolation.Isolation when a tenant is known: request filters, zones, policies replaced
    layout: Any = field(default=None, compare=False, repr=False)  # documents.Layout: rows <-> documents

    def collection(self, name: str) -> Collection:
        for coll in self.collections:
            if coll.name == name:
                return coll
        raise KeyError(f"no collection {name!r} in the design")

    def to_dict(self) -> dict[str, Any]:
        body = {
            "options": dict(self.options),
            "collections": [c.to_dict() for c in self.collections],
            "decisions": [d.to_dict() for d in self.decisions],
            "access_patterns": [p.to_dict() for p in self.access_patterns],
            "tenancy": self.isolation.to_dict() if self.isolation is not None else None,
        }
        return envelope("mongodb", body, assumed=self.assumed, diagnostics=self.diagnostics)
