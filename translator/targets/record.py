"""The design vocabulary every target speaks: one decision record, one JSON envelope, and the plain-data
summaries (`KeyCandidate`, `PatternServing`, `SizeCheck`) that `plan` and its report read from any target.

A target's `to_dict()` is `envelope(...)` around its own body, so every design's JSON starts with the same
four keys: `target`, `format_version`, `assumed`, then the target's sections, and ends with `diagnostics`.
docs/design-format.md documents the envelope; bump `FORMAT_VERSION` on any incompatible change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from translator.diagnostics import Diagnostic

__all__ = [
    "FORMAT_VERSION",
    "Number",
    "Decision",
    "envelope",
    "assumed_inputs",
    "KeyCandidate",
    "Access",
    "PatternServing",
    "SizeCheck",
]

#: The version of the design JSON envelope and of the shapes below (1 was the per-target shapes).
FORMAT_VERSION = 2

Number = float | int | str | None


def _plain(value: Number) -> Number:
    """Numbers as JSON can hold them: NaN and infinities become None, floats are rounded for reading."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 4)
    return value


@dataclass(frozen=True, slots=True)
class Decision:
    """One explained choice.

    subject: what the choice is about, in the target's words (``"orders -> customers"``, ``"table
    flights_by_city"``, ``"pattern Q2"``). choice: what was chosen (``"embed"``, ``"partition key"``).
    rule: the named rule applied (from the literature or the target's mapping file). reason: one sentence a
    person can check. numbers: the figures the rule used. assumed: the names of the inputs among those
    figures that were defaulted rather than given (empty when everything was measured or declared).
    """

    subject: str
    choice: str
    rule: str
    reason: str
    numbers: tuple[tuple[str, Number], ...] = ()
    assumed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "choice": self.choice,
            "rule": self.rule,
            "reason": self.reason,
            "numbers": {k: _plain(v) for k, v in self.numbers},
            "assumed": list(self.assumed),
        }


def assumed_inputs(*groups: Iterable[str]) -> tuple[str, ...]:
    """The sorted union of assumed input names, for the envelope's `assumed`."""
    return tuple(sorted({name for group in groups for name in group}))


def envelope(target: str, body: Mapping[str, Any], *, assumed: Iterable[str],
             diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    """The stable outer shape of every design's JSON.

    `assumed` lists the inputs the design rests on that were defaulted, not given: ``"workload"`` when
    the access patterns were derived from the schema, ``"statistics:<entity>"`` or
    ``"statistics:<child>.<fk>"`` for defaulted volumes, and so on. An empty list means every input was
    given. The body's own keys come between `assumed` and `diagnostics`.
    """
    reserved = {"target", "format_version", "assumed", "diagnostics"} & set(body)
    if reserved:
        raise ValueError(f"body={sorted(body)!r} reuses envelope keys {sorted(reserved)}; rename them in the body")
    return {
        "target": target,
        "format_version": FORMAT_VERSION,
        "assumed": sorted(set(assumed)),
        **body,
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


@dataclass(frozen=True, slots=True)
class KeyCandidate:
    """A shard or partition key the design proposes, as the simulator can try it.

    entity: the IR entity (``Entity.key``) whose rows the key spreads. container: the collection or table
    in the design. fields: the IR attribute names of the key, in order. partitioning: ``hashed`` or
    ``ranged``. store: the simulator's store name (``simulator.stores.STORES``). simulate_key: the
    ``--key`` argument, in the simulator's grammar, that models it (``"tenant_id,id"``, ``"hashed(id)"``).
    rank: 0 for the design's choice, then alternatives in the order the design prefers them.
    """

    entity: str
    container: str
    fields: tuple[str, ...]
    partitioning: Literal["hashed", "ranged"]
    store: str
    simulate_key: str
    reason: str
    rank: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "container": self.container, "fields": list(self.fields),
                "partitioning": self.partitioning, "store": self.store, "simulate_key": self.simulate_key,
                "reason": self.reason, "rank": self.rank}


#: How one execution of a pattern is served: one partition (or shard, or item collection); a known small
#: number of partitions (buckets, write shards); every shard (scatter-gather); or a full Scan.
Access = Literal["single-partition", "multi-partition", "scatter-gather", "scan"]


@dataclass(frozen=True, slots=True)
class PatternServing:
    """How a workload pattern is served by the design.

    requests: requests the application sends per execution (2 when a second query is needed).
    partitions: partitions or shards touched per execution. writes: for a write pattern, the rows,
    items or documents written per execution across every container it must update (its write
    amplification); 1 for reads. containers: where it is served or written.
    """

    pattern: str
    kind: str  # the workload PatternKind value: read | write | update | delete
    rate: float
    access: Access
    requests: int
    partitions: float
    containers: tuple[str, ...]
    writes: float = 1.0
    detail: str = ""
    assumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "kind": self.kind, "rate": _plain(self.rate), "access": self.access,
                "requests": self.requests, "partitions": _plain(self.partitions),
                "containers": list(self.containers), "writes": _plain(self.writes), "detail": self.detail,
                "assumed": self.assumed}


@dataclass(frozen=True, slots=True)
class SizeCheck:
    """The largest unit of a container (document, partition, item) against the store's limit."""

    container: str
    unit: Literal["document", "partition", "item", "collection", "table"]
    estimate_bytes: float
    limit_bytes: float
    limit: str  # the limit's name and source, e.g. "BSON document 16 MiB"
    rows: float | None = None  # rows (or cells) in the unit, where the store limits those too
    row_limit: float | None = None
    assumed: bool = False

    @property
    def ok(self) -> bool:
        within_rows = self.rows is None or self.row_limit is None or self.rows <= self.row_limit
        return self.estimate_bytes <= self.limit_bytes and within_rows

    def to_dict(self) -> dict[str, Any]:
        return {"container": self.container, "unit": self.unit, "estimate_bytes": _plain(self.estimate_bytes),
                "limit_bytes": _plain(self.limit_bytes), "limit": self.limit, "rows": _plain(self.rows),
                "row_limit": _plain(self.row_limit), "ok": self.ok, "assumed": self.assumed}
