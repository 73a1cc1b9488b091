"""Limits and heat: item size against 400 KB, per-partition throughput against 3,000 RCU / 1,000 WCU with a
write-sharding proposal for hot keys, and item-collection size against the 10 GB that binds with an LSI.

Units (DynamoDB's definitions): 1 RCU = one strongly consistent read per second of up to 4 KB (a Query
is charged on the summed size of the items it returns); 1 WCU = one write per second of up to 1 KB; an
item that is also written to a GSI costs the GSI's WCU again.
The share of requests that hit the hottest partition key is taken from the workload statistics:
`most_common` frequencies of a partition attribute if given, else the largest parent's share of the
children (`max` children / rows), else 1 / distinct values; every number says whether it was assumed.
"""

from __future__ import annotations

import math
from collections import defaultdict

from translator.diagnostics import DiagnosticSink
from translator.ir import Entity, Schema
from translator.targets.dynamodb.mapping import DynamoRules
from translator.targets.dynamodb.model import (
    EntityMapping,
    KeyPath,
    KeyTemplate,
    LimitFinding,
    PatternPlan,
)
from translator.targets.dynamodb.parts import part_type
from translator.types import TypeKind
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["check_limits", "hot_share", "item_bytes", "key_bytes"]

_KEY_PART_BYTES = 21  # an encoded integer / ISO timestamp is ~20-27 characters; strings are shorter on average


def item_bytes(
    entity: Entity, mapping: EntityMapping, stats: StatsView, rules: DynamoRules
) -> tuple[float, float | None, bool]:
    """(average, declared maximum or None if unbounded, whether the average was assumed) size of one item in bytes."""
    given = stats.entity(entity)
    names = sum(len(a.attribute.encode("utf-8")) for a in mapping.attributes)
    keys = sum(
        len(t.attribute) + len(t.prefix) + _KEY_PART_BYTES * len(t.parts)
        for p in mapping.paths
        for t in (p.partition, p.sort)
    )
    overhead = names + keys + rules.limits["item_overhead_bytes"]
    total = float(overhead)
    bounded = True
    for attribute in entity.attributes:
        type_ = attribute.type
        if type_.kind in (TypeKind.STRING, TypeKind.BINARY, TypeKind.JSON, TypeKind.ARRAY, TypeKind.OTHER):
            if type_.length is None or type_.kind in (TypeKind.JSON, TypeKind.ARRAY, TypeKind.OTHER):
                bounded = False
                break
            total += type_.length * (4 if type_.kind is TypeKind.STRING else 1)  # UTF-8: up to 4 bytes a character
        else:
            total += 40  # numbers take at most 21 bytes, ISO strings 27
    return (given.avg_row_bytes or 0.0) + overhead, total if bounded else None, given.assumed


def _rows_name(entity: Entity) -> str:
    return f"statistics:{entity.key}"


def hot_share(schema: Schema, stats: StatsView, entity: Entity, path: KeyPath) -> tuple[float, tuple[str, ...], str]:
    """(share of the entity's requests that hit its hottest partition key, the assumed inputs behind it,
    how it was derived)."""
    parts = path.partition.parts
    if not parts:  # a constant partition: every request, spread over its write shards
        return 1.0 / path.partition.shards, (), f"constant partition over {path.partition.shards} shard(s)"
    for column in parts:
        attr = stats.attribute(entity.key, column)
        if attr.most_common:
            named: tuple[str, ...] = (f"statistics:{entity.key}.{column}",) if attr.assumed else ()
            return max(f for _, f in attr.most_common), named, f"most_common of {column}"
    rows = stats.entity(entity)
    for rel in schema.relationships_from(entity.key):
        if set(rel.from_attributes) == set(parts):
            fan = stats.fanout(rel)
            biggest = fan.max or fan.p99 or fan.avg
            named = ((f"statistics:{entity.key}.{rel.from_attributes[0]}",) if fan.assumed else ()) + (
                (_rows_name(entity),) if rows.assumed else ()
            )
            return min(1.0, biggest / max(rows.rows, 1.0)), named, f"max children per {rel.to_entity}"
    if entity.is_unique(parts):
        return 1.0 / max(rows.rows, 1.0), (_rows_name(entity),) if rows.assumed else (), "unique key"
    distinct = max((stats.attribute(entity.key, c).distinct or 0.0) for c in parts) if parts else 0.0
    if distinct:
        named = tuple(f"statistics:{entity.key}.{c}" for c in parts if stats.attribute(entity.key, c).assumed)
        return 1.0 / distinct, named, "1 / distinct values"
    values = [len(a.enum_values) for a in map(entity.find_attribute, parts) if a is not None and a.enum_values]
    if values:
        return (
            1.0 / max(1, math.prod(values)),
            tuple(f"statistics:{entity.key}.{c}" for c in parts),
            "enum values (uniform)",
        )
    return (
        min(1.0, 10.0 / max(rows.rows, 1.0)),
        (_rows_name(entity), *(f"statistics:{entity.key}.{c}" for c in parts)),
        "assumed 10 rows per key",
    )


