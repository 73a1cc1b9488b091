"""Human and mongosh renderings of a MongoDB design."""

from __future__ import annotations

import json
import shlex
from typing import Any

from translator.targets.mongodb.js import js_value
from translator.targets.mongodb.model import MongoDesign

__all__ = ["render_human", "render_mongosh"]


def _keys(keys: Any) -> str:
    return js_value(dict(keys))


def simulate_command(design: MongoDesign, entity: str, candidate: Any) -> str:
    """The `polyschema simulate` command modelling `candidate`, quoted for a POSIX shell."""
    args = ["polyschema", "simulate", "--store", candidate.store, "--key", candidate.simulate_key]
    if design.workload_source and design.workload_source.endswith((".yaml", ".yml")):
        args += ["--workload", design.workload_source, "--entity", entity]
    return " ".join(shlex.quote(a) for a in args)


def render_human(design: MongoDesign) -> str:
    lines = [
        f"MongoDB design: {len(design.collections)} collection(s), {len(design.decisions)} decision(s)"
        + (" (workload assumed: no access patterns were given)" if "workload" in design.assumed else "")
    ]
    lines.append("")
    lines.append("Decisions")
    for d in design.decisions:
        assumed = f"  [assumed: {', '.join(d.assumed)}]" if d.assumed else ""
        lines.append(f"  {d.subject}: {d.choice} (rule {d.rule}){assumed}")
        lines.append(f"      {d.reason}")
    for c in design.collections:
        lines.append("")
        lines.append(
            f"Collection {c.name}  (from {c.source_entity}; largest document ~{c.estimated_max_document_bytes:,} bytes)"
        )
        props = c.validator["$jsonSchema"].get("properties", {})
        required = set(c.validator["$jsonSchema"].get("required", ()))
        for field, schema in props.items():
            kind = schema.get("bsonType", "any")
            kind = "|".join(kind) if isinstance(kind, list) else kind
            lines.append(f"    {field}: {kind}{'' if field in required else '?'}")
        for e in c.embedded:
            lines.append(
                f"  embeds {e.entity} at {e.path} as {e.shape}"
                + (f" (copy of newest {e.max_items})" if e.copy else "")
                + f" via {e.relationship}"
            )
        for r in c.references:
            extra = f", copies {', '.join(r.copied_fields)}" if r.copied_fields else ""
            lines.append(f"  references {r.to_collection} by {r.path} ({r.style}{extra}) via {r.relationship}")
        for i in c.indexes:
            partial = f" partial {json.dumps(dict(i.partial_filter))}" if i.partial_filter else ""
            lines.append(f"  index {_keys(i.keys)}{' unique' if i.unique else ''}{partial}: {i.reason}")
        for s in c.shard_key_candidates:
            lines.append(f"  shard key candidate {_keys(s.keys)}: {s.reason}")
            lines.append(
                f"      {simulate_command(design, c.source_entity, s)}"
                if s.simulate_key
                else "      (not simulated: the server's ObjectId _id is no attribute of the entity)"
            )
    if design.isolation is not None:
        iso = design.isolation
        lines += ["", "Tenant isolation", f"  {iso.statement}"]
        lines += [f"  {c}: every request carries {js_value(dict(f))}" for c, f in iso.request_filters]
        lines += [
            f"  zone {z.zone}: tenant {z.tenant!r} ({z.share:.0%} of {z.collection}) on {z.shard}" for z in iso.zones
        ]
        if iso.crossing:
            lines.append(f"  patterns crossing tenants: {', '.join(iso.crossing)}")
    if design.access_patterns:
        lines.append("")
        lines.append("Access patterns")
        for p in design.access_patterns:
            index = _keys(p.index["keys"]) if p.index else "none"
            lines.append(
                f"  {p.id}: {p.collection or '-'} {json.dumps(p.query, default=str)} index {index}"
                + (f"  ({p.note})" if p.note else "")
            )
    if design.diagnostics:
        lines.append("")
        lines.append("Diagnostics")
        lines.extend(f"  {d}" for d in design.diagnostics)
    return "\n".join(lines)


def render_mongosh(design: MongoDesign) -> str:
    """A mongosh script: the collections with validators, their indexes, and sharding when asked."""
    from translator.targets.mongodb.mongosh import comments, render_statements, statements

    return render_statements(statements(design), comments(design))
