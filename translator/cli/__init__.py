"""The `polyschema` command group. One module per command; this file only assembles them."""

from __future__ import annotations

import importlib

import click

__all__ = ["main"]

#: command name -> module in this package that defines a click command called `command`.
COMMAND_MODULES = {
    "inspect": "inspect_cmd",
    "translate": "translate_cmd",
    "apply": "apply_cmd",
    "verify": "verify_cmd",
    "simulate": "simulate_cmd",
    "plan": "plan_cmd",
}


class LazyGroup(click.Group):
    """Imports a command's module only when it runs, so `polyschema inspect` never pays for numba."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(name)
        if module_name is None:
            return None
        module = importlib.import_module(f"{__name__}.{module_name}")
        return module.command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="polyschema")
def main() -> None:
    """Translate relational schemas to MongoDB, Cassandra and DynamoDB designs, and simulate shard keys."""
