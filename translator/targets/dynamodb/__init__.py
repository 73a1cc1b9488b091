"""DynamoDB target: single-table key design with overloaded GSIs, every access pattern a key condition,
rows <-> items, and a verifier that runs the patterns on a DynamoDB-compatible endpoint.

Layers: decide (`design.py`, `keys.py`, `patterns.py`, `limits.py`) -> render (`render.py`) ->
verify (`verify.py`, I/O). See docs/dynamodb.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from translator.ir import Schema
from translator.targets.base import Target, TargetOption
from translator.targets.dynamodb.design import MODES, design_dynamodb
from translator.targets.dynamodb.items import ItemError, items_to_rows, parse_key, render_key, rows_to_items
from translator.targets.dynamodb.model import DynamoDesign
from translator.targets.dynamodb import render as _render
from translator.workload.model import Workload

__all__ = ["TARGET", "DynamoDBTarget", "DynamoDesign", "design_dynamodb", "rows_to_items", "items_to_rows",
           "render_key", "parse_key", "ItemError", "MODES"]


class DynamoDBTarget(Target):
    name: ClassVar[str] = "dynamodb"
    formats: ClassVar[tuple[str, ...]] = ("cloudformation", "aws-cli", "workbench")
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption("mode", "DynamoDB: single-table (one table, item collections, overloaded GSIs) or per-entity.",
                     default="single-table", choices=MODES),
        TargetOption("table_name", "DynamoDB: name of the single table (default: app).", default=None),
    )

    def design(self, schema: Schema, workload: Workload, **options: Any) -> DynamoDesign:
        return design_dynamodb(schema, workload, mode=options.get("mode") or "single-table",
                               table_name=options.get("table_name"))

    def render_human(self, design: DynamoDesign) -> str:  # type: ignore[override]
        return _render.render_human(design)

    def render_cloudformation(self, design: DynamoDesign) -> str:
        return _render.render_cloudformation(design)

    def render_aws_cli(self, design: DynamoDesign) -> str:
        return _render.render_aws_cli(design)

    def render_workbench(self, design: DynamoDesign) -> str:
        return _render.render_workbench(design)

    def verify(self, schema: Schema, workload: Workload, design: DynamoDesign, *, data_url: str | None = None,
               endpoint_url: str | None = None, seed: int = 0, rows_per_entity: int = 12) -> Any:
        """Run every pattern on an endpoint (a local moto server when `endpoint_url` is None) against rows
        read from `data_url` or generated with `seed`; returns a `verify.VerifyReport`."""
        from translator.sample_rows import read_rows, sample_rows
        from translator.targets.dynamodb.verify import dynamodb_client, local_endpoint, verify_design

        rows = read_rows(data_url, schema) if data_url else sample_rows(schema, rows_per_entity, seed=seed)
        if endpoint_url:
            return verify_design(schema, workload, design, rows, dynamodb_client(endpoint_url), endpoint=endpoint_url, seed=seed)
        with local_endpoint() as url:
            return verify_design(schema, workload, design, rows, dynamodb_client(url), endpoint=f"moto ({url})", seed=seed)


TARGET = DynamoDBTarget()
