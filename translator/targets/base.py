"""What every target provides: options as data, a design step, renderers per output format, and the
plain-data summaries `plan` reads (key candidates, pattern serving, sizes against limits).

`Target.design()` checks its arguments once, for every target, then calls the subclass's `build()`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from translator.diagnostics import Diagnostic
from translator.errors import DesignError, PolyschemaError
from translator.ir import Schema
from translator.targets.record import KeyCandidate, PatternServing, SizeCheck
from translator.tenancy import Tenancy, resolve_tenancy
from translator.workload.model import Workload

__all__ = ["TargetOption", "Design", "Target"]


@dataclass(frozen=True, slots=True)
class TargetOption:
    """A target-specific option of `polyschema translate` (e.g. --keyspace). Plain data: no click here."""

    name: str  # the keyword argument of `Target.design`, e.g. "keyspace"; the CLI flag is derived from it
    help: str
    default: Any = None
    choices: tuple[str, ...] | None = None
    is_flag: bool = False


class Design(Protocol):
    """A target's result. `to_dict()` is the stable `--format json` form (see targets/record.envelope)."""

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]: ...

    def to_dict(self) -> dict[str, Any]: ...


class Target:
    """Base class: subclasses set the class attributes and implement `build`, `render_<format>` and the
    three summaries."""

    name: ClassVar[str]
    #: Output formats beyond `human` and `json`, e.g. ("mongosh",). `render_<format>` must exist for each.
    formats: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[TargetOption, ...]] = ()
    #: (file name, format) of the script that applies a design, as `plan` writes it beside its report.
    artifact: ClassVar[tuple[str, str] | None] = None

    def design(self, schema: Schema, workload: Workload, **options: Any) -> Design:
        """Check the inputs once, resolve the tenancy, and delegate to `build`."""
        if not isinstance(schema, Schema):
            raise DesignError(f"schema={type(schema).__name__} is invalid; pass a translator.ir.Schema")
        if not isinstance(workload, Workload):
            raise DesignError(f"workload={type(workload).__name__} is invalid; pass a "
                              "translator.workload.model.Workload")
        if not schema.entities:
            raise DesignError("schema has no entities; there is nothing to design")
        known = {option.name: option for option in self.options}
        for key, value in options.items():
            option = known.get(key)
            if option is None:
                raise DesignError(f"{key}={value!r} is not an option of the {self.name} target; "
                                  f"choose from {', '.join(sorted(known)) or 'none'}")
            if option.choices and value is not None and value not in option.choices:
                raise DesignError(f"{key}={value!r} is invalid; choose one of {', '.join(option.choices)}")
        settled = {o.name: options.get(o.name, o.default) for o in self.options}
        return self.build(schema, workload, resolve_tenancy(schema, workload), **settled)

    def build(self, schema: Schema, workload: Workload, tenancy: Tenancy, **options: Any) -> Design:
        raise NotImplementedError

    # -- the summaries `plan` reads; plain data, the same for every target -------------------------------
    def key_candidates(self, design: Any) -> tuple[KeyCandidate, ...]:
        raise NotImplementedError

    def serving(self, design: Any) -> tuple[PatternServing, ...]:
        raise NotImplementedError

    def size_checks(self, design: Any) -> tuple[SizeCheck, ...]:
        raise NotImplementedError

    # -- rendering --------------------------------------------------------------------------------------
    def render_human(self, design: Any) -> str:
        raise NotImplementedError

    def check_format(self, output_format: str) -> None:
        """Refuse a format this target does not offer, before any design work is spent on it."""
        offered = ("human", "json", *self.formats)
        if output_format not in offered:
            raise PolyschemaError(f"format {output_format!r} is not offered by the {self.name} target; "
                                  f"choose from {', '.join(offered)}")

    def render(self, design: Any, output_format: str) -> str:
        """Dispatch by convention to `render_<format>`; `json` is `to_dict()` serialized."""
        self.check_format(output_format)
        if output_format == "json":
            return json.dumps(design.to_dict(), indent=2, ensure_ascii=False, default=str, allow_nan=False)
        renderer = getattr(self, f"render_{output_format.replace('-', '_')}")
        return str(renderer(design))
