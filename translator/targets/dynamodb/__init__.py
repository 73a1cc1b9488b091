"""DynamoDB target: single-table key design with overloaded GSIs, every access pattern a key condition,
rows <-> items, and a verifier that runs the patterns on a DynamoDB-compatible endpoint.

Layers: decide (`design.py`, `keys.py`, `patterns.py`, `limits.py`) -> summarize (`summaries.py`) ->
render (`render.py`, quoting in `quoting.py`) -> verify (`verify.py`, I/O). See docs/dynamodb.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from translator.ir import Schema
from translator.targets import record
from translator.targets.base import Target, TargetOption
from translator.targets.dynamodb import render as _render
from translator.targets.dynamodb import summaries as _summaries
from translator.targets.dynamodb.design import MODES, build_design
from translator.targets.dynamodb.items import (
    ItemError,
    items_to_rows,
    parse_key,
    rows_to_items,
)
from translator.targets.dynamodb.model import DynamoDesign
from translator.tenancy import Tenancy
from translator.workload.model import Workload

__all__ = [
    "MODES",
    "TARGET",
    "DynamoDBTarget",
    "DynamoDesign",
    "ItemError",
    "build_design",
    "items_to_rows",
    "parse_key",
    "rows_to_items",
]


class DynamoDBTarget(Target):
    name: ClassVar[str] = "dynamodb"
    formats: ClassVar[tuple[str, ...]] = ("cloudformation", "aws-cli", "workbench")
    artifact: ClassVar[tuple[str, str] | None] = ("dynamodb.cloudformation.json", "cloudformation")
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption(
            "mode",
            "DynamoDB: single-table (one table, item collections, overloaded GSIs) or per-entity.",
            default="single-table",
            choices=MODES,
        ),
        TargetOption("table_name", "DynamoDB: name of the single table (default: app).", default=None),
    )

    def build(self, schema: Schema, workload: Workload, tenancy: Tenancy, **options: Any) -> DynamoDesign:
        return build_design(
            schema, workload, tenancy, mode=options.get("mode") or "single-table", table_name=options.get("table_name")
        )

    def key_candidates(self, design: DynamoDesign) -> tuple[record.KeyCandidate, ...]:
        return _summaries.key_candidates(design)

    def serving(self, design: DynamoDesign) -> tuple[record.PatternServing, ...]:
        return _summaries.serving(design)

    def size_checks(self, design: DynamoDesign) -> tuple[record.SizeCheck, ...]:
        return _summaries.size_checks(design)

    def render_human(self, design: DynamoDesign) -> str:
        return _render.render_human(design)

    def render_cloudformation(self, design: DynamoDesign) -> str:
        return _render.render_cloudformation(design)

    def render_aws_cli(self, design: DynamoDesign) -> str:
        return _render.render_aws_cli(design)

    def render_workbench(self, design: DynamoDesign) -> str:
        return _render.render_workbench(design)

    def verify(
        self,
        schema: Schema,
        workload: Workload,
        design: DynamoDesign,
        rows: Mapping[str, list[dict[str, Any]]],
        *,
        endpoint_url: str | None = None,
        seed: int = 0,
    ) -> Any:
        """Run every pattern on an endpoint (a local moto server when `endpoint_url` is None) against `rows`
        (per entity key; the caller reads or generates them); returns a `verify.VerifyReport`."""
        from translator.targets.dynamodb.verify import (
            dynamodb_client,
            local_endpoint,
            verify_design,
        )

        if endpoint_url:
            return verify_design(
                schema, workload, design, rows, dynamodb_client(endpoint_url), endpoint=endpoint_url, seed=seed
            )
        with local_endpoint() as url:
            return verify_design(
                schema, workload, design, rows, dynamodb_client(url), endpoint=f"moto ({url})", seed=seed
            )


TARGET = DynamoDBTarget()
