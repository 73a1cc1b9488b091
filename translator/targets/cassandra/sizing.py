"""Partition sizing (Chebotko et al. 2015) and bucketing of partitions that would grow too large.

Rows per partition come from statistics: a unique key gives 1; a foreign key in the partition key gives
the relationship's fan-out (avg, max), part of a composite one that is the parent's foreign key to a
grandparent the product of the fan-outs; other attributes divide by their distinct count (worst case from
their most common value's frequency). Cells: Nv = Nr (Nc - Npk - Ns) + Ns. Bytes: partition and static
columns once, clustering and regular columns per row, plus 8 bytes of timestamp per cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from translator.ir import Schema
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Decision, PartitionEstimate, TimeUnit
from translator.targets.cassandra.shapes import Ref
from translator.types import TypeKind
from translator.workload.stats import StatsView

__all__ = ["RowCount", "Layout", "partition_rows", "estimate", "over_limits", "hash_buckets", "time_bucket"]


@dataclass(frozen=True, slots=True)
class RowCount:
    avg: float
    max: float
    assumed: tuple[str, ...]
    numbers: tuple[tuple[str, float], ...]
    rule: str

    def scaled(self, factor: float, note: str) -> RowCount:
        return RowCount(
            max(1.0, self.avg * factor),
            max(1.0, self.max * factor),
            self.assumed,
            (*self.numbers, (note, factor)),
            self.rule,
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """Column byte sizes by role: (avg, max) bytes of one value of each column."""

    partition: tuple[tuple[float, float], ...]
    clustering: tuple[tuple[float, float], ...]
    static: tuple[tuple[float, float], ...]
    regular: tuple[tuple[float, float], ...]


def _chain_fanout(stats: StatsView, chain, skew: float) -> tuple[float, float, bool]:
    """Rows of the chain's first entity per row of its last entity: the product of the fan-outs."""
    avg, worst, assumed = 1.0, 1.0, False
    for rel in chain:
        fan = stats.fanout(rel)
        avg *= fan.avg
        worst *= fan.max or fan.p99 or fan.avg * skew
        assumed = assumed or fan.assumed
    return avg, worst, assumed


def _held_ancestors(
    schema: Schema, entity_key: str, own: tuple[str, ...], depth: int = 4
) -> list[tuple[tuple, set[str]]]:
    """Ancestors whose key the entity's own attributes `own` hold through composite foreign keys: part of a
    foreign key to a parent (room_availability.hotel_id, of (hotel_id, room_number) -> rooms) can be, in the
    parent, a whole foreign key to a grandparent (rooms.hotel_id -> hotels). Each is (the chain of foreign
    keys from the entity, the own attributes holding the ancestor's key). A whole foreign key of the entity
    itself is not listed: the caller takes its fan-out directly."""
    found: list[tuple[tuple, set[str]]] = []

    def walk(entity: str, held: dict[str, str], chain: tuple) -> None:
        for rel in schema.relationships_from(entity):
            if rel.is_self_reference or any(r.from_entity == rel.to_entity for r in chain):
                continue
            if all(a in held for a in rel.from_attributes):
                if chain:
                    found.append(((*chain, rel), {held[a] for a in rel.from_attributes}))
                continue
            lifted = {b: held[a] for a, b in zip(rel.from_attributes, rel.to_attributes, strict=True) if a in held}
            if lifted and len(chain) + 1 < depth:
                walk(rel.to_entity, lifted, (*chain, rel))

    walk(entity_key, {a: a for a in own}, ())
    return found


