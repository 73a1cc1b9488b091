"""What every target provides: options as data, a design step, and renderers per output format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from translator.diagnostics import Diagnostic
from translator.errors import PolyschemaError
from translator.ir import Schema
from translator.workload.model import Workload

__all__ = ["TargetOption", "Design", "Target"]


@dataclass(frozen=True, slots=True)
class TargetOption:
    """A target-specific option of `polyschema translate` (e.g. --keyspace). Plain data: no click here."""

    name: str  # option name without dashes, e.g. "keyspace"
    help: str
    default: Any = None
    choices: tuple[str, ...] | None = None
    is_flag: bool = False


class Design(Protocol):
    """A target's result. `to_dict()` is the stable `--format json` form."""

    diagnostics: tuple[Diagnostic, ...]

    def to_dict(self) -> dict[str, Any]: ...


class Target:
    """Base class: subclasses set the class attributes and implement `design` and `render_<format>`."""

    name: ClassVar[str]
    #: Output formats beyond `human` and `json`, e.g. ("mongosh",). `render_<format>` must exist for each.
    formats: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[TargetOption, ...]] = ()

    def design(self, schema: Schema, workload: Workload, **options: Any) -> Design:
        raise NotImplementedError

    def render_human(self, design: Design) -> str:
        raise NotImplementedError

    def check_format(self, output_format: str) -> None:
        """Refuse a format this target does not offer, before any design work is spent on it."""
        offered = ("human", "json", *self.formats)
        if output_format not in offered:
            raise PolyschemaError(f"--format {output_format!r} is not offered by --to {self.name}; "
                                  f"choose from {', '.join(offered)}")

    def render(self, design: Design, output_format: str) -> str:
        """Dispatch by convention to `render_<format>`; `json` is `to_dict()` serialized."""
        self.check_format(output_format)
        if output_format == "json":
            import json

            return json.dumps(design.to_dict(), indent=2, ensure_ascii=False, default=str)
        return getattr(self, f"render_{output_format.replace('-', '_')}")(design)
