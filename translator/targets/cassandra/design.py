"""Decide: IR + workload + statistics -> a `CassandraDesign` (pure; no I/O, no CQL text)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError, UnservablePattern
from translator.ir import Schema
from translator.targets.cassandra.columns import TableColumns, build_columns
from translator.targets.cassandra.cql import select_cql
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Bucketing, CassandraDesign, Clustering, Column, Keyspace, Table, Udt
from translator.targets.cassandra.names import NameSpace, table_name
from translator.targets.cassandra.reads import read_plan
from translator.targets.cassandra.shapes import entity_key, shape_of
from translator.targets.cassandra.sizing import Layout, RowCount, estimate, hash_buckets, partition_rows, time_bucket
from translator.targets.cassandra.tables import Spec, merge_specs, spec_for
from translator.targets.cassandra.tenants import isolation, lead_with_tenant
from translator.targets.cassandra.writes import plan_writes
from translator.targets.common import unique_name
from translator.tenancy import Tenancy
from translator.types import TypeKind
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["build_design", "parse_replication", "check_keyspace"]

_DC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*:\s*([1-9][0-9]*)\s*$")
_KEYSPACE = re.compile(r"^[A-Za-z0-9_]{1,48}$")


def parse_replication(text: str | None) -> tuple[tuple[str, int], ...]:
    """`DC1:3,DC2:3` -> (("DC1", 3), ("DC2", 3)); None -> one data center `dc1` with 3 replicas."""
    if text is None:
        return (("dc1", 3),)
    if not isinstance(text, str):
        raise DesignError(f"replication={text!r} is invalid; pass DC:FACTOR[,DC:FACTOR...] such as 'dc1:3,dc2:3'")
    out: dict[str, int] = {}
    for item in text.split(","):
        match = _DC.match(item)
        if not match:
            raise DesignError(
                f"replication={text!r} is invalid at {item.strip()!r}; pass DC:FACTOR[,DC:FACTOR...] "
                "such as 'dc1:3,dc2:3' (factor a positive integer)"
            )
        if match.group(1) in out:
            raise DesignError(f"replication={text!r} names data center {match.group(1)!r} twice; name each once")
        out[match.group(1)] = int(match.group(2))
    return tuple(out.items())


def check_keyspace(name: str | None, schema: Schema) -> str:
    """The keyspace name: given, else the first source's file stem, else `polyschema`."""
    if name is None:
        stem = Path(schema.sources[0]).stem if schema.sources else "polyschema"
        name = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_")[:48] or "polyschema"
        return name if name[0].isalpha() else f"ks_{name}"[:48]
    if not isinstance(name, str) or not _KEYSPACE.match(name):
        raise DesignError(f"keyspace={name!r} is invalid; use 1-48 letters, digits or underscores, e.g. 'shop'")
    return name


def _time_attr(spec: Spec) -> tuple[str, bool] | None:
    """The first clustering column after the equality ones, when it is the entity's date/timestamp attribute
    (time bucketing applies)."""
    skip = len(spec.uses[spec.serves[0]].equality)
    if len(spec.clustering) <= skip or spec.row_child is not None:
        return None
    ref, _ = spec.clustering[skip]
    kind = spec.entity.attribute(ref.attribute).type.kind if ref.entity == spec.entity.key and not ref.chain else None
    if kind in (TypeKind.DATE, TypeKind.TIMESTAMP):
        return ref.attribute, kind is TypeKind.DATE
    return None


def _layout(cols: TableColumns, partition: list[str], clustering: list[str], static: list[str], extra: float) -> Layout:
    regular = [c.name for c in cols.columns if c.name not in {*partition, *clustering, *static}]

    def pick(names: list[str]) -> tuple[tuple[float, float], ...]:
        return tuple(cols.sizes.get(n, (extra, extra)) for n in names)

    return Layout(pick(partition), pick(clustering), pick(static), pick(regular))


