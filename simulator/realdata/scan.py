"""Read every range of a table into one merged partial result: in-process, or as Dask tasks.

Each range is one task returning a `Partial`; partials merge pairwise in a fixed tree, so the result
does not depend on which worker finished first. The default runs in this process with no cluster;
`workers=N` starts a `distributed.LocalCluster` of N worker processes; `scheduler='tcp://host:port'`
uses an existing cluster (its workers need this package and network access to the source).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from simulator.errors import SimulatorError
from simulator.realdata.partial import Limits, Partial, chunk_partial, merge
from simulator.realdata.tables import Range, ReadOptions, TableInfo
from simulator.realdata.url import Source

__all__ = ["ScanPlan", "reader", "scan", "scan_range"]


@dataclass(frozen=True)
class ScanPlan:
    """What every task needs: where, which table and columns, which keys, and how."""

    source: Source
    info: TableInfo
    keys: tuple[tuple[str, ...], ...]
    options: ReadOptions
    limits: Limits

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for key in self.keys for f in key))


def reader(engine: str):
    """The reader module of an engine (`simulator.realdata.<engine>`), found by its name."""
    return importlib.import_module(f"simulator.realdata.{engine}")


def scan_range(plan: ScanPlan, part: Range) -> Partial:
    """One task: read the range chunk by chunk, folding each chunk into the partial result."""
    acc = None
    for table in reader(plan.source.engine).read(plan.source, plan.info, part, plan.fields, plan.options):
        acc = merge(acc, chunk_partial(table, plan.keys, plan.limits), plan.limits)
    return acc if acc is not None else _empty(plan)


def _empty(plan: ScanPlan) -> Partial:
    import pyarrow as pa

    from simulator.realdata.tables import KIND_TYPES

    schema = pa.schema([(f, KIND_TYPES[plan.info.columns[f]]) for f in plan.fields])
    return chunk_partial(schema.empty_table(), plan.keys, plan.limits)


def _merge_pair(limits: Limits, a: Partial, b: Partial) -> Partial:
    return merge(a, b, limits)


_T = TypeVar("_T")


def _tree(items: list[_T], combine: Callable[[_T, _T], _T]) -> _T:
    while len(items) > 1:
        items = [combine(items[i], items[i + 1]) if i + 1 < len(items) else items[i] for i in range(0, len(items), 2)]
    return items[0]


def scan(
    plan: ScanPlan,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Partial, str]:
    """The merged partial of all ranges, and a description of where it ran."""
    ranges: Sequence[Range] = plan.info.ranges
    if scheduler is None and workers is None:
        parts = []
        for part in ranges:
            parts.append(scan_range(plan, part))
            if progress:
                progress(parts[-1].rows)
        return _tree(parts, lambda a, b: merge(a, b, plan.limits)), "in-process"
    if workers is not None and workers < 1:
        raise SimulatorError("must be at least 1, e.g. workers=4", "workers", workers)
    return _scan_dask(plan, ranges, scheduler, workers, progress)


def _scan_dask(plan, ranges, scheduler, workers, progress) -> tuple[Partial, str]:
    import functools

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            where = f"dask LocalCluster of {workers} worker processes"
        else:
            where = f"dask scheduler {scheduler}"
        try:
            client = Client(cluster if cluster is not None else scheduler, timeout=plan.options.connect_timeout)
        except (OSError, TimeoutError) as exc:
            raise SimulatorError(f"cannot reach it ({' '.join(str(exc).split())})", "scheduler", scheduler) from None
        with client:
            futures = client.map(functools.partial(scan_range, plan), list(ranges), pure=False)
            merged = _tree(list(futures), lambda a, b: client.submit(_merge_pair, plan.limits, a, b, pure=False))
            for done in as_completed(futures):
                if done.status == "error":
                    break
                if progress:
                    progress(ranges[futures.index(done)].estimated_rows or 0)
            try:
                return merged.result(), where
            except SimulatorError:
                raise
            except Exception as exc:  # a task's error, re-raised here with its own type and text
                raise plan.source.problem(exc) from None
    finally:
        if cluster is not None:
            cluster.close()
