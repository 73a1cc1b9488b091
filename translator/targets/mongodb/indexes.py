"""Indexes: unique keys, the equality-sort-range (ESR) rule per access pattern, and reference fields.

ESR: equality fields first (any order serves), then the sort fields with their directions, then the
range field, so one index scan returns the rows already sorted (MongoDB's documented ESR guideline).
An index whose keys start with another's (same directions) serves both; only the longer one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.targets.mongodb.decide import Plan
from translator.targets.mongodb.layout import FieldNotHeld, Layout
from translator.workload.model import AccessPattern, Direction, Workload

__all__ = ["IndexDraft", "plan_indexes", "esr_keys", "index_name"]


@dataclass
class IndexDraft:
    keys: tuple[tuple[str, Any], ...]
    unique: bool
    reason: str
    patterns: list[str] = field(default_factory=list)
    partial_filter: tuple[tuple[str, Any], ...] = ()


def _name(keys: tuple[tuple[str, Any], ...]) -> str:
    return "_".join(f"{path}_{direction}" for path, direction in keys)


def esr_keys(layout: Layout, pattern: AccessPattern) -> tuple[tuple[tuple[str, Any], ...], str]:
    """(index keys, note) serving `pattern` by ESR; empty keys plus a note when no index applies."""
    keys: list[tuple[str, Any]] = []
    try:
        keys += [(layout.ref_path(pattern.entity, ref), 1) for ref in pattern.equality]
        for term in pattern.order_by:
            keys.append(
                (layout.ref_path(pattern.entity, term.attribute), -1 if term.direction is Direction.DESC else 1)
            )
        if pattern.range is not None:
            keys.append((layout.ref_path(pattern.entity, pattern.range), 1))
    except FieldNotHeld as exc:
        return (), str(exc.args[0])
    except KeyError as exc:
        return (), f"no field for {exc.args[0]}"
    seen: dict[str, Any] = {}
    for path, direction in keys:
        seen.setdefault(path, direction)
    return tuple(seen.items()), ""


def _add(drafts: dict[str, list[IndexDraft]], collection: str, new: IndexDraft) -> IndexDraft:
    mine = drafts.setdefault(collection, [])
    for existing in mine:
        if (
            existing.keys[: len(new.keys)] == new.keys
            and (existing.unique or not new.unique)
            and existing.partial_filter == new.partial_filter
        ):
            existing.patterns.extend(p for p in new.patterns if p not in existing.patterns)
            return existing
    for i, existing in enumerate(mine):  # a longer non-unique index also serves a shorter one's prefix
        if not existing.unique and new.keys[: len(existing.keys)] == existing.keys and not existing.partial_filter:
            new.patterns[:0] = [p for p in existing.patterns if p not in new.patterns]
            new.reason = f"{existing.reason}; {new.reason}"
            mine[i] = new
            return new
    mine.append(new)
    return new


def _partial(layout: Layout, entity: str, attrs: tuple[str, ...], paths: list[str]) -> tuple[tuple[str, Any], ...]:
    """SQL lets many rows hold NULL in a unique column; MongoDB would not, so nulls are left out of the index."""
    ent = layout.schema.entity(entity)
    out = []
    for attr, path in zip(attrs, paths, strict=False):
        a = ent.attribute(attr)
        if a.nullable:
            rule = layout.mapping.rule_for(a.type, layout.uuid_representation)
            # partialFilterExpression allows $type but not $ne: an untyped (json) column can only ask $exists
            out.append((path, {"$type": rule.bson_type} if rule.bson_type else {"$exists": True}))
    return tuple(out)


def plan_indexes(layout: Layout, plan: Plan, workload: Workload, sink: DiagnosticSink) -> dict[str, list[IndexDraft]]:
    """Index drafts per collection; each draft lists the access patterns it serves."""
    drafts: dict[str, list[IndexDraft]] = {}
    schema = layout.schema
    for entity in schema.entities:
        if entity.key not in layout.nodes:
            continue
        collection, node = layout.nodes[entity.key]
        embedded = bool(node.path)
        for index in entity.indexes:
            if index.unique and not index.predicate and index.has_prefix:
                # A key on the first N characters is not unique over the whole value: MongoDB has no prefix
                # index, and a unique index on the whole field would refuse rows the source accepts.
                sink.warning(
                    "mongodb-prefix-unique-skipped",
                    f"{entity.key}: unique key ({', '.join(index.columns)}) covers only a prefix of a column; "
                    "it is not a candidate key and gets no unique index",
                    subject=entity.key,
                    lost=f"prefix uniqueness of ({', '.join(index.columns)})",
                )
        for key in (
            entity.primary_key,
            *entity.unique_keys,
            *(i.columns for i in entity.indexes if i.unique and not i.predicate and not i.has_prefix),
        ):
            if not key:
                continue
            try:
                paths = [layout.path_of(entity.key, a) for a in key]
            except KeyError:  # an expression key such as LOWER(name): MongoDB indexes fields only
                sink.warning(
                    "mongodb-unique-expression-skipped",
                    f"{entity.key}: unique key ({', '.join(key)}) is on an expression; MongoDB cannot index "
                    "it (store the normalized value in a field, or use a case-insensitive collation)",
                    subject=entity.key,
                    lost=f"uniqueness of ({', '.join(key)})",
                )
                continue
            if paths == ["_id"]:
                continue
            if embedded:
                if all(p.startswith(node.path + ".") for p in paths):
                    _add(
                        drafts,
                        collection,
                        IndexDraft(
                            tuple((p, 1) for p in paths),
                            False,
                            f"find {entity.key} by its key ({', '.join(key)}) inside the "
                            f"embedded array; MongoDB cannot enforce uniqueness within one document's array",
                        ),
                    )
                continue
            _add(
                drafts,
                collection,
                IndexDraft(
                    tuple((p, 1) for p in paths),
                    True,
                    f"unique key ({', '.join(key)}) of {entity.key}",
                    partial_filter=_partial(layout, entity.key, key, paths),
                ),
            )
    embedded_rels = set(plan.embeds.values())
    absorbed = {jp.link.left for jp in plan.junctions} | {jp.link.right for jp in plan.junctions}
    for rel in schema.relationships:
        if rel in embedded_rels or rel in absorbed or rel.from_entity not in layout.nodes:
            continue
        collection = layout.collection_of(rel.from_entity)
        paths = [layout.path_of(rel.from_entity, a) for a in rel.from_attributes]
        if paths == ["_id"]:
            continue
        _add(
            drafts,
            collection,
            IndexDraft(
                tuple((p, 1) for p in dict.fromkeys(paths)),
                False,
                f"reference {rel.name}: find the {rel.from_entity} of a {rel.to_entity}",
            ),
        )
    for pattern in workload.access_patterns:
        if pattern.entity not in layout.nodes:
            continue
        keys, _ = esr_keys(layout, pattern)
        if keys and keys[0][0] != "_id":
            _add(
                drafts,
                layout.collection_of(pattern.entity),
                IndexDraft(keys, False, f"ESR for {pattern.id}", [pattern.id]),
            )
    return drafts


def index_name(keys: tuple[tuple[str, Any], ...]) -> str:
    return _name(keys)
