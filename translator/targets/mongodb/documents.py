"""Rows <-> documents for a MongoDB design: what a migration writes, and how it is checked back.

`rows_to_documents(design, rows)` turns relational rows (a list of dicts per entity) into the
documents of each collection; `documents_to_rows(design, documents)` is its inverse. Derived data
(arrays of child ids, subset and extended-reference copies, the second side of a two-way reference) is
rebuilt from the rows on the way in and ignored on the way out, so the round trip is exact (except
BSON's millisecond dates, see codecs.py). A row that cannot be placed (an embedded child whose parent
row is missing) is a `DocumentMappingError`, never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from translator.errors import PolyschemaError
from translator.targets.mongodb.codecs import decode_value, encode_value
from translator.targets.mongodb.layout import Copy, IdArray, Layout, Node
from translator.workload.model import Direction

__all__ = ["DocumentMappingError", "rows_to_documents", "documents_to_rows"]

Row = Mapping[str, Any]


class DocumentMappingError(PolyschemaError):
    """Rows that do not fit the design (e.g. an embedded child without its parent row)."""


def _layout(design_or_layout: Any) -> Layout:
    layout = getattr(design_or_layout, "layout", design_or_layout)
    if not isinstance(layout, Layout):
        raise TypeError(
            f"design={type(design_or_layout).__name__} is not a MongoDB design; pass TARGET.design(...)'s result"
        )
    return layout


class _Index:
    """Rows of each entity grouped by a tuple of attributes, built on first use."""

    def __init__(self, rows: Mapping[str, list[Row]]) -> None:
        self.rows = rows
        self._cache: dict[tuple[str, tuple[str, ...]], dict[tuple[Any, ...], list[int]]] = {}

    def lookup(self, entity: str, attrs: tuple[str, ...], values: tuple[Any, ...]) -> list[int]:
        key = (entity, attrs)
        if key not in self._cache:
            groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
            for i, row in enumerate(self.rows.get(entity, ())):
                group = tuple(row.get(a) for a in attrs)
                if None not in group:
                    groups[group].append(i)
            self._cache[key] = groups
        return self._cache[key].get(values, [])


def _normalize_rows(layout: Layout, rows: Mapping[str, Iterable[Row]]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for name, entity_rows in rows.items():
        entity = layout.schema.find_entity(name)
        if entity is None:
            raise DocumentMappingError(f"rows given for {name!r}, which is not an entity of the schema")
        out[entity.key] = list(entity_rows)
    return out


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


def rows_to_documents(design: Any, rows: Mapping[str, Iterable[Row]]) -> dict[str, list[dict[str, Any]]]:
    """Documents per collection name for `rows` (entity key or name -> list of {attribute: value})."""
    layout = _layout(design)
    ctx = (layout.mapping, layout.uuid_representation)
    data = _normalize_rows(layout, rows)
    index = _Index(data)
    placed: dict[str, set[int]] = defaultdict(set)

    def parent_values(row: Row, attrs: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(row.get(a) for a in attrs)

    def ids(arr: IdArray, row: Row) -> list[Any]:
        out = []
        for i in index.lookup(arr.source, arr.match_source, parent_values(row, arr.match_own)):
            src = data[arr.source][i]
            if arr.restores:
                placed[arr.source].add(i)
            pairs = zip(arr.value_attributes, arr.value_types, strict=False)
            values = [encode_value(src.get(a), fm.type, ctx) for a, fm in pairs]
            if arr.scalar:
                out.append(values[0])
                continue
            element = dict(zip(arr.value_fields, values, strict=False))
            target, target_attrs = arr.target
            keys = tuple(src.get(a) for a in arr.value_attributes[: len(target_attrs)])
            found = index.lookup(target, target_attrs, keys) if arr.copies else []
            if found:
                other = data[target][found[0]]
                element.update({fm.field: encode_value(other.get(fm.attribute), fm.type, ctx) for fm in arr.copies})
            out.append(element)
        return out

    def copy(cp: Copy, row: Row) -> Any:
        if cp.style == "extended":
            found = index.lookup(cp.source, cp.rel.to_attributes, parent_values(row, cp.rel.from_attributes))
            if not found:
                return None
            src = data[cp.source][found[0]]
            return {fm.field: encode_value(src.get(fm.attribute), fm.type, ctx) for fm in cp.fields}
        rows_found = [
            data[cp.source][i]
            for i in index.lookup(cp.source, cp.rel.from_attributes, parent_values(row, cp.rel.to_attributes))
        ]
        for term in reversed(cp.order):
            rows_found.sort(
                key=lambda r: _sort_key(r.get(term.attribute.attribute)), reverse=term.direction is Direction.DESC
            )
        return [
            {fm.field: encode_value(r.get(fm.attribute), fm.type, ctx) for fm in cp.fields}
            for r in rows_found[: cp.limit]
        ]

    def build(node: Node, row: Row) -> dict[str, Any]:
        doc = {fm.field: encode_value(row.get(fm.attribute), fm.type, ctx) for fm in node.fields}
        for link in node.links:
            child = link.node.entity
            found = index.lookup(child, link.rel.from_attributes, parent_values(row, link.rel.to_attributes))
            placed[child].update(found)
            children = [build(link.node, data[child][i]) for i in found]
            if link.shape == "array":
                doc[link.field] = children
            elif len(children) > 1:
                raise DocumentMappingError(
                    f"{child}: {len(children)} rows share the one-to-one key "
                    f"{parent_values(row, link.rel.to_attributes)} of {link.rel.name}"
                )
            elif children:
                doc[link.field] = children[0]
        for arr in node.id_arrays:
            doc[arr.field] = ids(arr, row)
        for cp in node.copies:
            value = copy(cp, row)
            if value is not None:
                doc[cp.field] = value
        return doc

    out: dict[str, list[dict[str, Any]]] = {}
    for name, node in layout.collections:
        out[name] = [build(node, row) for row in data.get(node.entity, ())]
    for name, node in layout.orphans:  # embedded through a nullable key: the rows without a parent
        implied = [child for child, _ in layout.nodes[node.entity][1].implied]
        rows_here = [
            i
            for i, row in enumerate(data.get(node.entity, ()))
            if i not in placed[node.entity] and any(row.get(a) is None for a in implied)
        ]
        placed[node.entity].update(rows_here)
        out[name] = [build(node, data[node.entity][i]) for i in rows_here]
    absorbed = [e.key for e in layout.schema.entities if e.key not in {n.entity for _, n in layout.collections}]
    for entity in absorbed:
        left = len(data.get(entity, ())) - len(placed[entity])
        if left:
            example = next(r for i, r in enumerate(data[entity]) if i not in placed[entity])
            raise DocumentMappingError(
                f"{left} row(s) of {entity} have no parent document to live in "
                f"(first: {dict(example)!r:.200}); fix the foreign keys or keep {entity} referenced"
            )
    return out


def documents_to_rows(
    design: Any, documents: Mapping[str, Iterable[Mapping[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Rows per entity key from `documents` (collection name -> documents), the inverse of `rows_to_documents`."""
    layout = _layout(design)
    ctx = (layout.mapping, layout.uuid_representation)
    known = {**dict(layout.collections), **dict(layout.orphans)}
    unknown = sorted(set(documents) - set(known))
    if unknown:
        raise DocumentMappingError(f"documents given for unknown collections {unknown}; the design has {sorted(known)}")
    out: dict[str, list[dict[str, Any]]] = {e.key: [] for e in layout.schema.entities}
    schema = layout.schema

    def rows_of(node: Node, doc: Mapping[str, Any], parent_row: Row | None) -> None:
        entity = schema.entity(node.entity)
        row: dict[str, Any] = {}
        for fm in node.fields:
            if fm.field not in doc and not fm.nullable:
                raise DocumentMappingError(f"{node.entity}: document lacks required field {fm.field!r}")
            row[fm.attribute] = decode_value(doc.get(fm.field), fm.type, ctx)
        for child_attr, parent_attr in node.implied:
            row[child_attr] = parent_row.get(parent_attr) if parent_row is not None else None
        out[node.entity].append({a: row.get(a) for a in entity.attribute_names})
        for link in node.links:
            value = doc.get(link.field)
            for child_doc in (value or []) if link.shape == "array" else ([value] if value is not None else []):
                rows_of(link.node, child_doc, row)
        for arr in node.id_arrays:
            if not arr.restores:
                continue
            for element in doc.get(arr.field) or []:
                values = [element] if arr.scalar else [element.get(f) for f in arr.value_fields]
                junction = {s: row.get(o) for s, o in zip(arr.match_source, arr.match_own, strict=False)}
                for a, fm, v in zip(arr.value_attributes, arr.value_types, values, strict=False):
                    junction[a] = decode_value(v, fm.type, ctx)
                out[arr.source].append({a: junction.get(a) for a in schema.entity(arr.source).attribute_names})

    for name, docs in documents.items():
        for doc in docs:
            rows_of(known[name], doc, None)
    return out
