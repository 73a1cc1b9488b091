"""`polyschema simulate` (placeholder until its issue lands)."""

import click


@click.command(name="simulate")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("'simulate' is not implemented yet")
