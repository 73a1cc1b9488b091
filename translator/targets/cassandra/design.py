"""Decide: IR + workload + statistics -> a `CassandraDesign` (pure; no I/O)."""

from __future__ import annotations

import re
from pathlib import Path

from translator.diagnostics import DiagnosticSink
from translator.errors import DesignError
from translator.ir import Schema
from translator.types import TypeKind
from translator.workload.model import Workload
from translator.workload.stats import StatsView
from translator.targets.cassandra.columns import TableColumns, build_columns
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import (Bucketing, CassandraDesign, Clustering, Column, Keyspace, ReadPlan,
                                                Table, Udt, range_static_column)
from translator.targets.cassandra.names import NameSpace, quote, table_name
from translator.targets.cassandra.sizing import Layout, estimate, hash_buckets, partition_rows, time_bucket
from translator.targets.cassandra.tables import Spec, entity_key, merge_specs, shape_of, spec_for
from translator.targets.cassandra.writes import plan_writes
from translator.targets.common import unique_name

__all__ = ["design", "parse_replication", "check_keyspace"]

_DC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*:\s*([1-9][0-9]*)\s*$")
_KEYSPACE = re.compile(r"^[A-Za-z0-9_]{1,48}$")


def parse_replication(text: str | None) -> tuple[tuple[str, int], ...]:
    """`DC1:3,DC2:3` -> (("DC1", 3), ("DC2", 3)); None -> one data center `dc1` with 3 replicas."""
    if text is None:
        return (("dc1", 3),)
    if not isinstance(text, str):
        raise DesignError(f"--replication {text!r} is invalid; pass DC:FACTOR[,DC:FACTOR...] such as dc1:3,dc2:3")
    out: dict[str, int] = {}
    for item in text.split(","):
        match = _DC.match(item)
        if not match:
            raise DesignError(f"--replication {text!r} is invalid at {item.strip()!r}; pass DC:FACTOR[,DC:FACTOR...] "
                              "such as dc1:3,dc2:3 (factor a positive integer)")
        if match.group(1) in out:
            raise DesignError(f"--replication {text!r} names data center {match.group(1)!r} twice; name each once")
        out[match.group(1)] = int(match.group(2))
    return tuple(out.items())


def check_keyspace(name: str | None, schema: Schema) -> str:
    """The keyspace name: given, else the first source's file stem, else `polyschema`."""
    if name is None:
        stem = Path(schema.sources[0]).stem if schema.sources else "polyschema"
        name = re.sub(r"[^a-z0-9_]+", "_", stem.lower()).strip("_")[:48] or "polyschema"
        return name if name[0].isalpha() else f"ks_{name}"[:48]
    if not isinstance(name, str) or not _KEYSPACE.match(name):
        raise DesignError(f"--keyspace {name!r} is invalid; use 1-48 letters, digits or underscores, e.g. shop")
    return name


def _time_attr(spec: Spec) -> tuple[str, bool] | None:
    """The first clustering column when it is the entity's date/timestamp attribute (time bucketing applies)."""
    if not spec.clustering or spec.row_child is not None:
        return None
    (owner, attr), _ = spec.clustering[0]
    kind = spec.entity.attribute(attr).type.kind if owner == spec.entity.key else None
    if kind in (TypeKind.DATE, TypeKind.TIMESTAMP):
        return attr, kind is TypeKind.DATE
    return None


def _layout(cols: TableColumns, partition: list[str], clustering: list[str], static: list[str], extra: float) -> Layout:
    regular = [c.name for c in cols.columns if c.name not in {*partition, *clustering, *static}]
    pick = lambda names: tuple(cols.sizes.get(n, (extra, extra)) for n in names)  # noqa: E731
    return Layout(pick(partition), pick(clustering), pick(static), pick(regular))


