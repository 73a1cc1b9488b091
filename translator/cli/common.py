"""What every command shares: exit codes, error mapping at the edge, the SOURCE and --format options."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

__all__ = [
    "EXIT_OK",
    "EXIT_FINDINGS",
    "EXIT_USAGE",
    "UsageProblem",
    "optional_source_options",
    "in_flag_terms",
    "format_option",
    "emit_json",
    "handle_domain_errors",
    "source_options",
    "load_schema_from_options",
    "ConnectionUri",
    "CONNECTION_URI",
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


def in_flag_terms(message: str) -> str:
    """The library names arguments (`keyspace='x' is invalid`); at the CLI edge, say the flag instead.

    The flags come from the running command's own parameters, so every option a command declares is
    covered, with no table to keep in step.
    """
    context = click.get_current_context(silent=True)
    if context is None:
        return message
    for param in context.command.params:
        if isinstance(param, click.Option) and param.name and message.startswith(f"{param.name}="):
            flag = max(param.opts, key=len)
            return f"{flag} {message[len(param.name) + 1:]}"
    return message


def handle_domain_errors(func: Callable) -> Callable:
    """Map the library's domain errors to `UsageProblem` at the CLI edge."""
    from translator.errors import PolyschemaError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PolyschemaError as exc:
            raise UsageProblem(in_flag_terms(str(exc))) from None
        except BrokenPipeError:  # `polyschema ... | head` must not print a traceback
            sys.stderr.close()
            raise SystemExit(EXIT_OK) from None

    return wrapper


def _source_options(func: Callable, *, required: bool) -> Callable:
    decorators = [
        click.argument("sources", nargs=-1, required=required, metavar="SOURCE..." if required else "[SOURCE]..."),
        click.option("--dialect", "-d", default=None,
                     help="SQL dialect of DDL sources (postgres, mysql, tsql, oracle, sqlite, ...); guessed from the "
                          "folder name or content when omitted."),
        click.option("--schema", "namespaces", multiple=True,
                     help="Database URL sources: schema (namespace) to read; repeatable. Default: the connection's "
                          "search path / database."),
        click.option("--types", "type_overrides", type=click.Path(dir_okay=False), default=None,
                     help="TOML file whose rules override mappings/types.toml."),
        click.option("--infer-relationships", is_flag=True, default=False,
                     help="Propose relationships from names and types where no foreign key exists (flagged inferred)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def source_options(func: Callable) -> Callable:
    """SOURCE... plus --dialect, --schema, --types and --infer-relationships, the same on every command."""
    return _source_options(func, required=True)


def optional_source_options(func: Callable) -> Callable:
    """`source_options` for a command that can also run without a schema (`simulate` on generated tenants)."""
    return _source_options(func, required=False)


def load_schema_from_options(sources: tuple[str, ...], dialect: str | None, namespaces: tuple[str, ...],
                             type_overrides: str | None, infer_relationships: bool):
    """Call `translator.sources.load_schema` with the options `source_options` added."""
    from translator.sources import load_schema

    return load_schema(
        sources, dialect=dialect, namespaces=namespaces, type_overrides=type_overrides,
        infer_relationships=infer_relationships,
    )


class ConnectionUri(click.ParamType):
    """A server URI argument (`apply`'s `mongodb://...`): its shape is checked before anything connects, and
    every complaint is one line that shows the URI with its password masked (exit 2)."""

    name = "uri"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from urllib.parse import parse_qsl, urlsplit

        from translator.introspect.url import mask_url

        text = str(value)
        shown = mask_url(text)
        if "://" not in text:
            raise UsageProblem(f"URI {shown!r} is not a connection URI; write scheme://host:port/, e.g. mongodb://localhost:27017/")
        try:
            parts = urlsplit(text)
            if "," not in parts.netloc:  # a host list (mongodb://a:1,b:2/) has no single port to check
                parts.port  # noqa: B018 - raises ValueError on a port that is not a number 0-65535
        except ValueError as exc:
            raise UsageProblem(f"URI {shown!r} is malformed ({mask_url(' '.join(str(exc).split()))}); write "
                               "scheme://user@host:port/, with an IPv6 host in brackets: [::1]") from None
        if not parts.netloc.rpartition("@")[2]:
            raise UsageProblem(f"URI {shown!r} names no host; write e.g. mongodb://localhost:27017/")
        names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise UsageProblem(
                f"URI {shown!r}: option {twice[0]!r} is given {names.count(twice[0])} times; give it once"
            )
        return text


CONNECTION_URI = ConnectionUri()