def _bucketing(
    spec: Spec,
    schema: Schema,
    stats: StatsView,
    count: RowCount,
    layout: Layout,
    cols: TableColumns,
    partition: list[str],
    used: set[str],
    over: bool,
) -> tuple[Bucketing, RowCount]:
    r = rules()
    time = _time_attr(spec) if partition else None
    if not partition and not over:
        return Bucketing("single", unique_name(r.bucket_column, used), count=1), count
    if time is not None:
        attr, is_date = time
        history = stats.attribute(spec.entity.key, attr)
        days = history.distinct if is_date and history.distinct and not history.assumed else None
        unit, count, decision = time_bucket(count, layout, is_date, days)
        column = unique_name(f"{cols.by_source[(spec.entity.key, attr, ())]}_{unit}", used)
        return Bucketing("time", column, unit=unit, attribute=attr, decision=decision), count
    buckets, count, decision = hash_buckets(count, layout)
    return Bucketing(
        "hash",
        unique_name(r.bucket_column, used),
        count=buckets,
        attribute=",".join(entity_key(spec.entity)),
        decision=decision,
    ), count


def _table(
    spec: Spec,
    schema: Schema,
    stats: StatsView,
    sink: DiagnosticSink,
    tables: NameSpace,
    udt_names: NameSpace,
    udt_cache: dict[str, Udt],
) -> tuple[Table, tuple[Udt, ...]]:
    cols = build_columns(schema, spec, stats, sink, udt_names, udt_cache)
    partition = [cols.by_source[r.key] for r in spec.partition]
    clustering = [Clustering(cols.by_source[ref.key], order) for ref, order in spec.clustering]
    key_names = {*partition, *(c.column for c in clustering)}
    # A list of the entity's few children belongs to the entity's row: STATIC when that row is (one entity
    # per partition above its clustered children), else a regular column.
    lists = {ch.column for ch in cols.children if ch.layout == "udt-list"}
    owner_static = (spec.entity.key, ()) in spec.static_entities
    static = [
        c.name
        for c in cols.columns
        if ((c.entity, c.path) in spec.static_entities or (owner_static and c.name in lists))
        and c.name not in key_names
    ]
    child_rel = spec.row_child.relationship if spec.row_child else None
    count = partition_rows(schema, stats, spec.entity.key, spec.partition, child_rel)
    layout = _layout(cols, partition, [c.column for c in clustering], static, 4.0)
    first = estimate(count, layout)
    decisions = list(spec.decisions)
    bucketing, final, columns = None, first, list(cols.columns)
    if not partition or first.over_limits:
        bucketing, count = _bucketing(
            spec, schema, stats, count, layout, cols, partition, {c.name for c in columns}, bool(first.over_limits)
        )
        if bucketing.kind != "single":
            sink.warning(
                "cassandra-partition-bucketed",
                f"table for {', '.join(spec.serves)}: worst partition "
                f"({first.rows_max:,.0f} rows, {first.bytes_max:,.0f} bytes) exceeds the "
                f"{'/'.join(first.over_limits)} limit; bucketed by {bucketing.kind}"
                + (f" ({bucketing.unit})" if bucketing.unit else f" ({bucketing.count} buckets)"),
                subject=",".join(spec.serves),
            )
        bucket_type = "timestamp" if bucketing.unit == "hour" else "date" if bucketing.kind == "time" else "int"
        columns.append(Column(bucketing.column, bucket_type, "bucket"))
        partition.append(bucketing.column)
        layout = _layout(cols, partition, [c.column for c in clustering], static, 4.0)
        final = estimate(count, layout)
        if final.over_limits:
            sink.warning(
                "cassandra-partition-too-large",
                f"table for {', '.join(spec.serves)}: even bucketed, the worst "
                f"partition ({final.rows_max:,.0f} rows, {final.bytes_max:,.0f} bytes) exceeds the "
                f"{'/'.join(final.over_limits)} limit",
                subject=",".join(spec.serves),
            )
    base = spec.entity.name + (f"_with_{spec.row_child.entity.name}" if spec.row_child else "")
    name = tables.claim(table_name(f"{base}_by_{'_'.join(partition)}", sink, ",".join(spec.serves)))
    parents = tuple((ancestor.key, path) for path, (ancestor, _) in spec.parents.items())
    table = Table(
        name,
        spec.entity.key,
        tuple(spec.serves),
        tuple(partition),
        tuple(clustering),
        tuple(static),
        tuple(columns),
        parents,
        cols.children,
        final,
        first if bucketing and bucketing.kind != "single" else None,
        bucketing,
        tuple(decisions),
        spec.pairs,
    )
    return table, cols.udts


