"""Simulate each design's key candidates in-process, exactly as `polyschema simulate` would run them.

For every (entity, simulator store) pair the candidates share one run on the same generated rows, as
repeated `--key` options do. The inputs the simulator reads (rows, row size, attribute statistics, the
entity's access patterns) are written as a workload document, `simulate.workload.yaml` beside the report,
built from the statistics with their documented defaults (`StatsView`); each run records the
`polyschema simulate` command line that reproduces its figures from that file.

The simulator is imported inside the functions: importing this module costs no numba.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from translator.ir import Schema
from translator.targets.record import KeyCandidate
from translator.workload.model import Workload
from translator.workload.stats import StatsView

__all__ = ["SIMULATION_FILE", "SimulationRun", "plan_runs", "assign_rows", "simulation_document", "run_simulation"]

#: The workload document the runs read, written beside the report.
SIMULATION_FILE = "simulate.workload.yaml"
SEED = 0
#: The smallest sample a run gets when the budget is spread over many runs.
MIN_SAMPLE_ROWS = 10_000


@dataclass
class SimulationRun:
    """One `polyschema simulate` invocation: candidates of one entity on one simulator store."""

    target: str
    entity: str
    store: str
    keys: tuple[str, ...]
    rows: int  # rows simulated
    entity_rows: int  # rows by the statistics
    reads_per_second: float
    writes_per_second: float
    placement: tuple[str, int] | None  # ("shards" | "nodes", count)
    candidates: list[KeyCandidate]
    results: list[dict[str, Any]] = field(default_factory=list)
    ranking: list[str] = field(default_factory=list)
    error: str | None = None
    assumed: bool = False
    weight: float = 0.0  # data volume x traffic: which runs come first when not all are simulated
    skipped: str | None = None
    data: str | None = None  # the table the rows were read from (plan --sample), else generated rows
    tenant: str | None = None  # the entity's tenant column: keys leading with it get whale remedies
    remedies: list[dict[str, Any]] = field(default_factory=list)  # `simulate --remedy`'s records, per key

    def real_arguments(self) -> list[str]:
        """`simulate --data` arguments that read the same table (the URL without its password)."""
        url, _, sample = (self.data or "").rpartition(" (sample ")
        args = ["--data", url, "--entity", self.entity, "--store", self.store]
        for key in self.keys:
            args += ["--key", key]
        fraction = sample.rstrip(")")
        return args + ([] if fraction in ("", "1") else ["--sample", fraction]) + ["--seed", str(SEED)]

    def arguments(self, workload_path: str) -> list[str]:
        args = ["--store", self.store]
        for key in self.keys:
            args += ["--key", key]
        args += ["--workload", workload_path, "--entity", self.entity, "--rows", str(self.rows),
                 "--reads-per-second", _number(self.reads_per_second),
                 "--writes-per-second", _number(self.writes_per_second), "--seed", str(SEED)]
        if self.placement:
            args += [f"--{self.placement[0]}", str(self.placement[1])]
        return args

    def command(self, workload_path: str) -> str:
        arguments = self.real_arguments() if self.data else self.arguments(workload_path)
        return shlex.join(["polyschema", "simulate", *arguments])

    def remedy_command(self, workload_path: str) -> str | None:
        """The command that reproduces `remedies`: the run's own, with `--remedy`."""
        return f"{self.command(workload_path)} --remedy" if self.remedies else None

    def to_dict(self, workload_path: str) -> dict[str, Any]:
        return {"target": self.target, "entity": self.entity, "store": self.store, "keys": list(self.keys),
                "rows": self.rows, "entity_rows": self.entity_rows, "sampled": self.rows < self.entity_rows,
                "reads_per_second": self.reads_per_second, "writes_per_second": self.writes_per_second,
                "placement": {self.placement[0]: self.placement[1]} if self.placement else {},
                "command": self.command(workload_path), "assumed": self.assumed and not self.data,
                "data": self.data,
                "candidates": [c.to_dict() for c in self.candidates], "results": self.results,
                "ranking": self.ranking, "error": self.error, "skipped": self.skipped,
                "tenant": self.tenant, "remedies": self.remedies,
                "remedy_command": self.remedy_command(workload_path)}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _own_fields(pattern: Any, entity: str) -> list[str]:
    return [ref.attribute for ref in pattern.equality if ref.entity == entity and not ref.path]


def plan_runs(target: str, candidates: Iterable[KeyCandidate], schema: Schema, workload: Workload,
              view: StatsView, placement: tuple[str, int] | None,
              tenant_of: Callable[[str], str | None] = lambda entity: None) -> list[SimulationRun]:
    """Group a target's candidates by (entity, store); each run starts with the entity's every row.
    `tenant_of(entity)` names the entity's tenant column, whose keys get whale remedies."""
    runs: dict[tuple[str, str], SimulationRun] = {}
    for candidate in sorted(candidates, key=lambda c: c.rank):
        run = runs.get((candidate.entity, candidate.store))
        if run is None:
            stats = view.entity(candidate.entity)
            entity_rows = max(1, int(round(stats.rows)))
            patterns = [p for p in workload.access_patterns if p.entity == candidate.entity]
            reads = sum(p.rate for p in patterns if p.is_read)
            writes = sum(p.rate for p in patterns if not p.is_read)
            run = SimulationRun(target, candidate.entity, candidate.store, (), entity_rows, entity_rows, reads,
                                writes, placement, [], assumed=stats.assumed,
                                weight=entity_rows * (stats.avg_row_bytes or 1.0) * (1.0 + reads + writes),
                                tenant=tenant_of(candidate.entity))
            runs[(candidate.entity, candidate.store)] = run
        if candidate.simulate_key not in run.keys:
            run.keys += (candidate.simulate_key,)
        run.candidates.append(candidate)
    return list(runs.values())