#: Most bytes one encoded key component of a fixed-size kind takes (see items.py for the encodings).
_PART_BYTES = {"int": 21, "float": 16, "iso": 32, "bool": 1, "text_uuid": 36}


def key_bytes(schema: Schema, mapping: EntityMapping, template: KeyTemplate, rules: DynamoRules) -> float | None:
    """The most bytes `template` renders to for the entity's rows, or None when a part's size is unbounded."""
    pieces = template.pieces()
    total = float(len(pieces) - 1)  # separators
    total += sum(len(v.encode("utf-8")) for kind, v in pieces if kind == "lit")
    total += len(str(template.shards)) if template.shards > 1 else 0
    for part in template.parts:
        type_ = part_type(schema, mapping, part)
        encoding = rules.key_encodings.get(type_.kind, "text")
        if encoding == "decimal":
            total += (type_.precision or rules.decimal_precision) + 2
        elif encoding == "hex":
            if type_.length is None:
                return None
            total += 2 * type_.length
        elif encoding == "text":
            if type_.kind is TypeKind.UUID:
                total += _PART_BYTES["text_uuid"]
            elif type_.length is None:
                return None
            else:
                total += 4 * type_.length  # 4 UTF-8 bytes a character ("%" and "#" escape to 3)
        else:
            total += _PART_BYTES[encoding]
    return total


def _check_key_sizes(
    schema: Schema, mappings: list[EntityMapping], rules: DynamoRules, sink: DiagnosticSink
) -> list[LimitFinding]:
    """Declared column sizes that let a key string pass DynamoDB's 2,048-byte partition / 1,024-byte sort limit."""
    out: list[LimitFinding] = []
    for mapping in mappings:
        entity = schema.entity(mapping.entity)
        for path in mapping.paths:
            for template, cap_key in ((path.partition, "partition_key_bytes"), (path.sort, "sort_key_bytes")):
                most, cap = key_bytes(schema, mapping, template, rules), rules.limits[cap_key]
                if most is None or most <= cap:
                    continue
                where = f"{mapping.table}/{path.index or 'table'}/{template.attribute}"
                out.append(
                    LimitFinding(
                        "key-size",
                        f"{entity.key} {where}",
                        most,
                        cap,
                        False,
                        "key on a shorter column, or a hash of the long one",
                    )
                )
                sink.warning(
                    "dynamodb-key-too-long",
                    f"{entity.key}: {template.attribute}={template.text()} can reach "
                    f"{most:.0f} bytes by the declared column sizes; DynamoDB allows {cap}",
                    subject=entity.key,
                )
    return out


def _rows_per_value(stats: StatsView, entity: Entity, parts: tuple[str, ...]) -> float:
    """Items under the hottest value of a partition keyed on attributes (not a foreign key): the entity's
    rows times the largest `most_common` fraction, else rows / distinct values, from given statistics;
    else an assumed 10. A low-cardinality key (an order's status) holds a large share of the table, and a
    Query on it reads all of it (AWS's "open orders by date" GSI, write-sharded for that reason)."""
    rows = stats.entity(entity).rows
    given = [stats.attribute(entity.key, c) for c in parts]
    given = [a for a in given if not a.assumed]
    tops = [max(f for _, f in a.most_common) for a in given if a.most_common]
    if tops:
        return max(1.0, rows * min(tops))
    distinct = [a.distinct for a in given if a.distinct]
    return max(1.0, rows / max(distinct)) if distinct else 10.0


def _items_per_call(schema: Schema, stats: StatsView, entity: Entity, plan: PatternPlan, path: KeyPath | None) -> float:
    if plan.operation in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        return 1.0
    count = 1.0
    if path is not None and not path.partition.parts:
        count = stats.entity(entity).rows
    elif path is not None and not entity.is_unique(path.partition.parts):
        rel = next(
            (r for r in schema.relationships_from(entity.key) if set(r.from_attributes) == set(path.partition.parts)),
            None,
        )
        count = stats.fanout(rel).avg if rel else _rows_per_value(stats, entity, path.partition.parts)
    for child_key in plan.returns[1:]:
        child = schema.find_entity(child_key)
        down = (
            next((r for r in schema.relationships_from(child.key) if r.to_entity == entity.key), None)
            if child
            else None
        )
        count += stats.fanout(down).avg if down else (1.0 if child else 10.0)  # a parent read with its child: 1
    return min(count, plan.limit) if plan.limit else count


