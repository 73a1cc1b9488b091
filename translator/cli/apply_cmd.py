"""`polyschema apply` (placeholder until its issue lands)."""

import click


@click.command(name="apply")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("'apply' is not implemented yet")
