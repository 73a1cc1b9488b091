"""The simulator's one error type; the CLI maps it to a one-line message and exit status 2."""

from __future__ import annotations

from typing import Any

__all__ = ["SimulatorError"]

_NO_VALUE = object()


class SimulatorError(ValueError):
    """Bad input to the simulator: `str(err)` is one line naming the argument, its value and the fix.

    Raised with `argument` (the library's parameter name, e.g. "racks") and `value`, the message reads
    `racks=0: must be at least 1, e.g. 3`; the CLI rewrites it to name its own option instead
    (`--racks 0: ...`), from `argument`, `value` and `problem`. The library never names a CLI flag.
    """

    def __init__(self, problem: str, argument: str | None = None, value: Any = _NO_VALUE) -> None:
        self.problem = problem
        self.argument = argument
        self.value = None if value is _NO_VALUE else value
        self.has_value = value is not _NO_VALUE
        if argument is None:
            text = problem
        elif self.has_value:
            text = f"{argument}={value!r}: {problem}"
        else:
            text = f"{argument}: {problem}"
        super().__init__(text)