def check_limits(
    schema: Schema,
    workload: Workload,
    stats: StatsView,
    mappings: list[EntityMapping],
    plans: list[PatternPlan],
    rules: DynamoRules,
    sink: DiagnosticSink,
) -> list[LimitFinding]:
    findings: list[LimitFinding] = []
    sizes: dict[str, float] = {}
    limit = rules.limits
    for mapping in mappings:
        entity = schema.entity(mapping.entity)
        avg, maximum, assumed = item_bytes(entity, mapping, stats, rules)
        sizes[entity.key] = avg
        ok = avg <= limit["item_bytes"] and (maximum is None or maximum <= limit["item_bytes"])
        findings.append(
            LimitFinding(
                "item-size",
                entity.key,
                avg,
                limit["item_bytes"],
                ok,
                None if ok else "move large columns to S3 and keep a pointer, or split the item",
                (("avg_bytes", round(avg)), ("max_bytes", maximum)),
                (_rows_name(entity),) if assumed else (),
            )
        )
        if avg > limit["item_bytes"]:
            sink.error(
                "dynamodb-item-too-large",
                f"{entity.key}: average item ~{avg:.0f} bytes exceeds 400 KB",
                subject=entity.key,
            )
        elif maximum is not None and maximum > limit["item_bytes"]:
            sink.warning(
                "dynamodb-item-may-exceed",
                f"{entity.key}: declared column sizes allow items up to {maximum:.0f} bytes (> 400 KB)",
                subject=entity.key,
            )
    findings += _check_key_sizes(schema, mappings, rules, sink)
    by_key = {m.entity: m for m in mappings}
    load: dict[tuple[str, str, str], dict[str, float]] = defaultdict(lambda: {"rcu": 0.0, "wcu": 0.0})
    assumed_any: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for plan in plans:
        owner = by_key.get(plan.items_of or plan.entity)  # a filter across children reads the child's items
        if plan.flagged or owner is None:
            continue
        entity = schema.entity(owner.entity)
        path = owner.path_on(plan.index) or owner.base
        share, share_inputs, _how = hot_share(schema, stats, entity, path)
        if plan.kind == "read":
            rcu = math.ceil(_items_per_call(schema, stats, entity, plan, path) * sizes[entity.key] / limit["rcu_bytes"])
            key = (owner.table, path.index or "table", path.partition.prefix)
            load[key]["rcu"] += plan_rate(workload, plan) * share * max(rcu, 1)
            assumed_any[key].update(share_inputs, ("workload",) if plan.assumed else ())
            continue
        wcu = max(1, math.ceil(sizes[entity.key] / limit["wcu_bytes"]))
        for written in owner.paths:  # the table write plus one write per GSI the item is in
            w_share, w_assumed, _ = hot_share(schema, stats, entity, written)
            key = (owner.table, written.index or "table", written.partition.prefix)
            load[key]["wcu"] += plan_rate(workload, plan) * w_share * wcu
            assumed_any[key].update(w_assumed, ("workload",) if plan.assumed else ())
    for (table, index, prefix), units in sorted(load.items()):
        for unit, cap in (("rcu", limit["partition_rcu"]), ("wcu", limit["partition_wcu"])):
            value = units[unit]
            if not value:
                continue
            ok = value <= cap
            proposal = None
            if not ok:
                shards = math.ceil(value / (0.8 * cap))
                proposal = (
                    f"write-shard {prefix}#...: append a suffix 0..{shards - 1} to the partition key (random for "
                    f"write-heavy keys, or calculated as hash(sort key) mod {shards} so a GetItem still finds its "
                    f"item); a Query over the logical partition then fans out to {shards} Queries "
                    f"({shards}x the request count)"
                )
                sink.warning(
                    "dynamodb-hot-partition",
                    f"{table}/{index} partition {prefix}#...: ~{value:.0f} {unit.upper()}/s "
                    f"on the hottest key exceeds {cap}; {proposal}",
                    subject=f"{table}/{index}/{prefix}",
                )
            findings.append(
                LimitFinding(
                    f"partition-{unit}",
                    f"{table}/{index}/{prefix}",
                    value,
                    cap,
                    ok,
                    proposal,
                    (),
                    tuple(sorted(assumed_any[(table, index, prefix)])),
                )
            )
    for mapping in mappings:
        children = [
            m
            for m in mappings
            if m.table == mapping.table and m.entity != mapping.entity and m.base.partition.prefix == mapping.tag
        ]
        if not children:
            continue
        total = sizes[mapping.entity]
        named: set[str] = {_rows_name(schema.entity(mapping.entity))} if stats.entity(mapping.entity).assumed else set()
        for child in children:
            rel = next((r for r in schema.relationships_from(child.entity) if r.to_entity == mapping.entity), None)
            fan = stats.fanout(rel) if rel else None
            total += (fan.max or fan.p99 or fan.avg if fan else 1.0) * sizes[child.entity]
            if rel is not None and fan is not None and fan.assumed:
                named.add(f"statistics:{child.entity}.{rel.from_attributes[0]}")
        cap = limit["item_collection_bytes_with_lsi"]
        findings.append(
            LimitFinding(
                "item-collection-size",
                mapping.entity,
                total,
                cap,
                total <= cap,
                None if total <= cap else "keep LSIs off this table (GSIs have no collection limit)",
                (("lsi", "none"),),
                tuple(sorted(named)),
            )
        )
    return findings


def plan_rate(workload: Workload, plan: PatternPlan) -> float:
    try:
        return workload.pattern(plan.id).rate
    except KeyError:
        return 0.0
