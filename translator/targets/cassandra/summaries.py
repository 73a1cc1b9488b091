"""The plain-data summaries `plan` reads: partition key candidates, how each pattern is served, and each
table's worst partition against Cassandra's limits."""

from __future__ import annotations

import re
import shlex

from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import CassandraDesign, Table
from translator.targets.record import Access, KeyCandidate, PatternServing, SizeCheck

__all__ = ["key_candidates", "serving", "size_checks", "simulate_fields", "simulate_commands"]

_SIMULATOR_NAME = re.compile(r"^[^\s,()]+$")  # a field name the simulator's --key grammar can carry


def simulate_fields(table: Table) -> tuple[str, ...] | None:
    """The entity's own attributes the partition key hashes, as the simulator names them; None when the key
    holds a copied ancestor attribute or only a bucket (the simulator models one entity's own fields)."""
    fields = []
    for name in table.partition_key:
        column = table.column(name)
        if column.source == "bucket":
            continue
        if column.entity != table.entity or column.path or column.attribute is None \
                or not _SIMULATOR_NAME.match(column.attribute):
            return None
        fields.append(column.attribute)
    return tuple(fields) or None


def key_candidates(design: CassandraDesign) -> tuple[KeyCandidate, ...]:
    out = []
    for table in design.tables:
        fields = simulate_fields(table)
        if fields is None:
            continue
        bucket = f"; plus the {table.bucketing.kind} bucket column {table.bucketing.column}" if table.bucketing else ""
        out.append(KeyCandidate(table.entity, table.name, fields, "hashed", "cassandra", ",".join(fields),
                                f"partition key of {table.name} (serves {', '.join(table.serves)}); Murmur3 hashes "
                                f"the whole partition key{bucket}"))
    seen: set[tuple[str, str]] = set()
    unique = []
    for candidate in out:  # one simulation per (entity, key), ranked in table order
        if (candidate.entity, candidate.simulate_key) not in seen:
            seen.add((candidate.entity, candidate.simulate_key))
            unique.append(candidate)
    ranks: dict[str, int] = {}
    ranked = []
    for candidate in unique:
        rank = ranks.get(candidate.entity, 0)
        ranks[candidate.entity] = rank + 1
        ranked.append(KeyCandidate(candidate.entity, candidate.container, candidate.fields, candidate.partitioning,
                                   candidate.store, candidate.simulate_key, candidate.reason, rank))
    return tuple(ranked)


def serving(design: CassandraDesign) -> tuple[PatternServing, ...]:
    out = []
    for read in design.reads:
        table = design.table(read.table)
        partitions = 1.0
        if read.partitions == "in-buckets" and table.bucketing is not None:
            partitions = float(table.bucketing.count or 1) if table.bucketing.kind == "hash" else 2.0
        access: Access = "single-partition" if read.partitions == "single" else "multi-partition"
        detail = "bound IN over time buckets: partitions depend on the range" if table.bucketing and \
            table.bucketing.kind == "time" and read.partitions != "single" else ""
        out.append(PatternServing(read.id, "read", _rate(design, read.id), access, 1, partitions, (read.table,),
                                  1.0, detail, read.assumed))
    for pattern_id, why in design.unserved:  # no table: reading it means scanning every partition
        out.append(PatternServing(pattern_id, "read", _rate(design, pattern_id), "scan", 1, 1.0, (),
                                  1.0, f"not served by the design: {why}", design.workload_assumed))
    for write in design.writes:
        out.append(PatternServing(write.id, write.kind, _rate(design, write.id), "single-partition" if
                                  len(write.tables) <= 1 else "multi-partition", 1 if write.logged_batch or
                                  len(write.tables) <= 1 else len(write.tables), float(len(write.tables)),
                                  write.tables, write.rows_per_write, write.reason, write.assumed))
    return tuple(out)


def _rate(design: CassandraDesign, pattern_id: str) -> float:
    return dict(design.rates).get(pattern_id, 1.0)


def size_checks(design: CassandraDesign) -> tuple[SizeCheck, ...]:
    t = rules().thresholds
    out = []
    for table in design.tables:
        est = table.estimate
        if est is None:
            continue
        out.append(SizeCheck(table.name, "partition", est.bytes_max, t["max_partition_bytes"],
                             "Cassandra partition 100 MiB (compaction_large_partition_warning_threshold), "
                             f"{t['max_partition_rows']:,.0f} rows", est.rows_max, t["max_partition_rows"],
                             bool(est.assumed)))
    return tuple(out)


def simulate_commands(design: CassandraDesign) -> list[tuple[str, str | None]]:
    """(table, the `polyschema simulate` command modelling its partition key, or None with the reason it
    cannot be simulated as is). Runnable as printed: the simulator reads the entity's rows and attribute
    statistics from the same workload file."""
    out: list[tuple[str, str | None]] = []
    for c in key_candidates(design):
        if design.workload_source is None or c.entity not in design.measured:
            out.append((c.container, None))
            continue
        out.append((c.container, f"polyschema simulate --store {c.store} --key {shlex.quote(c.simulate_key)} "
                                 f"--workload {shlex.quote(design.workload_source)} --entity {shlex.quote(c.entity)}"))
    return out