def assign_rows(runs: list[SimulationRun], max_rows: int, budget: int, max_runs: int = 0) -> None:
    """Choose what is simulated, deterministically, so every figure can be reproduced by hand.

    Only the `max_runs` heaviest runs (data volume x traffic; 0: all) are simulated; the others keep their
    command and say why they were skipped. Each simulated run gets at most `max_rows` rows (0: no cap) and an
    even share of `budget` rows (0: no budget), never below MIN_SAMPLE_ROWS; a sampled run says so
    (`sampled`) and its command carries the same `--rows`.
    """
    if max_runs and len(runs) > max_runs:
        order = sorted(range(len(runs)), key=lambda i: -runs[i].weight)
        for i in order[max_runs:]:
            runs[i].skipped = (f"not simulated: only the {max_runs} heaviest runs (rows x row size x rate) are; "
                               "run the command to simulate it")
    chosen = [run for run in runs if run.skipped is None]
    share = max(MIN_SAMPLE_ROWS, budget // len(chosen)) if budget and chosen else 0
    for run in runs:
        caps = [cap for cap in (max_rows, share) if cap]
        run.rows = min([run.entity_rows, *caps])


def simulation_document(runs: Iterable[SimulationRun], schema: Schema, workload: Workload,
                        view: StatsView) -> dict[str, Any]:
    """The workload document (the simulator's subset of the format) every run reads."""
    entities: dict[str, Any] = {}
    attributes: dict[str, dict[str, Any]] = {}
    patterns: list[dict[str, Any]] = []
    seen: set[str] = set()
    for run in runs:
        if run.entity in seen:
            continue
        seen.add(run.entity)
        stats = view.entity(run.entity)
        row_bytes = max(1, int(math.ceil(stats.avg_row_bytes or 1)))
        entities[run.entity] = {"rows": run.entity_rows, "avg_row_bytes": row_bytes}
        names = {f for c in (c for r in runs if r.entity == run.entity for c in r.candidates) for f in c.fields}
        for pattern in workload.access_patterns:
            if pattern.entity == run.entity:
                own = _own_fields(pattern, run.entity)
                names.update(own)
                if own:
                    patterns.append({"id": pattern.id, "entity": run.entity, "equality": own})
        known = {a.name for a in schema.entity(run.entity).attributes}
        attributes[run.entity] = {name: _attribute(view, run.entity, name) for name in sorted(names) if name in known}
    return {"version": 1, "statistics": {"entities": entities, "attributes": attributes},
            "access_patterns": patterns}


def _attribute(view: StatsView, entity: str, name: str) -> dict[str, Any]:
    stats = view.attribute(entity, name)
    out: dict[str, Any] = {"distinct": int(stats.distinct) if stats.distinct else None}
    if stats.most_common:
        out["most_common"] = [[value, float(freq)] for value, freq in stats.most_common]
    return out


def run_simulation(run: SimulationRun, document: dict[str, Any], chunk_rows: int = 4_000_000,
                   progress: Callable[[int], None] | None = None) -> None:
    """Run `run` in-process with the simulate command's defaults; results land on `run`.

    The steps are those of translator/cli/simulate_cmd.py for `--workload`; tests/plan compare the two.
    A simulator error is recorded on the run (the report shows it) rather than ending the plan.
    """
    import numpy as np

    from simulator.data import dataset_from_statistics, parse_key
    from simulator.engine import Traffic, rank, simulate
    from simulator.errors import SimulatorError
    from simulator.stores import StoreConfig, sample_scale, store_model
    from simulator.workload import entity_spec

    try:
        model = store_model(run.store)
        rng = np.random.default_rng(SEED)
        spec = entity_spec(document, run.entity, source=SIMULATION_FILE)
        data = dataset_from_statistics(run.rows, spec.attributes, rng, row_bytes=spec.row_bytes)
        keys = [parse_key(k, list(data.fields), "--key") for k in run.keys]
        option = run.placement[0] if run.placement else None
        count = run.placement[1] if run.placement else None
        shards, nodes = model.placement_counts(count if option == "shards" else None,
                                               count if option == "nodes" else None)
        # As `simulate --workload --rows N` does: fewer rows than the entity's are a sample standing for them.
        config = StoreConfig(shards=shards, nodes=nodes, row_bytes=data.row_bytes,
                             reads_per_second=run.reads_per_second, writes_per_second=run.writes_per_second,
                             row_scale=sample_scale(data.rows, spec.rows))
        traffic = Traffic(run.reads_per_second, run.writes_per_second, None, None, 0.0, 60.0)
        results = simulate(run.store, keys, data, config, SEED, traffic, chunk_rows, progress,
                           spec.patterns or None)
    except SimulatorError as exc:
        run.error = str(exc).splitlines()[0]
        return
    run.results = [r.to_dict() for r in results]
    run.ranking = [r.key for r in rank(results)]
    if run.tenant and data.group == run.tenant and any(k.fields[0] == run.tenant for k in keys):
        from simulator.remedy import remedy_whales

        # Every key, as `simulate --remedy` does; a key not led by the tenant says no remedy applies.
        try:
            run.remedies = [remedy_whales(run.store, key, data, config, SEED, traffic) for key in keys]
        except SimulatorError as exc:
            run.error = f"whale remedies: {str(exc).splitlines()[0]}"
