"""decide: schema + workload + statistics -> `DynamoDesign` (pure; no I/O).

Order: tags and identities -> item collections (placement.py) -> each pattern in parts of its entity
(needs.py) -> table keys (keys.py) -> inverted GSIs of adjacency lists -> one plan per pattern, adding GSIs
(patterns.py, collection_reads.py) -> copies and the writes that maintain them -> limits and costs.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Schema
from translator.targets.dynamodb import design_steps as steps
from translator.targets.dynamodb.costs import scan_costs
from translator.targets.dynamodb.keys import base_paths
from translator.targets.dynamodb.limits import check_limits
from translator.targets.dynamodb.mapping import DynamoRules, rules
from translator.targets.dynamodb.model import DynamoDesign, EntityMapping, GsiSpec, KeyPath, TableSpec
from translator.targets.dynamodb.naming import entity_tags, plan_attributes
from translator.targets.dynamodb.needs import Copies, need_of
from translator.targets.dynamodb.patterns import plan_patterns
from translator.targets.dynamodb.placement import Layout, place_entities
from translator.targets.dynamodb.plancore import Ctx, add_gsi_path
from translator.targets.dynamodb.quoting import inert, logical_id
from translator.targets.dynamodb.related_reads import maintenance_paths
from translator.targets.dynamodb.roles import parent_label
from translator.targets.dynamodb.tenant import tenant_columns
from translator.targets.record import Decision, assumed_inputs
from translator.tenancy import Tenancy
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["MODES", "build_design"]

MODES = ("single-table", "per-entity")


def _ttl_column(entity: Any, r: DynamoRules) -> str | None:
    for attribute in entity.attributes:
        if attribute.type.kind in r.ttl_kinds and any(p.search(attribute.name) for p in r.ttl_name_patterns):
            return attribute.name
    return None


def _adjacency_gsis(
    schema: Schema,
    layout: Layout,
    paths: dict[str, list[KeyPath]],
    tags: dict[str, str],
    r: DynamoRules,
    decisions: list[Decision],
    tenant: dict[str, str],
) -> None:
    """The inverted index of each adjacency list: partition = the right parent, sort = the left parent."""
    for junction, right in layout.junctions.items():
        entity = schema.entity(junction)
        left = layout.members[junction]
        order = {c.casefold(): i for i, c in enumerate(layout.identities[right.to_entity])}
        partition = sorted(
            right.from_attributes,
            key=lambda c: order.get(right.to_attributes[right.from_attributes.index(c)].casefold(), 0),
        )
        sort = [c for c in left.from_attributes if c not in partition]
        sort += [c for c in layout.identities[junction] if c not in partition and c not in sort]
        path = add_gsi_path(
            paths[junction],
            entity,
            tags[right.to_entity],
            partition,
            tags[junction],
            sort,
            r,
            "adjacency-inverted",
            tenant_column=tenant.get(junction),
        )
        decisions.append(
            Decision(
                junction,
                path.index or "",
                "adjacency-inverted",
                f"{path.index} inverts the adjacency list: {right.to_entity} -> {left.to_entity}",
            )
        )


def _logical_id(table: str, taken: set[str], sink: DiagnosticSink) -> str:
    """The table's CloudFormation logical ID; a name that loses characters or clashes is reported."""
    plain = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", table) if w) + "Table"
    chosen, changed = logical_id(table, "Table", taken)
    if changed or chosen != plain:
        sink.info(
            "dynamodb-logical-id",
            f"table {inert(table)!r} has the CloudFormation logical ID {chosen!r} "
            "(logical IDs are alphanumeric and unique)",
            subject=table,
        )
    return chosen


