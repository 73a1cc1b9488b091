"""`polyschema translate SOURCE... --to TARGET`: a design for the target, in the chosen format."""

from __future__ import annotations

import click

from translator.cli.common import EXIT_FINDINGS, EXIT_OK, format_option, handle_domain_errors, source_options
from translator.cli.targeting import (
    add_target_options,
    available_targets,
    design_from_sources,
    resolve_target_options,
    source_args,
)
from translator.diagnostics import Severity
from translator.targets import TARGET_MODULES, get_target

__all__ = ["command"]


def _build() -> click.Command:
    targets = available_targets()
    formats = [f for target in targets for f in target.formats]

    @click.command(name="translate")
    @source_options
    @click.option("--to", "target_name", required=True, help="Target store: " + ", ".join(TARGET_MODULES) + ".")
    @click.option("--workload", "workload_path", type=click.Path(dir_okay=False), default=None,
                  help="Workload YAML (access patterns and statistics). Without it, default patterns are derived "
                       "and marked assumed.")
    @format_option(*formats)
    @handle_domain_errors
    def command(sources, dialect, namespaces, type_overrides, infer_relationships, target_name, workload_path,
                output_format, **target_options) -> None:
        """Design SOURCE's schema for a NoSQL target, explaining each decision."""
        target = get_target(target_name)
        target.check_format(output_format)
        options = resolve_target_options(target, target_options)
        args = source_args(sources, dialect, namespaces, type_overrides, infer_relationships)
        schema, _, design = design_from_sources(target, args, workload_path, options)
        click.echo(target.render(design, output_format))
        errors = any(d.severity is Severity.ERROR for d in (*schema.diagnostics, *design.diagnostics))
        raise SystemExit(EXIT_FINDINGS if errors else EXIT_OK)

    return add_target_options(command, targets)


command = _build()
