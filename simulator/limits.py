"""Store limits and alarm thresholds, read once from `simulator/limits.toml` (package data)."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

__all__ = ["limits"]


@functools.cache
def limits() -> dict[str, Any]:
    """The parsed limits file: tables cassandra, dynamodb, mongodb, alarm and grow."""
    text = resources.files("simulator").joinpath("limits.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
