"""The partition key of a pattern's table: the fewest equality attributes whose partition fits the limits.

Chebotko et al. (2015) put every equality attribute in the partition key; a partition must also stay
within Cassandra's size limits, and fewer partition attributes let more patterns share the table by a
clustering prefix. So the partition key is the smallest subset of the equality attributes (in the
pattern's order, earlier subsets first) whose worst partition, by the statistics, stays within the limits
with the bucketing headroom; the others become leading clustering columns. A smaller subset is taken only
when its estimate rests on given statistics (or a unique key): with defaulted statistics every equality
attribute stays in the partition key, as in Chebotko's MR2. When no subset fits, all of them form the
partition key and the table is bucketed (`sizing`).
"""

from __future__ import annotations

from itertools import combinations

from translator.ir import Schema
from translator.targets.cassandra.mapping import rules
from translator.targets.cassandra.model import Decision
from translator.targets.cassandra.shapes import Ref, Shape
from translator.targets.cassandra.sizing import RowCount, partition_rows
from translator.workload.stats import StatsView, estimate_row_bytes

__all__ = ["choose_partition", "MAX_SUBSET_ATTRIBUTES"]

#: Past this many equality attributes only the full set and its prefixes are tried (2^n subsets otherwise).
MAX_SUBSET_ATTRIBUTES = 6


def _row_bytes(schema: Schema, stats: StatsView, shape: Shape) -> float:
    total = 0.0
    for entity in (shape.entity, *(e for e, _, _ in shape.ancestors.values())):  # each role's copy counts
        total += stats.entity(entity).avg_row_bytes or estimate_row_bytes(entity.attributes)
    return total


def _fits(count: RowCount, row_bytes: float) -> bool:
    t = rules().thresholds
    room = t["bucket_headroom"]
    return (
        count.max <= t["max_partition_rows"] * room
        and count.max * row_bytes <= t["max_partition_bytes"] * room
        and count.max * 8 <= t["max_partition_cells"] * room
    )


def _subsets(equality: tuple[Ref, ...], required: tuple[Ref, ...]):
    """Subsets of `equality` holding every `required` attribute, smallest first."""
    rest = tuple(r for r in equality if r not in required)
    n = len(rest)
    if n > MAX_SUBSET_ATTRIBUTES:
        choices = [rest[:k] for k in range(0, n + 1)]
    else:
        choices = [c for size in range(0, n + 1) for c in combinations(rest, size)]
    for chosen in choices:
        subset = tuple(r for r in equality if r in required or r in chosen)
        if subset:
            yield subset


def choose_partition(
    schema: Schema, stats: StatsView, shape: Shape
) -> tuple[tuple[Ref, ...], tuple[Ref, ...], Decision]:
    """(partition attributes, equality attributes left for the clustering key, the decision)."""
    subject = f"pattern {shape.pattern.id}"
    equality = shape.equality
    if not equality:
        return (
            (),
            (),
            Decision(
                subject,
                "constant bucket",
                "MR-bucket",
                "no equality attribute: rows share one "
                "constant bucket partition (re-bucketed by hash if it grows too large)",
            ),
        )
    row_bytes = _row_bytes(schema, stats, shape)
    t = rules().thresholds
    untrusted = []
    for subset in _subsets(equality, shape.required):
        count = partition_rows(schema, stats, shape.entity.key, tuple(subset))
        if len(subset) < len(equality) and count.assumed and _fits(count, row_bytes):
            untrusted.append((subset, count))  # fits only by default statistics: not a reason to drop attributes
            continue
        if _fits(count, row_bytes):
            rest = tuple(r for r in equality if r not in subset)
            numbers = (
                ("rows_max", count.max),
                ("rows_avg", count.avg),
                ("row_bytes", row_bytes),
                ("max_partition_rows", t["max_partition_rows"]),
                ("headroom", t["bucket_headroom"]),
            )
            why = (
                f"{', '.join(map(str, subset))}: the fewest equality attributes whose worst partition "
                f"({count.max:,.0f} rows of ~{row_bytes:,.0f} bytes) stays within {t['bucket_headroom']:g} of the "
                f"limits ({count.rule})"
            )
            if rest:
                why += f"; {', '.join(map(str, rest))} lead the clustering key"
            return (
                tuple(subset),
                rest,
                Decision(subject, "partition key " + ", ".join(map(str, subset)), "MR-eq", why, numbers, count.assumed),
            )
    count = partition_rows(schema, stats, shape.entity.key, equality)
    if untrusted:
        subset, small = untrusted[0]
        return (
            equality,
            (),
            Decision(
                subject,
                "partition key " + ", ".join(map(str, equality)),
                "MR-eq",
                f"{', '.join(map(str, subset))} alone would fit ({small.max:,.0f} rows at worst) "
                f"only by assumed statistics ({', '.join(small.assumed)}): every equality "
                "attribute stays in the partition key (Chebotko's MR2); give statistics to "
                "let fewer attributes partition it",
                (("rows_max", count.max), ("subset_rows_max", small.max)),
                tuple(dict.fromkeys((*count.assumed, *small.assumed))),
            ),
        )
    return (
        equality,
        (),
        Decision(
            subject,
            "partition key " + ", ".join(map(str, equality)),
            "MR-eq",
            f"no subset of the equality attributes keeps the partition within the limits "
            f"({count.max:,.0f} rows at worst): all of them form the partition key, bucketed "
            "if still too large",
            (("rows_max", count.max),),
            count.assumed,
        ),
    )
