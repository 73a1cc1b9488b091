"""`polyschema translate SOURCE... --to TARGET`: a design for the target, in the chosen format."""

from __future__ import annotations

import importlib
from typing import Any

import click

from translator.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageProblem,
    format_option,
    handle_domain_errors,
    load_schema_from_options,
    source_options,
)
from translator.diagnostics import Severity
from translator.targets import TARGET_MODULES, get_target


def _all_targets() -> list[Any]:
    targets = []
    for module_name in TARGET_MODULES.values():
        try:
            targets.append(importlib.import_module(module_name).TARGET)
        except (ImportError, AttributeError):  # a target under construction must not break the others
            continue
    return targets


def _target_option_decorators() -> tuple[list, list[str]]:
    """One click option per distinct target option, so each target's options stay data in its module."""
    seen: dict[str, Any] = {}
    formats: list[str] = []
    for target in _all_targets():
        formats.extend(target.formats)
        for option in target.options:
            seen.setdefault(option.name, option)
    decorators = []
    for option in seen.values():
        flag = "--" + option.name.replace("_", "-")
        kwargs: dict[str, Any] = {"help": option.help, "default": None}
        if option.is_flag:
            kwargs.update(is_flag=True, default=False)
        elif option.choices:
            kwargs["type"] = click.Choice(option.choices, case_sensitive=False)
        decorators.append(click.option(flag, option.name, **kwargs))
    return decorators, formats


def _build() -> click.Command:
    option_decorators, formats = _target_option_decorators()

    @click.command(name="translate")
    @source_options
    @click.option("--to", "target_name", required=True, help="Target store: " + ", ".join(TARGET_MODULES) + ".")
    @click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
                  help="Workload YAML (access patterns and statistics). Without it, default patterns are derived and marked assumed.")
    @format_option(*formats)
    @handle_domain_errors
    def command(sources, dialect, namespaces, type_overrides, infer_relationships, target_name, workload_path,
                output_format, **target_options) -> None:
        """Design SOURCE's schema for a NoSQL target, explaining each decision."""
        target = get_target(target_name)
        if output_format not in ("human", "json", *target.formats):
            offered = ", ".join(("human", "json", *target.formats))
            raise UsageProblem(f"--format {output_format} is not offered by --to {target.name}; choose from {offered}")
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
        click.echo(target.render(design, output_format))
        errors = any(d.severity is Severity.ERROR for d in (*schema.diagnostics, *design.diagnostics))
        raise SystemExit(EXIT_FINDINGS if errors else EXIT_OK)

    for decorator in reversed(option_decorators):
        command = decorator(command)
    return command


command = _build()
