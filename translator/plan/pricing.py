"""The price list and per-node rules `plan` uses: `mappings/pricing.toml`, or a file the caller names.

Every target table must name a `capacity_model` that `translator.plan.capacity` knows and the numbers that
model reads; a file that lacks them is refused here, in one line, before any design work.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from translator.errors import PolyschemaError
from translator.mapdata import load_mapping

__all__ = ["PricingError", "load_pricing", "check_pricing"]


class PricingError(PolyschemaError):
    """A pricing file cannot be read or lacks a figure a capacity model needs."""


def load_pricing(path: str | Path | None = None) -> dict[str, Any]:
    """The pricing rules: `mappings/pricing.toml` when `path` is None, else the TOML file at `path`."""
    if path is None:
        data = load_mapping("pricing.toml")
        where = "mappings/pricing.toml"
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PricingError(f"pricing={where!r} cannot be read ({exc.__class__.__name__}); "
                               "give a readable TOML file shaped like mappings/pricing.toml") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PricingError(f"pricing={where!r} is not valid TOML ({exc}); fix the file") from None
    check_pricing(data, where)
    return data


def check_pricing(data: Any, where: str) -> None:
    """Refuse rules a capacity model cannot use: unknown model, missing or non-positive numbers."""
    from translator.plan.capacity import CAPACITY_MODELS

    if not isinstance(data, dict):
        raise PricingError(f"pricing={where!r} must be a TOML table")
    hours = data.get("meta", {}).get("hours_per_month") if isinstance(data.get("meta"), dict) else None
    if not _positive(hours):
        raise PricingError(f"pricing={where!r}: [meta] hours_per_month must be a positive number, e.g. 730")
    for target, rules in data.items():
        if target == "meta":
            continue
        if not isinstance(rules, dict):
            raise PricingError(f"pricing={where!r}: [{target}] must be a table")
        model = rules.get("capacity_model")
        if model not in CAPACITY_MODELS:
            raise PricingError(f"pricing={where!r}: [{target}] capacity_model={model!r} is unknown; "
                               f"choose one of {', '.join(sorted(CAPACITY_MODELS))}")
        for name in CAPACITY_MODELS[model].needs:
            if not _positive(rules.get(name)):
                raise PricingError(f"pricing={where!r}: [{target}] {name}={rules.get(name)!r} must be a "
                                   "positive number")


def _positive(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and value > 0)
