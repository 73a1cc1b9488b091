"""Argument checks shared by the simulator's entry points: finite numbers, sane counts, memory budget.

Every check raises `SimulatorError` naming the argument and its value, never a CLI flag.
"""

from __future__ import annotations

import math
import os
from typing import Any

from simulator.errors import SimulatorError

__all__ = ["INT64_MAX", "check_count", "check_number", "check_seed", "available_memory", "require_memory"]

INT64_MAX = 2**63 - 1
#: Share of the available memory one simulation may plan to use (the rest is numpy's temporaries).
_MEMORY_SHARE = 0.5


def check_count(
    argument: str, value: Any, minimum: int = 1, maximum: int = INT64_MAX, example: int | None = None
) -> int:
    """`value` as an int within [minimum, maximum]; anything else (bool, float, huge) is an error."""
    hint = f", e.g. {example}" if example is not None else ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise SimulatorError(f"must be a whole number{hint}", argument, value)
    if value < minimum:
        raise SimulatorError(f"must be at least {minimum}{hint}", argument, value)
    if value > maximum:
        raise SimulatorError(f"must be at most {maximum:,}{hint}", argument, value)
    return value


def check_number(
    argument: str,
    value: Any,
    minimum: float | None = None,
    above: float | None = None,
    maximum: float | None = None,
    example: float | None = None,
) -> float:
    """`value` as a finite float, >= minimum (or > above) and <= maximum; NaN and infinities are errors."""
    hint = f", e.g. {example:g}" if example is not None else ""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise SimulatorError(f"must be a number{hint}", argument, value) from None
    if not math.isfinite(number):
        raise SimulatorError(f"must be a finite number{hint}", argument, value)
    if minimum is not None and number < minimum:
        raise SimulatorError(f"must be >= {minimum:g}{hint}", argument, value)
    if above is not None and number <= above:
        raise SimulatorError(f"must be > {above:g}{hint}", argument, value)
    if maximum is not None and number > maximum:
        raise SimulatorError(f"must be <= {maximum:g}{hint}", argument, value)
    return number


def check_seed(seed: Any) -> int:
    """numpy seeds are non-negative integers; say so instead of numpy's traceback."""
    return check_count("seed", seed, minimum=0, example=0)


def available_memory() -> int:
    """Bytes of memory available now (Linux: MemAvailable), or the physical memory as a fallback."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def require_memory(needed_bytes: float, argument: str, value: Any, budget: int | None = None) -> None:
    """Refuse up front what would need more than half of the memory available (with the estimate).

    `argument` and `value` name what drives the need, e.g. ("tenants", 10**9).
    """
    budget = int(available_memory() * _MEMORY_SHARE) if budget is None else budget
    if needed_bytes > budget:
        raise SimulatorError(
            f"would need about {_human(needed_bytes)} of memory, more than the {_human(budget)} this "
            "machine can spare; use fewer",
            argument,
            value,
        )


def _human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} PiB"
