"""decide: schema + workload + statistics -> `DynamoDesign` (pure; no I/O)."""

from __future__ import annotations

from typing import Any

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Schema
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
from translator.targets.dynamodb.model import Decision, DynamoDesign, EntityMapping, GsiSpec, KeyPath, TableSpec
from translator.targets.dynamodb.patterns import add_gsi_path, plan_patterns
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["MODES", "design_dynamodb"]

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
        decisions.append(Decision(junction, "adjacency-inverted",
                                  f"{path.index} inverts the adjacency list: {right.to_entity} -> {left.to_entity}"))


def design_dynamodb(schema: Schema, workload: Workload, mode: str = "single-table",
                    table_name: str | None = None) -> DynamoDesign:
    """The DynamoDB design for `schema` under `workload` (see docs/dynamodb.md for every rule)."""
    if not isinstance(schema, Schema):
        raise DesignError(f"schema={type(schema).__name__} is invalid; pass a translator.ir.Schema")
    if not isinstance(workload, Workload):
        raise DesignError(f"workload={type(workload).__name__} is invalid; pass a translator.workload.Workload")
    mode = (mode or "single-table").lower()
    if mode not in MODES:
        raise DesignError(f"--mode {mode!r} is not offered; choose one of {', '.join(MODES)}")
    if not schema.entities:
        raise DesignError("the schema has no tables; there is nothing to design")
    r = rules()
    sink = DiagnosticSink()
    decisions: list[Decision] = []
    stats = StatsView(schema, workload.statistics)
    tags = entity_tags(schema)
    naming = r.naming
    if mode == "single-table":
        layout = place_entities(schema, workload, decisions)
        name = sanitize_table_name(table_name or naming["default_table_name"], r, sink, "--table-name")
        tables = {e.key: name for e in schema.entities}
    else:
        layout = Layout()
        if table_name:
            sink.info("dynamodb-option-ignored", "--table-name applies to --mode single-table; per-entity tables are named after their entities")
        tables = {}
        for entity in schema.entities:
            tables[entity.key] = sanitize_table_name(entity.name, r, sink, f"table for {entity.key}")
        seen: dict[str, str] = {}
        for key, table in list(tables.items()):
            while table in seen.values():
                table += "_"
            seen[key] = table
        tables = seen
    paths = {e.key: [base_path(schema, workload, e, layout, tags, r)] for e in schema.entities}
    _adjacency_gsis(schema, layout, paths, tags, r, decisions)
    plans = plan_patterns(schema, workload.access_patterns, paths, tables, tags, r, sink, decisions)
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
            decisions.append(Decision(entity.key, "ttl", f"{ttl_columns[entity.key]} looks like an expiry column: "
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
            decisions.append(Decision(table, "gsi-count", f"{len(gsis)} GSI(s) serve every secondary pattern (limit "
                                      f"{r.limits['gsis_per_table']})", (("gsis", len(gsis)),)))
    findings = check_limits(schema, workload, stats, mappings, plans, r, sink)
    if workload.assumed and workload.access_patterns:
        sink.info("dynamodb-assumed-workload", "no workload file: the access patterns are derived defaults (assumed)")
    return DynamoDesign(mode, tuple(specs), tuple(mappings), tuple(plans), tuple(findings), tuple(decisions),
                        tuple(sink.items))
