"""`polyschema apply --to TARGET URI SOURCE...`: create a target's design on a live server.

A target takes part by defining `apply_commands(design)` (the commands, for --dry-run) and
`apply(design, uri)` on its `TARGET`; targets without them are refused with a clear message.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

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
from translator.diagnostics import Severity
from translator.targets import TARGET_MODULES, get_target

__all__ = ["command"]


def _appliable_targets() -> list[Any]:
    out = []
    for module_name in TARGET_MODULES.values():
        try:
            target = importlib.import_module(module_name).TARGET
        except (ImportError, AttributeError):  # a target still under construction must not break the others
            continue
        if callable(getattr(target, "apply", None)) and callable(getattr(target, "apply_commands", None)):
            out.append(target)
    return out


def _build() -> click.Command:
    targets = _appliable_targets()
    seen: dict[str, Any] = {}
    for target in targets:
        for option in target.options:
            seen.setdefault(option.name, option)

    @click.command(name="apply")
    @click.option("--to", "target_name", required=True,
                  help="Target store: " + (", ".join(t.name for t in targets) or "none offers apply yet") + ".")
    @click.argument("uri")
    @source_options
    @click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
                  help="Workload YAML; without it, default patterns are derived and marked assumed.")
    @click.option("--dry-run", is_flag=True, help="Print the commands that would be sent; connect to nothing.")
    @format_option()
    @handle_domain_errors
    def command(target_name, uri, sources, dialect, namespaces, type_overrides, infer_relationships, workload_path,
                dry_run, output_format, **target_options) -> None:
        """Create the design of SOURCE's schema on the server at URI (e.g. mongodb://localhost:27017)."""
        target = get_target(target_name)
        if not callable(getattr(target, "apply", None)):
            offered = ", ".join(t.name for t in targets) or "none"
            raise UsageProblem(f"--to {target.name} has no apply step; targets with one: {offered}")
        accepted = {o.name: o for o in target.options}
        given = {k: v for k, v in target_options.items() if v not in (None, False)}
        for name in given:
            if name not in accepted:
                raise UsageProblem(f"--{name.replace('_', '-')} does not apply to --to {target.name}")
        options = {name: given.get(name, option.default) for name, option in accepted.items()}

        from translator.workload import load_workload

        schema = load_schema_from_options(sources, dialect, namespaces, type_overrides, infer_relationships)
        workload = load_workload(workload_path, schema)
        design = target.design(schema, workload, **options)
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

    for option in reversed(list(seen.values())):
        flag = "--" + option.name.replace("_", "-")
        kwargs: dict[str, Any] = {"help": option.help, "default": None}
        if option.is_flag:
            kwargs.update(is_flag=True, default=False)
        elif option.choices:
            kwargs["type"] = click.Choice(option.choices, case_sensitive=False)
        command = click.option(flag, option.name, **kwargs)(command)
    return command


command = _build()