def partition_rows(
    schema: Schema, stats: StatsView, entity_key: str, partition: tuple[Ref, ...], child_relationship=None
) -> RowCount:
    """Rows in one partition keyed by `partition` (attributes of `entity_key` or copied from its ancestors),
    average and worst case."""
    entity = schema.entity(entity_key)
    base = stats.entity(entity)
    assumed: list[str] = [f"{entity.key}.rows"] if base.assumed else []
    numbers: list[tuple[str, float]] = [(f"{entity.key}.rows", base.rows)]
    assumptions = rules().assumptions
    own = tuple(r.attribute for r in partition if not r.chain)
    if not partition:
        avg = worst = base.rows
        rule = "one bucket holds every row"
    elif own and entity.is_unique(own):
        avg = worst = 1.0
        rule = "partition key contains a unique key"
    else:
        covered: set[tuple[str, str, tuple[str, ...]]] = set()
        avg, worst, rule = base.rows, base.rows, "independent attribute selectivities"
        for rel in schema.relationships_from(entity.key):
            if own and set(rel.from_attributes) <= set(own):
                fan = stats.fanout(rel)
                fan_max = fan.max or fan.p99 or fan.avg * assumptions["skew"]
                if fan.avg < avg:
                    avg, worst, covered = fan.avg, fan_max, {(entity.key, a, ()) for a in rel.from_attributes}
                    rule = f"fan-out of {rel.name}"
                    numbers += [(f"{rel.name}.avg", fan.avg), (f"{rel.name}.max", fan_max)]
                    if fan.assumed:
                        assumed.append(f"fanout {entity.key}.{','.join(rel.from_attributes)}")
        # Part of a composite foreign key that is the parent's own foreign key to a grandparent: the rows under
        # that grandparent, through the chain's fan-outs (rooms per hotel x availability rows per room).
        direct = {a for _, a, _ in covered}
        for chain, attrs in _held_ancestors(schema, entity.key, own):
            if attrs <= direct:
                # A whole foreign key of the entity already holds these attributes and more: its own fan-out
                # is the finer count (rows per tenant through some other chain cannot be fewer than rows per
                # (tenant, project)), whatever assumed numbers along that chain say.
                continue
            fan_avg, fan_max, fan_assumed = _chain_fanout(stats, chain, assumptions["skew"])
            if fan_avg < avg:
                avg, worst, covered = fan_avg, fan_max, {(entity.key, a, ()) for a in attrs}
                rule = f"fan-out from {chain[-1].to_entity} through {', '.join(r.name for r in chain)}"
                numbers += [
                    (f"{chain[-1].to_entity}.fanout_avg", fan_avg),
                    (f"{chain[-1].to_entity}.fanout_max", fan_max),
                ]
                if fan_assumed:
                    assumed.append(f"fanout {chain[-1].to_entity}")
        # A copied ancestor identified by its key: the rows under one ancestor, through the chain's fan-outs.
        by_chain: dict[tuple, list[Ref]] = {}
        for ref in partition:
            if ref.chain:
                by_chain.setdefault(tuple(r.name for r in ref.chain), []).append(ref)
        for refs in by_chain.values():
            ancestor = schema.entity(refs[0].entity)
            if ancestor.is_unique([r.attribute for r in refs]):
                fan_avg, fan_max, fan_assumed = _chain_fanout(stats, refs[0].chain, assumptions["skew"])
                if fan_avg < avg:
                    avg, worst = fan_avg, fan_max
                    covered |= {r.key for r in refs}
                    rule = f"fan-out from {ancestor.key} through {', '.join(r.name for r in refs[0].chain)}"
                    numbers += [(f"{ancestor.key}.fanout_avg", fan_avg), (f"{ancestor.key}.fanout_max", fan_max)]
                    if fan_assumed:
                        assumed.append(f"fanout {ancestor.key}")
        for ref in partition:
            if ref.key in covered:
                continue
            owner = schema.entity(ref.entity)
            attr = stats.attribute(owner.key, ref.attribute)
            distinct, given = attr.distinct, not attr.assumed
            kind = owner.attribute(ref.attribute).type
            if not distinct and kind.values:  # an enum can take only its declared values
                distinct, given = float(len(kind.values)), True
            elif not distinct and kind.kind is TypeKind.BOOLEAN:
                distinct, given = 2.0, True
            if distinct:
                frac_avg = 1.0 / distinct
                frac_max = max((f for _, f in attr.most_common), default=frac_avg)
                if not attr.most_common:
                    assumed.append(f"{ref} uniform")
                if not given:
                    assumed.append(f"{ref} distinct")
            else:
                # No statistics: the attribute splits the rows left into distinct_fraction x that many values.
                frac_avg = 1.0 / max(1.0, avg * assumptions["distinct_fraction"])
                frac_max = min(1.0, frac_avg * assumptions["skew"])
                assumed.append(f"{ref} distinct")
            numbers += [(f"{ref.attribute}.fraction_avg", frac_avg), (f"{ref.attribute}.fraction_max", frac_max)]
            avg, worst = avg * frac_avg, worst * frac_max
            covered.add(ref.key)
    # No partition holds more rows than the table: products of worst cases along a chain can exceed it.
    avg, worst = min(avg, base.rows), min(worst, base.rows)
    count = RowCount(max(1.0, avg), max(1.0, avg, worst), tuple(dict.fromkeys(assumed)), tuple(numbers), rule)
    if child_relationship is not None:
        fan = stats.fanout(child_relationship)
        fan_max = fan.max or fan.p99 or fan.avg * assumptions["skew"]
        count = RowCount(
            count.avg * max(1.0, fan.avg),
            count.max * max(1.0, fan_max),
            count.assumed + ((f"fanout {child_relationship.name}",) if fan.assumed else ()),
            count.numbers + ((f"{child_relationship.name}.avg", fan.avg), (f"{child_relationship.name}.max", fan_max)),
            count.rule + f" x children through {child_relationship.name}",
        )
    return count


