"""A `Workload` back in workload-file form, with paths written so they read back to the same hops."""

from __future__ import annotations

from typing import Any

from translator.ir import Schema
from translator.workload.loader import statistics_to_dict
from translator.workload.model import AccessPattern, AttributeRef, Workload
from translator.workload.paths import path_spec
from translator.workload.validate import require_schema

__all__ = ["workload_to_dict", "pattern_to_dict"]


def _attribute(schema: Schema, pattern: AccessPattern, ref: AttributeRef) -> str:
    if not ref.path:
        return f"{ref.entity}.{ref.attribute}" if ref.entity != pattern.entity else ref.attribute
    return f"{path_spec(schema, ref.path)}.{ref.attribute}"


def pattern_to_dict(pattern: AccessPattern, schema: Schema) -> dict[str, Any]:
    """Like `AccessPattern.to_dict()`, but each step that needs it is qualified by its relationship
    (`users(issues_assignee_fk)`), and each attribute off the pattern's entity is named by its path."""
    out = pattern.to_dict()
    out["with"] = (
        [path_spec(schema, path) if path else end for path, end in zip(pattern.paths, pattern.with_, strict=True)]
        if len(pattern.paths) == len(pattern.with_)
        else list(pattern.with_)
    )
    out["equality"] = [_attribute(schema, pattern, r) for r in pattern.equality]
    out["range"] = [_attribute(schema, pattern, pattern.range)] if pattern.range else []
    out["order_by"] = [f"{_attribute(schema, pattern, t.attribute)} {t.direction}" for t in pattern.order_by]
    return out


def workload_to_dict(workload: Workload, schema: Schema) -> dict[str, Any]:
    """The whole workload as a version-1 file mapping (YAML- and JSON-safe); `parse_workload` reads it back equal."""
    require_schema(schema, "workload_to_dict")
    out: dict[str, Any] = {"version": 1}
    if workload.tenant:
        out["tenant"] = workload.tenant
    out["access_patterns"] = [pattern_to_dict(p, schema) for p in workload.access_patterns]
    out["statistics"] = statistics_to_dict(workload.statistics)
    return out
