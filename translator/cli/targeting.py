"""What the commands that design for a target share: the targets' own options as click options, and
the SOURCE -> schema -> workload -> design pipeline."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

from translator.cli.common import UsageProblem, load_schema_from_options
from translator.errors import PolyschemaError
from translator.targets import TARGET_MODULES

__all__ = [
    "offers", "available_targets", "add_target_options", "resolve_target_options", "design_from_sources", "source_args",
]


def offers(target: Any, *capabilities: str) -> bool:
    """Whether `target` has all the named callables (e.g. "apply", "verify"): how a target opts in to a command."""
    return all(callable(getattr(target, name, None)) for name in capabilities)


def available_targets(*capabilities: str) -> list[Any]:
    """Every registered target that `offers` all the named capabilities."""
    targets = (importlib.import_module(module_name).TARGET for module_name in TARGET_MODULES.values())
    return [target for target in targets if offers(target, *capabilities)]


def add_target_options(command: click.Command, targets: Sequence[Any]) -> click.Command:
    """One click option per distinct target option, so each target's options stay data in its module."""
    seen: dict[str, Any] = {}
    for target in targets:
        for option in target.options:
            seen.setdefault(option.name, option)
    for option in reversed(list(seen.values())):
        kwargs: dict[str, Any] = {"help": option.help, "default": None}
        if option.is_flag:
            kwargs.update(is_flag=True, default=False)
        elif option.choices:
            kwargs["type"] = click.Choice(option.choices, case_sensitive=False)
        command = click.option("--" + option.name.replace("_", "-"), option.name, **kwargs)(command)
    return command


def resolve_target_options(target: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The target's options with the user's values; an option of another target is refused."""
    accepted = {o.name: o for o in target.options}
    chosen = {k: v for k, v in given.items() if v not in (None, False)}
    for name in chosen:
        if name not in accepted:
            raise UsageProblem(f"--{name.replace('_', '-')} does not apply to --to {target.name}")
    return {name: chosen.get(name, option.default) for name, option in accepted.items()}


def design_from_sources(target: Any, source_args: dict[str, Any], workload_path: str | None,
                        options: dict[str, Any]) -> tuple[Any, Any, Any]:
    """SOURCE -> schema, workload -> the target's design; returns (schema, workload, design)."""
    from translator.workload import load_workload

    schema = load_schema_from_options(**source_args)
    workload = load_workload(workload_path, schema)
    try:
        return schema, workload, target.design(schema, workload, **options)
    except PolyschemaError as exc:
        raise _as_flag(exc, target) from None


def _as_flag(exc: Exception, target: Any) -> Exception:
    """The library names its arguments (`keyspace='x y' is invalid`); on the command line they are flags."""
    message = str(exc)
    for option in target.options:
        if message.startswith(f"{option.name}="):
            return UsageProblem(f"--{option.name.replace('_', '-')} " + message[len(option.name) + 1:])
    return exc


def source_args(sources: tuple[str, ...], dialect: str | None, namespaces: tuple[str, ...],
                type_overrides: str | None, infer_relationships: bool) -> dict[str, Any]:
    """The values `source_options` adds, as the keyword arguments of `load_schema_from_options`."""
    return {"sources": sources, "dialect": dialect, "namespaces": namespaces, "type_overrides": type_overrides,
            "infer_relationships": infer_relationships}


