"""`polyschema inspect` (placeholder until its issue lands)."""

import click


@click.command(name="inspect")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("'inspect' is not implemented yet")