def build_design(
    schema: Schema,
    workload: Workload,
    tenancy: Tenancy | None = None,
    mode: str = "single-table",
    table_name: str | None = None,
) -> DynamoDesign:
    """The DynamoDB design for `schema` under `workload` (see docs/dynamodb.md for every rule).

    `Target.design` checks the schema, the workload and the option values before it calls this."""
    mode = (mode or "single-table").lower()
    if mode not in MODES:
        raise DesignError(f"mode={mode!r} is invalid; choose one of {', '.join(MODES)}")
    tenancy = tenancy or Tenancy()
    r = rules()
    sink = DiagnosticSink()
    decisions: list[Decision] = []
    stats = StatsView(schema, workload.statistics)
    tags = entity_tags(schema)
    naming = r.naming
    tables = steps.tables(schema, mode, table_name, r, sink)
    tenant = tenant_columns(schema, tenancy)
    if mode == "single-table":
        layout = place_entities(
            schema, workload, naming["generated_id_attribute"], sink, decisions, tenant, tags, naming["separator"]
        )
    else:
        layout = place_entities(schema, Workload(()), naming["generated_id_attribute"], sink, decisions)
        layout.members.clear()
        layout.junctions.clear()
        decisions[:] = [d for d in decisions if d.rule == "unique-key-identity"]
    copies = Copies(schema=schema, tenant=tenant)
    needs = [
        need_of(schema, schema.find_entity(p.entity) or schema.entities[0], p, copies) for p in workload.access_patterns
    ]
    readers: dict[str, list] = {}
    for need in needs:
        entity = schema.find_entity(need.pattern.entity)
        if need.pattern.is_read and entity is not None:
            readers.setdefault(entity.key, []).append(need)
    paths = {k: [p] for k, p in base_paths(schema, readers, layout, tags, copies, r, tenant).items()}
    for key, kept in paths.items():
        if kept[0].rule == "own-partition-by-parent":
            decisions.append(
                Decision(
                    key,
                    f"own partition by {', '.join(kept[0].partition.parts)}",
                    "own-partition-by-parent",
                    f"{layout.sort_source[key]} reads {key} by its foreign key {', '.join(kept[0].partition.parts)}, "
                    f"part of its identity: the items of one parent share a partition ({kept[0].partition.text()} / "
                    f"{kept[0].sort.text()}), a table Query with no GSI; a lookup by identity stays a GetItem",
                )
            )
    _adjacency_gsis(schema, layout, paths, tags, r, decisions, tenant)
    ctx = Ctx(
        schema,
        paths,
        tables,
        tags,
        copies,
        layout,
        r,
        sink,
        steps.constant_shards(schema, workload, stats, r),
        decisions,
        tenant,
    )
    plans = [
        dataclasses.replace(plan, rate=pattern.rate)
        for plan, pattern in zip(plan_patterns(needs, ctx), workload.access_patterns, strict=True)
    ]
    maintenance_paths(plans, workload.access_patterns, ctx)
    used = {part for ps in paths.values() for p in ps for t in (p.partition, p.sort) for part in t.parts}
    for key, held in copies.by_entity.items():  # keep only the copies some key holds
        copies.by_entity[key] = {p: spec for p, spec in held.items() if p in used or (key, p) in copies.kept}
    plans = steps.with_writes(plans, copies, schema)
    ttl_columns = {e.key: _ttl_column(e, r) for e in schema.entities}
    taken = {
        naming["partition_key"],
        naming["sort_key"],
        naming["entity_type_attribute"],
        naming["ttl_attribute"],
        naming["generated_id_attribute"],
    }
    mappings: list[EntityMapping] = []
    for entity in schema.entities:
        rel = layout.members.get(entity.key)
        placement = "own partition" if rel is None else f"item collection of {parent_label(schema, rel, tenant)}"
        mappings.append(
            EntityMapping(
                entity.key,
                tables[entity.key],
                entity.key,
                tags[entity.key],
                tuple(paths[entity.key]),
                plan_attributes(entity, r, taken, sink),
                placement,
                ttl_columns[entity.key],
                copies.of(entity.key),
                layout.generated.get(entity.key),
            )
        )
        if ttl_columns[entity.key]:
            decisions.append(
                Decision(
                    entity.key,
                    f"TTL from {ttl_columns[entity.key]}",
                    "ttl",
                    f"{ttl_columns[entity.key]} looks like an expiry column: "
                    f"its epoch seconds go to {naming['ttl_attribute']}, the table's TTL attribute",
                )
            )
    specs = []
    logical_ids: set[str] = set()
    for table in dict.fromkeys(tables.values()):
        members = [m for m in mappings if m.table == table]
        indexes: dict[str, list[tuple[EntityMapping, KeyPath]]] = {}
        for m in members:
            for path in m.paths[1:]:
                indexes.setdefault(path.index or "", []).append((m, path))
        gsis = []
        for index in sorted(indexes, key=lambda i: (len(i), i)):
            users = indexes[index]
            sparse = len(users) < len(members) or any(
                (a := schema.entity(m.entity).find_attribute(c)) is not None and a.nullable
                for m, p in users
                for c in p.partition.parts
                if c not in schema.entity(m.entity).primary_key
            )
            gsis.append(
                GsiSpec(
                    index,
                    users[0][1].partition.attribute,
                    users[0][1].sort.attribute,
                    "ALL",
                    tuple(m.entity for m, _ in users),
                    sparse,
                )
            )
        ttl = naming["ttl_attribute"] if any(m.ttl_column for m in members) else None
        specs.append(
            TableSpec(
                table,
                naming["partition_key"],
                naming["sort_key"],
                tuple(gsis),
                naming["entity_type_attribute"],
                ttl,
                _logical_id(table, logical_ids, sink),
            )
        )
        if mode == "single-table" and len(gsis) <= 2 and members:
            decisions.append(
                Decision(
                    table,
                    f"{len(gsis)} GSI(s)",
                    "gsi-count",
                    f"{len(gsis)} GSI(s) serve every secondary pattern (limit {r.limits['gsis_per_table']})",
                    (("gsis", len(gsis)),),
                )
            )
    isolation = steps.isolation(schema, tenancy, tenant, sink, decisions)
    findings = check_limits(schema, workload, stats, mappings, plans, r, sink)
    plans = scan_costs(schema, workload, stats, mappings, plans, r, decisions)
    if workload.assumed and workload.access_patterns:
        sink.info("dynamodb-assumed-workload", "no workload file: the access patterns are derived defaults (assumed)")
    assumed = assumed_inputs(
        ["workload"] if workload.assumed and workload.access_patterns else [],
        *(f.assumed for f in findings),
        *(d.assumed for d in decisions),
        ["tenant"] if any(c.assumed for c in tenancy.columns) else [],
    )
    return DynamoDesign(
        mode,
        tuple(specs),
        tuple(mappings),
        tuple(plans),
        tuple(findings),
        tuple(decisions),
        tuple(sink.items),
        assumed,
        workload.source,
        isolation,
    )
