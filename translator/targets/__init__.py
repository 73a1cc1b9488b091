"""Target registry: a target is found by name, never by an `if target == ...` ladder.

A target module defines `TARGET`, an instance of a `Target` subclass. Adding a target means adding a
line to `TARGET_MODULES` and a package under `translator/targets/`.
"""

from __future__ import annotations

import difflib
import importlib
from typing import TYPE_CHECKING

from translator.errors import PolyschemaError

if TYPE_CHECKING:
    from translator.targets.base import Target

__all__ = ["TARGET_MODULES", "target_names", "get_target"]

TARGET_MODULES: dict[str, str] = {
    "mongodb": "translator.targets.mongodb",
    "cassandra": "translator.targets.cassandra",
    "dynamodb": "translator.targets.dynamodb",
}


def target_names() -> tuple[str, ...]:
    return tuple(TARGET_MODULES)


def get_target(name: str) -> Target:
    module_name = TARGET_MODULES.get(name.lower())
    if module_name is None:
        close = difflib.get_close_matches(name.lower(), TARGET_MODULES, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(TARGET_MODULES)}"
        raise PolyschemaError(f"target={name!r} is not a known target; {hint}")
    return importlib.import_module(module_name).TARGET
