"""decide: schema + workload + statistics -> `DynamoDesign` (pure; no I/O)."""

from __future__ import annotations

import dataclasses
from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Schema
from translator.targets.common import unique_name
from translator.targets.dynamodb.keys import (
    Layout,
    base_path,
    entity_tags,
    place_entities,
    plan_attributes,
    sanitize_table_name,
)
from translator.targets.dynamodb.limits import check_limits
from translator.targets.dynamodb.mapping import DynamoRules, rules
from translator.targets.dynamodb.model import (
    DynamoDesign,
    EntityMapping,
    GsiSpec,
    KeyPath,
    TableSpec,
)
from translator.targets.dynamodb.patterns import add_gsi_path, plan_patterns
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


def _adjacency_gsis(schema: Schema, layout: Layout, paths: dict[str, list[KeyPath]], tags: dict[str, str],
                    r: DynamoRules, decisions: list[Decision]) -> None:
    """The inverted index of each adjacency list: partition = the right parent, sort = the left parent."""
    for junction, right in layout.junctions.items():
        entity = schema.entity(junction)
        left = layout.members[junction]
        order = {c.casefold(): i for i, c in enumerate(schema.entity(right.to_entity).primary_key)}
        partition = sorted(right.from_attributes,
                           key=lambda c: order.get(right.to_attributes[right.from_attributes.index(c)].casefold(), 0))
        sort = [c for c in left.from_attributes if c not in partition]
        sort += [c for c in entity.primary_key if c not in partition and c not in sort]
        path = add_gsi_path(paths[junction], entity, tags[schema.entity(right.to_entity).key], partition,
                            tags[junction], sort, r, "adjacency-inverted")
        decisions.append(Decision(junction, path.index or "", "adjacency-inverted",
                                  f"{path.index} inverts the adjacency list: {right.to_entity} -> {left.to_entity}"))


def build_design(schema: Schema, workload: Workload, tenancy: Tenancy | None = None, mode: str = "single-table",
                 table_name: str | None = None) -> DynamoDesign:
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
    if mode == "single-table":
        layout = place_entities(schema, workload, decisions)
        name = sanitize_table_name(table_name or naming["default_table_name"], r, sink, "table_name")
        tables = {e.key: name for e in schema.entities}
    else:
        layout = Layout()
        if table_name:
            sink.info("dynamodb-option-ignored", f"table_name={table_name!r} applies to mode='single-table' only; "
                      "per-entity tables are named after their entities")
        tables = {}
        for entity in schema.entities:
            tables[entity.key] = sanitize_table_name(entity.name, r, sink, f"table for {entity.key}")
        seen: dict[str, str] = {}
        for key, table in list(tables.items()):
            seen[key] = unique_name(table, set(seen.values()))
        tables = seen
    paths = {e.key: [base_path(schema, workload, e, layout, tags, r)] for e in schema.entities}
    _adjacency_gsis(schema, layout, paths, tags, r, decisions)
    plans = [dataclasses.replace(plan, rate=pattern.rate) for plan, pattern in
             zip(plan_patterns(schema, workload.access_patterns, paths, tables, tags, r, sink, decisions),
                 workload.access_patterns)]
    ttl_columns = {e.key: _ttl_column(e, r) for e in schema.entities}
    taken = {naming["partition_key"], naming["sort_key"], naming["entity_type_attribute"], naming["ttl_attribute"]}
    mappings: list[EntityMapping] = []
    for entity in schema.entities:
        path0 = paths[entity.key][0]
        placement = ("own partition" if path0.rule == "own-partition"
                     else f"item collection of {layout.members[entity.key].to_entity}")
        mappings.append(EntityMapping(entity.key, tables[entity.key], entity.key, tags[entity.key],
                                      tuple(paths[entity.key]), plan_attributes(entity, r, taken, sink), placement,
                                      ttl_columns[entity.key]))
        if ttl_columns[entity.key]:
            decisions.append(Decision(entity.key, f"TTL from {ttl_columns[entity.key]}", "ttl",
                                      f"{ttl_columns[entity.key]} looks like an expiry column: "
                                      f"its epoch seconds go to {naming['ttl_attribute']}, the table's TTL attribute"))
    specs = []
    for table in dict.fromkeys(tables.values()):
        members = [m for m in mappings if m.table == table]
        indexes: dict[str, list[tuple[EntityMapping, KeyPath]]] = {}
        for m in members:
            for path in m.paths[1:]:
                indexes.setdefault(path.index, []).append((m, path))
        gsis = []
        for index in sorted(indexes, key=lambda i: (len(i), i)):
            users = indexes[index]
            sparse = len(users) < len(members) or any(
                schema.entity(m.entity).attribute(c).nullable for m, p in users for c in p.partition.parts
                if c not in schema.entity(m.entity).primary_key)
            gsis.append(GsiSpec(index, users[0][1].partition.attribute, users[0][1].sort.attribute, "ALL",
                                tuple(m.entity for m, _ in users), sparse))
        ttl = naming["ttl_attribute"] if any(m.ttl_column for m in members) else None
        specs.append(TableSpec(table, naming["partition_key"], naming["sort_key"], tuple(gsis),
                               naming["entity_type_attribute"], ttl))
        if mode == "single-table" and len(gsis) <= 2 and members:
            decisions.append(Decision(table, f"{len(gsis)} GSI(s)", "gsi-count", f"{len(gsis)} GSI(s) serve every secondary pattern (limit "
                                      f"{r.limits['gsis_per_table']})", (("gsis", len(gsis)),)))
    findings = check_limits(schema, workload, stats, mappings, plans, r, sink)
    if workload.assumed and workload.access_patterns:
        sink.info("dynamodb-assumed-workload", "no workload file: the access patterns are derived defaults (assumed)")
    assumed = assumed_inputs(["workload"] if workload.assumed and workload.access_patterns else [],
                             *(f.assumed for f in findings), *(d.assumed for d in decisions))
    return DynamoDesign(mode, tuple(specs), tuple(mappings), tuple(plans), tuple(findings), tuple(decisions),
                        tuple(sink.items), assumed, workload.source)
