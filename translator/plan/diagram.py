"""Diagrams as plain data (boxes, rows, nested boxes, edges), drawn by `svg.py` and `mermaid.py` alike.

The source model is an ER diagram. Each target's design is drawn in the style its report entry names
(`mappings/plan.toml`: `[<target>] diagram = "..."`), dispatched by convention to `style_<name>` here; a
style reads the design's JSON defensively and, when the shape is not the one it knows, the generic
container diagram built from the shared summaries (key candidates, serving, size checks) is drawn instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.mapdata import load_mapping

__all__ = ["Box", "Diagram", "er_diagram", "design_diagram", "MAX_BOXES"]

#: Diagrams stay readable and bounded: beyond this many boxes the rest are listed, not drawn.
MAX_BOXES = 40
MAX_ROWS = 12


@dataclass
class Box:
    id: str
    title: str
    subtitle: str = ""
    rows: list[tuple[str, str]] = field(default_factory=list)  # (marker, text)
    children: list[Box] = field(default_factory=list)
    group: str = ""  # boxes with the same group are drawn together (partitions of one table)


@dataclass
class Diagram:
    kind: str  # "er" | "documents" | "tables" | "facets" | "containers"
    title: str
    boxes: list[Box]
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (from id, to id, label)
    omitted: int = 0  # boxes not drawn (MAX_BOXES)


def _cap(boxes: list[Box]) -> tuple[list[Box], int]:
    for box in boxes:
        if len(box.rows) > MAX_ROWS:
            extra = len(box.rows) - MAX_ROWS + 1
            box.rows = box.rows[:MAX_ROWS - 1] + [("", f"... {extra} more")]
    return boxes[:MAX_BOXES], max(0, len(boxes) - MAX_BOXES)


def er_diagram(source: dict[str, Any]) -> Diagram:
    """Entities with their keys and row counts, relationships with cardinality; the most connected first."""
    degree: dict[str, int] = {}
    for rel in source["relationships"]:
        for end in (rel["from"], rel["to"]):
            degree[end] = degree.get(end, 0) + 1
    entities = sorted(source["entities"], key=lambda e: -degree.get(e["key"], 0))
    boxes = []
    for ent in entities:
        fks = {a for rel in source["relationships"] if rel["from"] == ent["key"] for a in rel["from_attributes"]}
        rows = [("PK" if a["name"] in ent["primary_key"] else "FK" if a["name"] in fks else "",
                 f"{a['name']}: {a['type']}") for a in ent["attributes"]]
        rows.sort(key=lambda r: {"PK": 0, "FK": 1}.get(r[0], 2))
        marker = " (assumed)" if ent["assumed"] else ""
        boxes.append(Box(ent["key"], ent["key"], f"{ent['rows']:,.0f} rows{marker}", rows))
    boxes, omitted = _cap(boxes)
    drawn = {b.id for b in boxes}
    edges = [(r["from"], r["to"], f"{r['cardinality']} avg {r['fanout']['avg']:g}")
             for r in source["relationships"] if r["from"] in drawn and r["to"] in drawn]
    return Diagram("er", "Source model", boxes, edges, omitted)


def style_documents(design: dict[str, Any], plan: Any) -> Diagram | None:
    """MongoDB document trees: a collection, its fields, and the embedded documents nested inside."""
    collections = design.get("collections")
    if not isinstance(collections, list):
        return None

    def tree(node: dict[str, Any], path: str) -> Box:
        fields = node.get("fields") or {}
        names = list(fields.values()) if isinstance(fields, dict) else [str(f) for f in fields]
        box = Box(path, str(node.get("name") or node.get("path") or path),
                  f"{node['estimated_max_document_bytes']} B max" if "estimated_max_document_bytes" in node else "",
                  [("", str(n)) for n in names])
        if node.get("entity") and not names:
            shape = "array of" if node.get("shape") == "array" else "one"
            limit = f", at most {node['max_items']}" if node.get("max_items") else ""
            copy = ", copied subset" if node.get("copy") else ""
            box.rows.append(("emb", f"{shape} {node['entity']}{limit}{copy}"))
        for ref in node.get("references") or []:
            if isinstance(ref, dict):
                box.rows.append(("ref", f"{ref.get('path')} -> {ref.get('to_collection')}"))
        for i, child in enumerate(node.get("embedded") or []):
            if isinstance(child, dict):
                label = child.get("path") or child.get("name") or f"embedded{i}"
                box.children.append(tree(child, f"{path}.{label}"))
        return box

    boxes = [tree(c, str(c.get("name"))) for c in collections if isinstance(c, dict)]
    boxes, omitted = _cap(boxes)
    return Diagram("documents", "Document trees", boxes, [], omitted)


def style_tables(design: dict[str, Any], plan: Any) -> Diagram | None:
    """Chebotko-style table diagrams: K partition key, C clustering (with order), S static; queries to tables."""
    tables = design.get("tables")
    if not isinstance(tables, list) or not all(isinstance(t, dict) and "partition_key" in t for t in tables):
        return None
    boxes = []
    edges = []
    for table in tables:
        pk = [str(p) for p in table.get("partition_key") or []]
        clustering = [c if isinstance(c, str) else f"{c.get('name', c.get('column'))} {c.get('order', '')}".strip()
                      for c in table.get("clustering") or []]
        static = set(table.get("static") or [])
        rows = [("K", p) for p in pk] + [("C", c) for c in clustering]
        named = set(pk) | {c.split(" ")[0] for c in clustering}
        for col in table.get("columns") or []:
            name = col.get("name") if isinstance(col, dict) else str(col)
            if name not in named:
                text = f"{name}: {col.get('type', '')}" if isinstance(col, dict) else str(name)
                rows.append(("S" if name in static else "", text))
        serves = ", ".join(str(q) for q in table.get("serves") or [])
        boxes.append(Box(str(table.get("name")), str(table.get("name")),
                         f"entity {table.get('entity', '')}" + (f"; serves {serves}" if serves else ""), rows))
        for query in table.get("serves") or []:
            edges.append((f"q:{query}", str(table.get("name")), str(query)))
    boxes, omitted = _cap(boxes)
    drawn = {b.id for b in boxes}
    return Diagram("tables", "Chebotko table diagram", boxes, [e for e in edges if e[1] in drawn], omitted)


def style_facets(design: dict[str, Any], plan: Any) -> Diagram | None:
    """NoSQL Workbench's facet view: one facet per entity type of the single table (its PK/SK formats and
    attributes), side by side, then one per GSI with the entities it indexes."""
    tables = design.get("tables")
    entities = design.get("entities")
    if not isinstance(tables, list) or not isinstance(entities, list):
        return None
    boxes = []
    for table in tables:
        if not isinstance(table, dict):
            continue
        name = str(table.get("name"))
        for ent in (e for e in entities if isinstance(e, dict) and e.get("table") == name):
            keys = ent.get("keys") or {}
            rows = [(str(k), str(v)) for k, v in keys.items()] if isinstance(keys, dict) else []
            attrs = ent.get("attributes") or {}
            rows += [("", str(a)) for a in (attrs if isinstance(attrs, dict) else [])]
            boxes.append(Box(f"{name}:{ent.get('name')}", f"{name} / {ent.get('type_value', ent.get('name'))}",
                             str(ent.get("placement", "")), rows, group=name))
        for gsi in table.get("gsis") or []:
            if isinstance(gsi, dict):
                keys = [gsi.get("partition_key"), gsi.get("sort_key")]
                rows = [("GSI", str(k.get("name") if isinstance(k, dict) else k)) for k in keys if k]
                rows += [("", f"indexes {e}") for e in gsi.get("entities") or []]
                boxes.append(Box(f"{name}:{gsi.get('name')}", f"{name} / GSI {gsi.get('name')}",
                                 f"projection {gsi.get('projection', '')}", rows, group=name))
    boxes, omitted = _cap(boxes)
    return Diagram("facets", "Facet view", boxes, [], omitted)


def containers(plan: Any) -> Diagram:
    """The generic diagram every target can have: containers, keys, patterns served, size against limit."""
    by_name: dict[str, Box] = {}

    def box(name: str) -> Box:
        return by_name.setdefault(name, Box(name, name, "", []))

    for cand in plan.key_candidates:
        if cand.rank == 0:
            box(cand.container).rows.append(("K", f"{', '.join(cand.fields)} ({cand.partitioning})"))
    for served in plan.serving:
        for name in served.containers:
            box(name).rows.append((served.kind[0].upper(), f"{served.pattern}: {served.access}"))
    for size in plan.size_checks:
        box(size.container).subtitle = f"largest {size.unit} {size.estimate_bytes:,.0f} B of {size.limit}"
    boxes, omitted = _cap(list(by_name.values()))
    return Diagram("containers", "Containers", boxes, [], omitted)


def design_diagram(plan: Any) -> Diagram:
    """The target's diagram in its report style, or the generic container diagram."""
    style = (load_mapping("plan.toml").get(plan.name) or {}).get("diagram")
    draw = globals().get(f"style_{style}") if style else None
    try:
        drawn = draw(plan.design_dict, plan) if draw else None
    except (AttributeError, KeyError, TypeError, ValueError):
        drawn = None  # a shape this style does not know: fall back rather than fail the report
    return drawn if drawn is not None and drawn.boxes else containers(plan)
