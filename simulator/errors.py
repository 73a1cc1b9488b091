"""The simulator's one error type; the CLI maps it to a one-line message and exit status 2."""

from __future__ import annotations

__all__ = ["SimulatorError"]


class SimulatorError(ValueError):
    """Bad input to the simulator: `str(err)` is one line naming the argument, its value and the fix."""
