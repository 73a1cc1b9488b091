"""Decide -> lay out -> size -> (refuse embeddings that are too large, repeat) -> the design record."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Entity, Relationship, Schema
from translator.targets.mongodb.decide import Plan, children_bound, decide, numbers_of
from translator.targets.mongodb.indexes import index_name, plan_indexes
from translator.targets.mongodb.isolation import isolation
from translator.targets.mongodb.layout import Layout, Node, build_layout
from translator.targets.mongodb.mapping import MongoMapping, load_rules
from translator.targets.mongodb.model import Collection, Embedded, IndexSpec, MongoDesign, Reference
from translator.targets.mongodb.patterns import plan_patterns
from translator.targets.mongodb.shard import reads_by_collection, shard_candidates
from translator.targets.mongodb.sizing import DocumentSize, size_documents
from translator.targets.mongodb.validator import collection_validator
from translator.targets.mongodb.workload_facts import Facts
from translator.targets.record import assumed_inputs
from translator.tenancy import Tenancy
from translator.types import TypeKind
from translator.workload.model import AttributeStats, EntityStats, RelationshipStats, Workload
from translator.workload.stats import StatsView

__all__ = ["build_design"]


_BAD_DATABASE_CHARS = '/\\. "$\x00'


def _check_database(database: Any) -> None:
    # Option values may come from a command line: a DesignError is a one-line usage error there (exit 2).
    if (
        not isinstance(database, str)
        or not database
        or len(database) > 63
        or any(c in database for c in _BAD_DATABASE_CHARS)
    ):
        raise DesignError(
            f"database={database!r} is invalid; pass a MongoDB database name (1-63 characters) "
            'without /\\. "$, spaces or NUL'
        )


@dataclass(frozen=True)
class _Memo(StatsView):
    """StatsView's answers remembered: the rules ask the same fan-outs and row counts round after round."""

    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def _get(self, key: Any, compute: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def fanout(self, relationship: Relationship) -> RelationshipStats:
        return self._get(("fanout", relationship), lambda: StatsView.fanout(self, relationship))

    def entity(self, entity: str | Entity) -> EntityStats:
        key = entity if isinstance(entity, str) else entity.key
        return self._get(("entity", key), lambda: StatsView.entity(self, entity))

    def attribute(self, entity: str, attribute: str) -> AttributeStats:
        return self._get(("attribute", entity, attribute), lambda: StatsView.attribute(self, entity, attribute))


def _assumed_inputs(schema: Schema, workload: Workload, stats: StatsView) -> tuple[str, ...]:
    """The envelope's `assumed`: the defaulted inputs the decisions and sizes rest on."""
    names = ["workload"] if workload.assumed else []
    names += [f"statistics:{e.key}" for e in schema.entities if stats.entity(e).assumed]
    for rel in schema.relationships:
        if stats.fanout(rel).assumed:
            names.append(f"statistics:{rel.from_entity}.{','.join(rel.from_attributes)}")
    return assumed_inputs(names)


def _layout_within_budget(
    schema: Schema,
    workload: Workload,
    stats: StatsView,
    mapping: MongoMapping,
    uuid_representation: str,
    sink: DiagnosticSink,
    tenancy: Tenancy,
) -> tuple[Plan, Layout, dict[str, DocumentSize]]:
    """Refuse, one at a time, the embedding adding most to a document over budget, until all fit."""
    facts = Facts(schema, workload, tenancy)  # one workload index for every round
    fanout_of = lambda rel: children_bound(stats.fanout(rel))  # noqa: E731
    demoted: dict[Any, str] = {}
    budget, limit = mapping.budget_bytes, mapping.limits["max_document_bytes"]
    for _ in range(len(schema.relationships) + 1):
        trial = DiagnosticSink()
        plan = decide(schema, workload, stats, mapping, trial, demoted, tenancy, facts)
        layout = build_layout(schema, plan, mapping, uuid_representation, trial)
        sizes = size_documents(layout, stats, fanout_of)
        over = [s for s in sizes.values() if s.bytes > budget and s.embedded]
        if not over:
            sink.extend(trial)
            return plan, layout, sizes
        for size in over:
            edge = max(size.embedded, key=lambda e: e.bytes)
            reason = (
                f"embedding {edge.rel.from_entity} in {edge.rel.to_entity} ({edge.count:g} per parent, "
                f"{edge.bytes:,} bytes) would make {size.collection} documents about {size.bytes:,} bytes, over the "
                f"budget of {budget:,} ({mapping.rules.document_budget_fraction:g} of the {limit:,}-byte BSON limit)"
            )
            demoted[edge.rel] = reason
            sink.warning("mongodb-embed-too-large", reason + "; it is referenced instead", subject=edge.rel.name)
    raise AssertionError("unreachable: every round refuses at least one embedding")


def _walk(node: Node) -> list[Node]:
    out = [node]
    for link in node.links:
        out.extend(_walk(link.node))
    return out


def _embedded(node: Node) -> list[Embedded]:
    out = []
    for n in _walk(node):
        prefix = f"{n.path}." if n.path else ""
        out += [Embedded(link.node.entity, link.node.path, link.shape, link.rel.name) for link in n.links]
        out += [
            Embedded(c.source, prefix + c.field, "array", c.rel.name, copy=True, max_items=c.limit)
            for c in n.copies
            if c.style == "subset"
        ]
    return out


def _references(layout: Layout, plan: Plan, node: Node) -> list[Reference]:
    out = []
    embedded = set(plan.embeds.values())
    absorbed = {r for jp in plan.junctions for r in (jp.link.left, jp.link.right)}
    extended = dict(plan.extended)
    for n in _walk(node):
        prefix = f"{n.path}." if n.path else ""
        for rel in layout.schema.relationships_from(n.entity):
            if rel in embedded or rel in absorbed:
                continue
            paths = tuple(layout.path_of(n.entity, a) for a in rel.from_attributes)
            copy = next((c for c in n.copies if c.rel == rel and c.style == "extended"), None)
            out.append(
                Reference(
                    ",".join(dict.fromkeys(paths)),
                    layout.collection_of(rel.to_entity),
                    rel.name,
                    "extended" if rel in extended else "parent-id",
                    paths,
                    tuple(f"{prefix}{copy.field}.{fm.field}" for fm in copy.fields) if copy else (),
                )
            )
        for arr in n.id_arrays:
            out.append(
                Reference(
                    prefix + arr.field,
                    arr.to_collection,
                    arr.rel.name,
                    arr.style,
                    arr.value_fields,
                    tuple(f"{prefix}{arr.field}.{c.field}" for c in arr.copies),
                )
            )
    return out


def _type_diagnostics(schema: Schema, mapping: MongoMapping, sink: DiagnosticSink) -> None:
    fine, wide = [], []
    for e in schema.entities:
        for a in e.attributes:
            if a.type.kind is TypeKind.TIMESTAMP:
                fine.append(f"{e.key}.{a.name}")
            if a.type.kind is TypeKind.DECIMAL and (a.type.precision or 0) > mapping.limits["decimal128_digits"]:
                wide.append(f"{e.key}.{a.name}")
    if fine:
        sink.info(
            "mongodb-date-milliseconds",
            f"BSON dates keep milliseconds (UTC): {len(fine)} timestamp column(s) lose "
            f"finer digits, e.g. {', '.join(fine[:3])}",
        )
    if wide:
        sink.warning(
            "mongodb-decimal-as-string",
            f"Decimal128 keeps {mapping.limits['decimal128_digits']} digits: "
            f"wider columns are stored as exact decimal text: {', '.join(wide)}",
            lost="numeric comparison and sorting of these fields on the server",
        )


def build_design(
    schema: Schema,
    workload: Workload,
    tenancy: Tenancy | None = None,
    *,
    uuid_representation: str = "binData",
    shard_collections: bool = False,
    database: str = "polyschema",
) -> MongoDesign:
    """The MongoDB design of `schema` under `workload` (see decide.py for the rules).

    Inputs are checked by `Target.design`; only the database name needs a check of its own here.
    """
    _check_database(database)
    tenancy = tenancy or Tenancy()
    mapping = load_rules()
    sink = DiagnosticSink()
    stats = _Memo(schema, workload.statistics)
    plan, layout, sizes = _layout_within_budget(schema, workload, stats, mapping, uuid_representation, sink, tenancy)
    _type_diagnostics(schema, mapping, sink)
    limit = mapping.limits["max_document_bytes"]
    for name, size in sizes.items():
        if size.bytes > limit:
            sink.error(
                "mongodb-document-too-large",
                f"{name} documents may reach {size.bytes:,} bytes without any "
                f"embedding, over the {limit:,}-byte BSON limit",
                subject=name,
            )
    drafts = plan_indexes(layout, plan, workload, sink)
    indexes = {
        c: [IndexSpec(d.keys, d.unique, index_name(d.keys), d.reason, tuple(d.patterns), d.partial_filter) for d in ds]
        for c, ds in drafts.items()
    }
    for c, specs in indexes.items():
        for spec in specs:
            if len(spec.keys) > mapping.limits["max_index_keys"]:
                sink.warning(
                    "mongodb-index-too-wide",
                    f"{c}: index {spec.name} has {len(spec.keys)} keys (max {mapping.limits['max_index_keys']})",
                    subject=c,
                )
    collections = []
    reads = reads_by_collection(layout, workload)
    for name, node in layout.collections:
        size = sizes[name]
        collections.append(
            Collection(
                name=name,
                source_entity=node.entity,
                id_fields=tuple(fm.field for fm in node.fields if fm.field == "_id") or ("_id",),
                fields=tuple((fm.attribute, fm.field) for fm in node.fields),
                embedded=tuple(_embedded(node)),
                references=tuple(_references(layout, plan, node)),
                validator=collection_validator(node, layout),
                indexes=tuple(indexes.get(name, ())),
                shard_key_candidates=shard_candidates(
                    layout, name, node, reads.get(name, []), stats, tenancy.column(node.entity)
                ),
                estimated_max_document_bytes=size.bytes,
                size_assumed=size.assumed,
            )
        )
    for name, node in layout.orphans:  # no shard key or indexes of their own: a handful of parentless rows
        size = sizes[name]
        collections.append(
            Collection(
                name=name,
                source_entity=node.entity,
                id_fields=("_id",),
                fields=tuple((fm.attribute, fm.field) for fm in node.fields),
                embedded=tuple(_embedded(node)),
                validator=collection_validator(node, layout),
                estimated_max_document_bytes=size.bytes,
                size_assumed=size.assumed,
                orphans_of=plan.embeds[node.entity].name,
            )
        )
    decisions = []
    for d in plan.decisions:
        child = numbers_of(d).get("child")
        if d.choice.startswith("embed") and child in layout.nodes:
            size = sizes[layout.collection_of(str(child))]
            inputs = numbers_of(d)
            inputs.update(
                estimated_document_bytes=size.bytes,
                max_document_bytes=limit,
                margin_bytes=limit - size.bytes,
                budget_bytes=mapping.budget_bytes,
            )
            reason = (
                f"{d.reason}; the largest {layout.collection_of(str(child))} document is estimated at "
                f"{size.bytes:,} bytes, {size.bytes / limit:.2%} of the 16 MiB limit "
                f"({limit - size.bytes:,} bytes to spare)"
            )
            d = replace(
                d,
                numbers=tuple(inputs.items()),
                reason=reason,
                assumed=d.assumed + (("fanout",) if size.assumed and "fanout" not in d.assumed else ()),
            )
        decisions.append(d)
    patterns = plan_patterns(layout, plan, workload.access_patterns, indexes)
    firsts = {c.name: c.shard_key_candidates[0].keys for c in collections if c.shard_key_candidates}
    isolated, tenant_decisions = isolation(layout, workload, tenancy, stats, firsts, mapping.rules.whale_share, sink)
    decisions.extend(tenant_decisions)
    return MongoDesign(
        collections=tuple(collections),
        decisions=tuple(decisions),
        access_patterns=patterns,
        diagnostics=tuple(sink),
        assumed=_assumed_inputs(schema, workload, stats),
        workload_source=workload.source,
        tenancy=tenancy,
        patterns=workload.access_patterns,
        isolation=isolated,
        options=(
            ("uuid_representation", uuid_representation),
            ("shard_collections", shard_collections),
            ("database", database),
        ),
        layout=layout,
    )
