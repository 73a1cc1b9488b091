"""`polyschema plan SOURCE...`: every target's design, its simulated keys, capacity and cost, in one report."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import click

from translator.cli.common import EXIT_OK, UsageProblem, emit_json, format_option, handle_domain_errors, source_options

__all__ = ["command"]


class _Bar:
    """A one-line progress bar on stderr, for a terminal only (the caller decides)."""

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(24 * done / max(total, 1))
        line = f"\r[{'#' * filled}{'.' * (24 - filled)}] {done}/{total} {stage}"[:100]
        self.width = max(self.width, len(line))
        click.echo(line.ljust(self.width), nl=False, err=True)

    def close(self) -> None:
        if self.width:
            click.echo("\r" + " " * self.width + "\r", nl=False, err=True)


def _with_database_statistics(workload: Any, schema: Any, sources: tuple[str, ...], namespaces: tuple[str, ...],
                              exact: bool) -> Any:
    """The workload with statistics measured in the database; the workload file's own figures win."""
    from translator.introspect import gather_statistics
    from translator.workload.model import Statistics

    measured = gather_statistics(sources[0], schema, namespaces=namespaces, exact=exact)
    given = workload.statistics
    merged = Statistics(entities={**measured.entities, **given.entities},
                        relationships={**measured.relationships, **given.relationships},
                        attributes={**measured.attributes, **given.attributes})
    return dataclasses.replace(workload, statistics=merged)


def _cell(value: Any, template: str) -> str:
    return "n/a" if value is None else template.format(value)


def _human(data: dict[str, Any], report: Path) -> None:
    click.echo(f"{'target':<10} {'containers':>10} {'reads spread':>12} {'worst write':>16} {'largest/limit':>13} "
               f"{'key max/mean':>12} {'alarms':>6} {'monthly':>14}")
    for t in data["targets"]:
        s = t["summary"]
        worst = s.get("worst_write")
        largest = s.get("largest") or {}
        skew = s.get("skew") or {}
        cost = _cell(s.get("monthly_cost"), "${:,.0f}") + ("*" if s["assumed"] else "")
        write = f"{str(worst['pattern'])[:10]} x{worst['writes']:g}" if worst else "n/a"
        click.echo(f"{t['target']:<10} {_cell(s['containers'], '{}'):>10} "
                   f"{_cell(s.get('spread_read_share'), '{:.0%}'):>12} {write:>16} "
                   f"{_cell(largest.get('ratio'), '{:.1%}'):>13} {_cell(skew.get('max_over_mean'), '{:.2f}'):>12} "
                   f"{len(s['alarms']):>6} {cost:>14}")
    rec = data["recommendation"]
    click.echo(f"recommended: {rec['target']} (ranking {' > '.join(rec['ranking'])}); * rests on assumed inputs")
    click.echo(f"report: {report}")


@click.command(name="plan")
@source_options
@click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
              help="Workload YAML (access patterns and statistics). Without it, default patterns are derived "
                   "and marked assumed.")
@click.option("--stats", is_flag=True, help="Database URL sources: take the statistics from the database.")
@click.option("--exact", is_flag=True, help="With --stats: exact row counts (COUNT(*)) instead of catalog estimates.")
@click.option("--out", "out", type=click.Path(file_okay=False), default="plan", show_default=True,
              help="Folder for report.html, report.md, plan.json and the apply scripts: new, empty, or an earlier "
                   "report (replaced as a whole).")
@click.option("--pricing", "pricing", type=click.Path(dir_okay=False), default=None,
              help="TOML file replacing mappings/pricing.toml (same shape).")
@click.option("--sim-rows", type=click.IntRange(min=0), default=1_000_000, show_default=True,
              help="Rows simulated per entity at most (a sample of larger entities; 0: every row).")
@click.option("--sim-budget", type=click.IntRange(min=0), default=3_000_000, show_default=True,
              help="Rows simulated over all runs at most, shared evenly (at least 10,000 a run; 0: no budget).")
@click.option("--sim-runs", type=click.IntRange(min=0), default=20, show_default=True,
              help="Simulate the N heaviest (entity, store) runs (rows x row size x rate); the rest are listed "
                   "with their command (0: all).")
@click.option("--sample", "sample", type=float, default=None,
              help="Database URL sources: evaluate the designs' keys on this fraction of each table's real rows "
                   "(read-only, streamed; 1 reads every row) instead of on rows generated from the statistics.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; only the report path.")
@format_option()
@handle_domain_errors
def command(sources, dialect, namespaces, type_overrides, infer_relationships, workload_path, stats, exact, out,
            pricing, sim_rows, sim_budget, sim_runs, sample, quiet, output_format) -> None:
    """Design SOURCE's schema for every target, simulate the keys, estimate capacity and cost, and write a report."""
    from translator.cli.common import load_schema_from_options
    from translator.cli.targeting import source_args
    from translator.plan import build_plan, load_pricing
    from translator.plan.write import write_report
    from translator.sources import is_database_url
    from translator.workload import load_workload

    if exact and not stats:
        raise UsageProblem("--exact needs --stats")
    if stats and not (len(sources) == 1 and is_database_url(sources[0])):
        raise UsageProblem("--stats needs a database URL as SOURCE (DDL files carry no statistics)")
    if sample is not None and not (len(sources) == 1 and is_database_url(sources[0])):
        raise UsageProblem("--sample needs a database URL as SOURCE: it reads the real rows of each table")
    if sample is not None and not 0.0 < sample <= 1.0:
        raise UsageProblem(f"--sample {sample!r}: give a fraction of the rows in (0, 1], e.g. 0.01")
    rules = load_pricing(pricing)  # a bad pricing file fails before any work
    schema = load_schema_from_options(**source_args(sources, dialect, namespaces, type_overrides, infer_relationships))
    workload = load_workload(workload_path, schema)
    if stats:
        workload = _with_database_statistics(workload, schema, sources, namespaces, exact)
    bar = _Bar() if sys.stderr.isatty() and not quiet else None
    try:
        plan = build_plan(schema, workload, rules, sim_rows=sim_rows, sim_budget=sim_budget, sim_runs=sim_runs,
                          progress=bar, data=sources[0] if sample is not None else None, sample=sample)
    finally:
        if bar:
            bar.close()
    report = write_report(plan, out)
    if output_format == "json":
        data = plan.to_dict(str(Path(out) / "simulate.workload.yaml"))
        emit_json({"report": str(report), "files": sorted(p.name for p in Path(out).iterdir()),
                   "summary": [{"target": t["target"], **t["summary"]} for t in data["targets"]],
                   "recommendation": data["recommendation"]})
    elif quiet:
        click.echo(str(report))
    else:
        _human(plan.to_dict(), report)
    raise SystemExit(EXIT_OK)