def _bytes(rows: float, layout: Layout, pick: int) -> tuple[float, float]:
    once = sum(c[pick] for c in layout.partition) + sum(c[pick] for c in layout.static)
    per_row = sum(c[pick] for c in layout.clustering) + sum(c[pick] for c in layout.regular)
    cells = rows * len(layout.regular) + len(layout.static)  # Nv = Nr (Nc - Npk - Ns) + Ns
    return cells, once + rows * per_row + 8.0 * cells


def over_limits(rows: float, cells: float, size: float, headroom: float = 1.0) -> tuple[str, ...]:
    t = rules().thresholds
    out = []
    if size > t["max_partition_bytes"] * headroom:
        out.append("bytes")
    if rows > t["max_partition_rows"] * headroom:
        out.append("rows")
    if cells > t["max_partition_cells"] * headroom:
        out.append("cells")
    return tuple(out)


def estimate(count: RowCount, layout: Layout) -> PartitionEstimate:
    cells_avg, bytes_avg = _bytes(count.avg, layout, 0)
    cells_max, bytes_max = _bytes(count.max, layout, 1)
    return PartitionEstimate(
        count.avg,
        count.max,
        cells_avg,
        cells_max,
        bytes_avg,
        bytes_max,
        count.assumed,
        over_limits(count.max, cells_max, bytes_max),
    )


def _ratio(est: PartitionEstimate) -> float:
    t = rules().thresholds
    return max(
        est.rows_max / t["max_partition_rows"],
        est.cells_max / t["max_partition_cells"],
        est.bytes_max / t["max_partition_bytes"],
    )


def hash_buckets(count: RowCount, layout: Layout) -> tuple[int, RowCount, Decision]:
    """Enough hash buckets that the worst partition stays under the limits with headroom."""
    headroom = rules().thresholds["bucket_headroom"]
    ratio = _ratio(estimate(count, layout))
    buckets = max(2, math.ceil(ratio / headroom))
    scaled = count.scaled(1.0 / buckets, "hash_bucket_share")
    decision = Decision(
        "partition",
        f"{buckets} hash buckets",
        "SZ-hash-bucket",
        f"worst partition is {ratio:.2f}x the limit; {buckets} hash buckets bring it "
        f"under {headroom:g} of the limit (rows assumed spread evenly)",
        (("limit_ratio", ratio), ("buckets", float(buckets)), ("headroom", headroom)),
        tuple(dict.fromkeys((*count.assumed, "even hash spread"))),
    )
    return buckets, scaled, decision


def time_bucket(
    count: RowCount, layout: Layout, is_date: bool, history_days: float | None
) -> tuple[TimeUnit, RowCount, Decision]:
    """The coarsest time bucket (from `[time_buckets]`) whose worst partition fits with headroom."""
    r = rules()
    headroom = r.thresholds["bucket_headroom"]
    span = history_days or r.assumptions["history_days"]
    assumed = tuple(dict.fromkeys((*count.assumed, *(() if history_days else ("history_days",)))))
    choices = [(name, days) for name, days in r.time_buckets if not (is_date and days < 1)]
    chosen = choices[-1]
    for name, days in choices:
        trial = count.scaled(min(1.0, days / span), f"{name}_share")
        est = estimate(trial, layout)
        if not over_limits(est.rows_max, est.cells_max, est.bytes_max, headroom):
            chosen = (name, days)
            break
    name, days = chosen
    scaled = count.scaled(min(1.0, days / span), f"{name}_share")
    decision = Decision(
        "partition",
        f"one bucket per {name}",
        "SZ-time-bucket",
        f"rows spread over {span:g} days of history; one partition per {name} holds {days / span:.2%} of them",
        (("history_days", span), ("bucket_days", days)),
        assumed,
    )
    return name, scaled, decision
