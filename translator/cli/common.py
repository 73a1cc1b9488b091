"""What every command shares: exit codes, error mapping at the edge, the SOURCE and --format options."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable

import click

__all__ = [
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
    "UsageProblem",
    "format_option",
    "emit_json",
    "handle_domain_errors",
]

#: The run finished and nothing is wrong.
EXIT_OK = 0
#: The run finished, but found something wrong (error-level diagnostics, failed checks).
EXIT_FINDINGS = 1
#: Bad input or bad usage: nothing useful was produced.
EXIT_USAGE = 2


class UsageProblem(click.ClickException):
    """A one-line error about the user's input; exit status 2, no traceback."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"polyschema: error: {self.format_message()}", err=True)


def format_option(*choices: str, default: str = "human") -> Callable:
    """`--format` as a Choice; every producing command offers `human` and `json`."""
    names = tuple(dict.fromkeys(("human", "json") + choices))
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(names, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output form: " + ", ".join(names) + ".",
    )


def emit_json(payload: Any) -> None:
    """Stable JSON: sorted keys would reorder lists of dicts' fields, so keep insertion order; 2-space indent."""
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def handle_domain_errors(func: Callable) -> Callable:
    """Map the library's domain errors to `UsageProblem` at the CLI edge."""
    from translator.errors import PolyschemaError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolyschemaError as exc:
            raise UsageProblem(str(exc)) from None
        except BrokenPipeError:  # `polyschema ... | head` must not print a traceback
            sys.stderr.close()
            raise SystemExit(EXIT_OK)

    return wrapper
