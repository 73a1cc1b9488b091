"""`polyschema verify --to TARGET SOURCE... --workload FILE`: run every access pattern of the design on a
live (or local) target and compare with SQL over the same rows; exit 1 on any mismatch.

A target offers verification by defining `verify(schema, workload, design, rows, endpoint_url=, seed=)`
returning a report with `ok`, `results` (each with `id`, `status`, `operation`, `detail`) and `to_dict()`.
The rows (per entity key) are read here, from `--data` or generated with the seed, so that no target
reaches introspection (the layering contract in DEVELOPERS-NOTES.md).
"""

from __future__ import annotations

from typing import Any

import click

from translator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageProblem,
    emit_json,
    format_option,
    handle_domain_errors,
    source_options,
)
from translator.cli.targeting import (
    add_target_options,
    available_targets,
    design_from_sources,
    offers,
    resolve_target_options,
    source_args,
)
from translator.targets import get_target

__all__ = ["command"]

_ROWS_PER_ENTITY = 12  # generated rows per entity: enough for several children per parent, quick to load


def _build() -> click.Command:
    targets = available_targets("verify")

    @click.command(name="verify")
    @source_options
    @click.option("--to", "target_name", required=True,
                  help="Target store: " + (", ".join(t.name for t in targets) or "none offers verify yet") + ".")
    @click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
                  help="Workload YAML whose access patterns are run (default: derived patterns, marked assumed).")
    @click.option("--data", "data_url", default=None,
                  help="Read the rows from this database (sqlite:///x.db, postgresql://..., mysql://...) "
                       "instead of generating them.")
    @click.option("--endpoint-url", "endpoint_url", default=None,
                  help="Endpoint to run against (e.g. http://localhost:8000); "
                       "default: a local moto server for the run.")
    @click.option("--seed", type=int, default=0, show_default=True,
                  help="Seed of the generated rows and of the sampled parameters.")
    @format_option()
    @handle_domain_errors
    def command(sources, dialect, namespaces, type_overrides, infer_relationships, target_name, workload_path,
                data_url, endpoint_url, seed, output_format, **target_options) -> None:
        """Prove a design by running its access patterns: pass/fail per pattern, exit 1 on any mismatch."""
        # Any: verify is an opt-in capability of a target, checked by offers() just below.
        target: Any = get_target(target_name)
        if not offers(target, "verify"):
            offered = ", ".join(t.name for t in targets) or "none"
            raise UsageProblem(f"--to {target.name} has no verifier yet; verify supports: {offered}")
        options = resolve_target_options(target, target_options)
        args = source_args(sources, dialect, namespaces, type_overrides, infer_relationships)
        schema, workload, design = design_from_sources(target, args, workload_path, options)
        from translator.sample_rows import read_rows, sample_rows

        rows = read_rows(data_url, schema) if data_url else sample_rows(schema, _ROWS_PER_ENTITY, seed=seed)
        report = target.verify(schema, workload, design, rows, endpoint_url=endpoint_url, seed=seed)
        if output_format == "json":
            emit_json(report.to_dict())
        else:
            for result in report.results:
                click.echo(f"{result.status.upper():<4} {result.id:<8} {result.operation:<18} {result.detail}")
            failed = sum(r.status == "fail" for r in report.results)
            click.echo(f"{'ok' if report.ok else 'FAILED'}: {len(report.results) - failed} of {len(report.results)} "
                       f"patterns without mismatch on {report.endpoint}")
        raise SystemExit(EXIT_OK if report.ok else EXIT_FINDINGS)

    return add_target_options(command, targets)


command = _build()