def _table(spec: Spec, schema: Schema, stats: StatsView, sink: DiagnosticSink, tables: NameSpace, udt_names: NameSpace,
           udt_cache: dict[str, Udt]) -> tuple[Table, tuple[Udt, ...]]:
    r = rules()
    cols = build_columns(spec, stats, sink, udt_names, udt_cache)
    partition = [cols.by_source[(spec.entity.key, a)] for a in spec.partition]
    clustering = [Clustering(cols.by_source[ref], order) for ref, order in spec.clustering]
    key_names = {*partition, *(c.column for c in clustering)}
    static = [c.name for c in cols.columns if c.entity in spec.static_entities and c.name not in key_names]
    child_rel = spec.row_child[1] if spec.row_child else None
    count = partition_rows(schema, stats, spec.entity.key, spec.partition, child_rel)
    layout = _layout(cols, partition, [c.column for c in clustering], static, 4.0)
    first = estimate(count, layout)
    decisions = list(spec.decisions)
    bucketing, final, columns = None, first, list(cols.columns)
    used = {c.name for c in columns}
    if not partition or first.over_limits:
        time = _time_attr(spec) if partition else None
        if not partition and not first.over_limits:
            column = unique_name(r.bucket_column, used)
            bucketing = Bucketing("single", column, count=1, query=f"{quote(column)} = 0: every row is in bucket 0")
        elif time is not None:
            attr, is_date = time
            history = stats.attribute(spec.entity.key, attr)
            days = history.distinct if is_date and history.distinct and not history.assumed else None
            unit, count, decision = time_bucket(count, layout, is_date, days)
            column = unique_name(f"{cols.by_source[(spec.entity.key, attr)]}_{unit}", used)
            bucketing = Bucketing("time", column, unit=unit, attribute=attr, decision=decision,
                                  query=f"{quote(column)} IN ? : one value per {unit} the range covers (newest first for "
                                        "DESC); the client reads bucket by bucket until the limit is met")
        else:
            buckets, count, decision = hash_buckets(count, layout)
            key = ",".join(entity_key(spec.entity))
            column = unique_name(r.bucket_column, used)
            bucketing = Bucketing("hash", column, count=buckets, attribute=key, decision=decision,
                                  query=f"{_bucket_list(column, buckets)}: every bucket (0..{buckets - 1}) is read and the "
                                        "client merges them in clustering order")
        if bucketing.kind != "single":
            sink.warning("cassandra-partition-bucketed", f"table for {', '.join(spec.serves)}: worst partition "
                         f"({first.rows_max:,.0f} rows, {first.bytes_max:,.0f} bytes) exceeds the "
                         f"{'/'.join(first.over_limits)} limit; bucketed by {bucketing.kind}"
                         + (f" ({bucketing.unit})" if bucketing.unit else f" ({bucketing.count} buckets)"),
                         subject=",".join(spec.serves))
        bucket_type = "timestamp" if bucketing.unit == "hour" else "date" if bucketing.kind == "time" else "int"
        columns.append(Column(bucketing.column, bucket_type, "bucket"))
        partition.append(bucketing.column)
        layout = _layout(cols, partition, [c.column for c in clustering], static, 4.0)
        final = estimate(count, layout)
        if final.over_limits:
            sink.warning("cassandra-partition-too-large", f"table for {', '.join(spec.serves)}: even bucketed, the worst "
                         f"partition ({final.rows_max:,.0f} rows, {final.bytes_max:,.0f} bytes) exceeds the "
                         f"{'/'.join(final.over_limits)} limit", subject=",".join(spec.serves))
    base = spec.entity.name + (f"_with_{spec.row_child[0].name}" if spec.row_child else "")
    name = tables.claim(table_name(f"{base}_by_{'_'.join(partition)}", sink, ",".join(spec.serves)))
    table = Table(name, spec.entity.key, tuple(spec.serves), tuple(partition), tuple(clustering), tuple(static),
                  tuple(columns), tuple((p.key, rel.name) for p, rel in spec.parents.values()), cols.children, final,
                  first if bucketing and bucketing.kind != "single" else None, bucketing, tuple(decisions))
    return table, cols.udts


