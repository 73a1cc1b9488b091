"""`polyschema translate` (placeholder until its issue lands)."""

import click


@click.command(name="translate")
def command() -> None:
    """Not implemented yet."""
    raise click.ClickException("'translate' is not implemented yet")
