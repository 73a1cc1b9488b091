"""`simulate_table`: candidate keys on a real table, read-only and streamed, optionally on Dask."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from simulator.data import parse_key
from simulator.engine import CandidateResult, Traffic, rank
from simulator.errors import SimulatorError
from simulator.realdata.partial import Limits
from simulator.realdata.route import candidate
from simulator.realdata.scan import ScanPlan, reader, scan
from simulator.realdata.tables import ReadOptions, TableInfo
from simulator.realdata.url import parse_source
from simulator.stores import StoreConfig, store_model

__all__ = ["TableRun", "describe_table", "estimated_rows", "simulate_table", "store_rng"]


@dataclass(frozen=True, eq=False)
class TableRun:
    """The candidates' results on a table, and how the table was read."""

    source: str  # masked URL or path
    info: TableInfo
    rows_read: int
    ran: str
    results: list[CandidateResult]

    @property
    def ranked(self) -> list[CandidateResult]:
        return rank(self.results)

    def data_dict(self) -> dict[str, Any]:
        """How the data was read (the `data` section of `simulate --format json`)."""
        return {
            "source": self.source,
            "table": self.info.name,
            "rows_read": self.rows_read,
            "estimated_rows": self.info.estimated_rows,
            "order_by": self.info.order_by,
            "ranges": len(self.info.ranges),
            "sampling": self.info.sampling,
            "notes": list(self.info.notes),
        }


def store_rng(seed: int) -> np.random.Generator:
    """The generator every candidate's store model starts from (ring tokens, chunk samples)."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])


def describe_table(
    data: str, entity: str | None, order_by: str | None = None, options: ReadOptions | None = None
) -> TableInfo:
    """The table's columns (and their kinds), insertion-order column, row estimate and ranges."""
    source = parse_source(data)
    return reader(source.engine).describe(source, entity, order_by, options or ReadOptions())


def _sampling_note(result: CandidateResult, rows_read: int) -> str:
    shares = result.per_shard_rows / max(1, result.per_shard_rows.sum())
    se = float(np.sqrt(shares * (1 - shares) / max(1, rows_read)).max()) if shares.size else 0.0
    return (
        f"sampled: {rows_read:,} rows read; each shard's share of rows has a standard error up to {se:.2%} "
        "(binomial over the rows read; a block or range sample clusters rows, which can add to it)"
    )


def simulate_table(
    data: str,
    entity: str | None,
    keys: Sequence[str],
    store: str,
    *,
    config: StoreConfig | None = None,
    traffic: Traffic | None = None,
    order_by: str | None = None,
    sample: float | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    seed: int = 0,
    options: ReadOptions | None = None,
    limits: Limits | None = None,
    progress: Callable[[int], None] | None = None,
    patterns: Sequence[tuple[str, tuple[str, ...]]] | None = None,
) -> TableRun:
    """Simulate candidate `keys` (e.g. "tenant_id", "hashed(id)") of `store` on the rows of table `entity`
    in `data` (a database URL, or Parquet/CSV files). Nothing is written; only the key columns and one
    insertion-order column are read. `config.row_bytes` defaults to the catalog's average row size.
    """
    store_model(store)  # a typo fails before any connection
    traffic, limits = traffic or Traffic(), limits or Limits()
    options = replace(
        options or ReadOptions(),
        sample=sample if sample is not None else (options.sample if options else None),
        seed=seed,
    )
    source = parse_source(data)
    info = reader(source.engine).describe(source, entity, order_by, options)
    if not keys:
        raise SimulatorError("give at least one candidate key, e.g. keys=['tenant_id']", "keys", list(keys))
    if info.estimated_rows:
        limits = replace(limits, order_keep=min(1.0, 4.0 * limits.order_sample * info.scale / info.estimated_rows))
    specs = [parse_key(k, list(info.columns), "key") for k in keys]
    plan = ScanPlan(source, info, tuple(k.fields for k in specs), options, limits)
    partial, ran = scan(plan, scheduler, workers, progress)
    if config is None:
        config = StoreConfig(row_bytes=info.row_bytes or 200)
    results = []
    for spec, counts in zip(specs, partial.keys, strict=True):
        result = candidate(
            store,
            spec,
            counts,
            partial.order_sample,
            {f: info.columns[f] for f in plan.fields},
            config,
            traffic,
            store_rng(seed),
            info.scale,
            limits,
            patterns,
        )
        if info.sampling:
            result = replace(result, notes=result.notes + (_sampling_note(result, partial.rows),))
        results.append(result)
    return TableRun(source.masked(), info, partial.rows, ran, results)


def estimated_rows(info: TableInfo) -> int | None:
    """Rows the progress bar expects (the catalog's estimate, scaled down for a sample)."""
    if info.estimated_rows is None:
        return None
    return math.ceil(info.estimated_rows / info.scale)