def _bucket_list(column: str, buckets: int) -> str:
    """`IN (0, 1, ...)` for a few buckets; past 16 a bound list (`IN ?`) keeps the statement short."""
    if buckets <= 16:
        return f"{quote(column)} IN ({', '.join(map(str, range(buckets)))})"
    return f"{quote(column)} IN ?"


def _query(table: Table, pattern, keyspace: str) -> tuple[str, str]:
    entities = {table.entity, *pattern.with_}
    wanted = [quote(c.name) for c in table.columns if c.entity in entities]
    where, partitions = [], "single"
    bucket = table.bucketing
    for column in table.partition_key:
        if bucket and column == bucket.column:
            if bucket.kind == "single":
                where.append(f"{quote(column)} = 0")
            elif bucket.kind == "hash":
                where.append(_bucket_list(column, bucket.count or 1))
                partitions = "in-buckets"
            else:
                where.append(f"{quote(column)} IN ?")
                partitions = "in-buckets"
        else:
            where.append(f"{quote(column)} = ?")
    filtering = ""
    static_range = range_static_column(table, pattern)
    if static_range is not None:
        # One entity row per partition (children are the clustering rows): the range tests that row's
        # STATIC value, a filter inside the single partition already chosen, hence cheap.
        where += [f"{quote(static_range)} >= ?", f"{quote(static_range)} <= ?"]
        filtering = " ALLOW FILTERING"
    elif pattern.range is not None and table.clustering:
        first = quote(table.clustering[0].column)
        where += [f"{first} >= ?", f"{first} <= ?"]
    limit = f" LIMIT {pattern.limit}" if pattern.limit and not any(c.layout == "rows" for c in table.children) else ""
    text = (f"SELECT {', '.join(wanted)} FROM {quote(keyspace)}.{quote(table.name)} "
            f"WHERE {' AND '.join(where)}{limit}{filtering};")
    return text, partitions


def design(schema: Schema, workload: Workload, *, keyspace: str | None = None,
           replication: str | None = None) -> CassandraDesign:
    """Tables, sizes, reads and writes for `schema` under `workload` (see docs/cassandra.md)."""
    if not isinstance(schema, Schema):
        raise DesignError(f"schema={type(schema).__name__} is invalid; pass a translator.ir.Schema")
    if not isinstance(workload, Workload):
        raise DesignError(f"workload={type(workload).__name__} is invalid; pass a translator.workload.model.Workload")
    ks = Keyspace(check_keyspace(keyspace, schema), parse_replication(replication))
    sink = DiagnosticSink()
    stats = StatsView(schema, workload.statistics)
    reads = [p for p in workload.access_patterns if p.is_read]
    specs = merge_specs([spec_for(shape_of(schema, p, sink), stats, sink) for p in reads])
    table_names, udt_names, udt_cache = NameSpace(), NameSpace(), {}
    tables, udts = [], {}
    for spec in specs:
        table, table_udts = _table(spec, schema, stats, sink, table_names, udt_names, udt_cache)
        tables.append(table)
        udts.update({u.name: u for u in table_udts})
    by_pattern = {pid: t for t in tables for pid in t.serves}
    plans = []
    for pattern in reads:
        text, partitions = _query(by_pattern[pattern.id], pattern, ks.name)
        plans.append(ReadPlan(pattern.id, by_pattern[pattern.id].name, text, partitions, pattern.assumed))
    stored = {t.entity for t in tables} | {e for t in tables for e, _ in t.parents} | {c.entity for t in tables for c in t.children}
    for entity in schema.entities:
        if entity.key not in stored:
            sink.info("cassandra-entity-unread", f"{entity.key} is read by no access pattern, so no table holds it; "
                      "add a read pattern to keep its data", subject=entity.key)
    writes = plan_writes(schema, workload, stats, tables, sink)
    # The same attribute lands in several tables: report each naming finding once.
    diagnostics = tuple(dict.fromkeys(sink.items))
    return CassandraDesign(ks, tuple(tables), tuple(udts.values()), tuple(plans), writes, diagnostics,
                           workload.assumed)