def _assumed(workload: Workload, stats: StatsView, schema: Schema, specs: list[Spec]) -> tuple[str, ...]:
    names = {"workload"} if workload.assumed else set()
    for spec in specs:
        nested = [*spec.udt_children.values(), *((spec.row_child,) if spec.row_child else ())]
        entities = {spec.entity.key, *(e.key for e, _ in spec.parents.values()), *(c.entity.key for c in nested)}
        names |= {f"statistics:{e}" for e in entities if stats.entity(schema.entity(e)).assumed}
        rels = [r for _, chain in spec.parents.values() for r in chain] + [c.relationship for c in nested]
        names |= {f"statistics:{r.from_entity}.{','.join(r.from_attributes)}" for r in rels if stats.fanout(r).assumed}
    return tuple(sorted(names))


def build_design(
    schema: Schema, workload: Workload, tenancy: Tenancy, *, keyspace: str | None = None, replication: str | None = None
) -> CassandraDesign:
    """Tables, sizes, reads and writes for `schema` under `workload` (see docs/cassandra.md)."""
    ks = Keyspace(check_keyspace(keyspace, schema), parse_replication(replication))
    sink = DiagnosticSink()
    sink.extend(tenancy.diagnostics)
    stats = StatsView(schema, workload.statistics)
    reads, shapes, pattern_specs, unserved = [], [], [], []
    for pattern in (p for p in workload.access_patterns if p.is_read):
        # A shape no Cassandra table can serve (a store limitation; bad input still raises) leaves that one
        # pattern out (an error: the design is partial); the others are still designed.
        try:
            shape = lead_with_tenant(schema, shape_of(schema, pattern, sink), tenancy)
            spec = spec_for(schema, shape, stats, sink)
        except UnservablePattern as exc:
            reason = str(exc)
            unserved.append((pattern.id, reason))
            sink.error(
                "cassandra-unserved-pattern",
                f"{reason}; no table serves pattern {pattern.id}, so this design is partial",
                subject=pattern.id,
            )
            continue
        reads.append(pattern)
        shapes.append(shape)
        pattern_specs.append(spec)
    specs = merge_specs(pattern_specs)
    table_names, udt_names = NameSpace(), NameSpace()
    udt_cache: dict[str, Udt] = {}
    tables, udts = [], {}
    for spec in specs:
        table, table_udts = _table(spec, schema, stats, sink, table_names, udt_names, udt_cache)
        tables.append(table)
        udts.update({u.name: u for u in table_udts})
    by_pattern = {pid: (t, s) for t, s in zip(tables, specs, strict=True) for pid in t.serves}
    added = {s.pattern.id: tuple(str(r) for r in s.required) for s in shapes}
    plans = [read_plan(by_pattern[p.id][0], p, by_pattern[p.id][1].uses[p.id], ks.name, added[p.id]) for p in reads]
    plans = [replace(plan, query=select_cql(plan)) for plan in plans]
    stored = (
        {t.entity for t in tables}
        | {e for t in tables for e, _ in t.parents}
        | {e for t in tables for c in t.children for e in (c.entity, *(a for a, _ in c.copies))}
    )
    for entity in schema.entities:
        if entity.key not in stored:
            sink.info(
                "cassandra-entity-unread",
                f"{entity.key} is read by no access pattern, so no table holds it; add a read pattern to keep its data",
                subject=entity.key,
            )
    writes = plan_writes(schema, workload, stats, tables, sink)
    guard = isolation(schema, workload, tenancy, tables, plans, sink)
    # The same attribute lands in several tables: report each naming finding once.
    diagnostics = tuple(dict.fromkeys(sink.items))
    assumed = _assumed(workload, stats, schema, specs) + (
        ("tenant",) if any(c.assumed for c in tenancy.columns) else ()
    )
    return CassandraDesign(
        ks,
        tuple(tables),
        tuple(udts.values()),
        tuple(plans),
        writes,
        diagnostics,
        tuple(sorted(set(assumed))),
        guard,
        tuple((p.id, p.rate) for p in workload.access_patterns),
        workload.source,
        tuple(e.key for e in schema.entities if not stats.entity(e).assumed),
        tuple(unserved),
    )
