"""`polyschema apply --to TARGET URI SOURCE...`: create a target's design on a live server.

A target takes part by defining `apply_commands(design)` (the commands, for --dry-run) and
`apply(design, uri)` on its `TARGET`; targets without them are refused with a clear message.
"""

from __future__ import annotations

import json
from typing import Any

import click

from translator.cli.common import (
    CONNECTION_URI,
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
from translator.diagnostics import Severity
from translator.targets import get_target

__all__ = ["command"]


def _build() -> click.Command:
    targets = available_targets("apply", "apply_commands")

    @click.command(name="apply")
    @click.option("--to", "target_name", required=True,
                  help="Target store: " + (", ".join(t.name for t in targets) or "none offers apply yet") + ".")
    @click.argument("uri", type=CONNECTION_URI)
    @source_options
    @click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
                  help="Workload YAML; without it, default patterns are derived and marked assumed.")
    @click.option("--dry-run", is_flag=True, help="Print the commands that would be sent; connect to nothing.")
    @format_option()
    @handle_domain_errors
    def command(target_name, uri, sources, dialect, namespaces, type_overrides, infer_relationships, workload_path,
                dry_run, output_format, **target_options) -> None:
        """Create the design of SOURCE's schema on the server at URI (e.g. mongodb://localhost:27017)."""
        # Any: apply/apply_commands are opt-in capabilities of a target, checked by offers() just below.
        target: Any = get_target(target_name)
        if not offers(target, "apply", "apply_commands"):
            offered = ", ".join(t.name for t in targets) or "none"
            raise UsageProblem(f"--to {target.name} has no apply step; targets with one: {offered}")
        options = resolve_target_options(target, target_options)
        args = source_args(sources, dialect, namespaces, type_overrides, infer_relationships)
        schema, _, design = design_from_sources(target, args, workload_path, options)
        errors = [d for d in (*schema.diagnostics, *design.diagnostics) if d.severity is Severity.ERROR]
        if errors:
            for d in errors:
                click.echo(f"polyschema: {d}", err=True)
            click.echo("polyschema: the design has error diagnostics; nothing was applied", err=True)
            raise SystemExit(EXIT_FINDINGS)
        if dry_run:
            commands = target.apply_commands(design)
            if output_format == "json":
                emit_json(commands)
            else:
                for step in commands:
                    click.echo(f"// {step['description']}")
                    click.echo(("admin " if step.get("admin") else "") + json.dumps(step["command"], default=str))
            raise SystemExit(EXIT_OK)
        log = target.apply(design, uri)
        if output_format == "json":
            emit_json({"applied": log})
        else:
            for line in log:
                click.echo(f"done: {line}")
        raise SystemExit(EXIT_OK)

    return add_target_options(command, targets)


command = _build()
