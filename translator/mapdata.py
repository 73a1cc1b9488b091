"""Locate and read the rule files in `mappings/` (data, not code), wherever the package is installed."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from translator.errors import MappingError

__all__ = ["mapping_path", "load_mapping"]


def mapping_path(filename: str) -> Path:
    # `mappings` is a namespace package: on Python 3.11 importlib.resources cannot open a file through its
    # MultiplexedPath, so walk its portions ourselves.
    import mappings

    for portion in mappings.__path__:
        candidate = Path(portion) / filename
        if candidate.is_file():
            return candidate
    raise MappingError(f"mappings/{filename} not found in {list(mappings.__path__)}; reinstall polyschema")


@cache
def load_mapping(filename: str) -> dict[str, Any]:
    """Parse `mappings/<filename>` (TOML) once per process; a malformed file is a one-line MappingError."""
    path = mapping_path(filename)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: {exc}") from None
