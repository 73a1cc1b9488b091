"""`polyschema verify --to TARGET SOURCE... --workload FILE`: run every access pattern of the design on a
live (or local) target and compare with SQL over the same rows; exit 1 on any mismatch.

A target offers verification by defining `verify(schema, workload, design, data_url=, endpoint_url=, seed=)`
returning a report with `ok`, `results` (each with `id`, `status`, `operation`, `detail`) and `to_dict()`.
"""

from __future__ import annotations

import click

from translator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageProblem,
    emit_json,
    format_option,
    handle_domain_errors,
    load_schema_from_options,
    source_options,
)
from translator.targets import TARGET_MODULES, get_target


@click.command(name="verify")
@source_options
@click.option("--to", "target_name", required=True, help="Target store: " + ", ".join(TARGET_MODULES) + ".")
@click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
              help="Workload YAML whose access patterns are run (default: derived patterns, marked assumed).")
@click.option("--data", "data_url", default=None,
              help="Read the rows from this database (sqlite:///x.db, postgresql://..., mysql://...) instead of generating them.")
@click.option("--endpoint-url", "endpoint_url", default=None,
              help="Endpoint to run against (e.g. http://localhost:8000); default: a local moto server for the run.")
@click.option("--mode", default=None, help="Design option passed to the target (e.g. single-table | per-entity).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated rows and of the sampled parameters.")
@format_option()
@handle_domain_errors
def command(sources, dialect, namespaces, type_overrides, infer_relationships, target_name, workload_path, data_url,
            endpoint_url, mode, seed, output_format) -> None:
    """Prove a design by running its access patterns: pass/fail per pattern, exit 1 on any mismatch."""
    target = get_target(target_name)
    if not callable(getattr(target, "verify", None)):
        raise UsageProblem(f"--to {target.name} has no verifier yet; verify supports: "
                           + ", ".join(n for n in TARGET_MODULES if _has_verify(n)))
    from translator.workload import load_workload

    schema = load_schema_from_options(sources, dialect, namespaces, type_overrides, infer_relationships)
    workload = load_workload(workload_path, schema)
    options = {o.name: o.default for o in target.options}
    if mode is not None:
        if "mode" not in options:
            raise UsageProblem(f"--mode does not apply to --to {target.name}")
        options["mode"] = mode
    design = target.design(schema, workload, **options)
    report = target.verify(schema, workload, design, data_url=data_url, endpoint_url=endpoint_url, seed=seed)
    if output_format == "json":
        emit_json(report.to_dict())
    else:
        for result in report.results:
            click.echo(f"{result.status.upper():<4} {result.id:<8} {result.operation:<18} {result.detail}")
        failed = sum(r.status == "fail" for r in report.results)
        click.echo(f"{'ok' if report.ok else 'FAILED'}: {len(report.results) - failed} of {len(report.results)} "
                   f"patterns without mismatch on {report.endpoint}")
    raise SystemExit(EXIT_OK if report.ok else EXIT_FINDINGS)


def _has_verify(name: str) -> bool:
    try:
        return callable(getattr(get_target(name), "verify", None))
    except Exception:  # a target still under construction must not break the message
        return False
