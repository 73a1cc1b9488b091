"""`polyschema verify` (placeholder until its issue lands)."""

import click


@click.command(name="verify")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("'verify' is not implemented yet")
