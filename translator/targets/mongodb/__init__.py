"""MongoDB target: document design with explained embed / reference decisions.

    from translator.targets.mongodb import TARGET, rows_to_documents, documents_to_rows
    design = TARGET.design(schema, workload)            # decisions, collections, indexes, shard keys
    TARGET.key_candidates(design), TARGET.serving(design), TARGET.size_checks(design)   # what `plan` reads
    docs = rows_to_documents(design, {"customers": [...], "addresses": [...]})
    rows = documents_to_rows(design, docs)              # the inverse; exact except BSON's ms dates

Layers: decide.py (rules) -> layout.py (document shapes) -> sizing.py / validator.py / indexes.py /
shard.py / patterns.py -> model.py (the record) -> render.py (human, mongosh) -> apply.py (pymongo).
"""

from __future__ import annotations

from typing import Any, ClassVar

from translator.ir import Schema
from translator.targets.base import Target, TargetOption
from translator.targets.mongodb.codecs import check_codecs
from translator.targets.mongodb.design import build_design
from translator.targets.mongodb.documents import DocumentMappingError, documents_to_rows, rows_to_documents
from translator.targets.mongodb.mapping import UUID_REPRESENTATIONS, load_rules
from translator.targets.mongodb.model import MongoDesign
from translator.targets.mongodb.summaries import key_candidates, serving, size_checks
from translator.targets.mongodb.validator import check_document, document_errors
from translator.targets.record import KeyCandidate, PatternServing, SizeCheck
from translator.tenancy import Tenancy
from translator.workload.model import Workload

__all__ = [
    "TARGET",
    "MongoDBTarget",
    "MongoDesign",
    "rows_to_documents",
    "documents_to_rows",
    "DocumentMappingError",
    "check_document",
    "document_errors",
]

# A codec named in mappings/mongodb.toml that does not exist must fail at import, not mid-migration.
_MAPPING = load_rules()
check_codecs(
    [r.codec for r in (*_MAPPING.types.values(), *_MAPPING.uuid_representations.values(), _MAPPING.wide_decimal)]
)


class MongoDBTarget(Target):
    name: ClassVar[str] = "mongodb"
    formats: ClassVar[tuple[str, ...]] = ("mongosh",)
    artifact: ClassVar[tuple[str, str] | None] = ("mongodb.js", "mongosh")
    options: ClassVar[tuple[TargetOption, ...]] = (
        TargetOption(
            "uuid_representation",
            "MongoDB: store uuid columns as BSON binData subtype 4 (default) or as 36-character strings.",
            default="binData",
            choices=UUID_REPRESENTATIONS,
        ),
        TargetOption(
            "shard_collections",
            "MongoDB: make the mongosh script / apply also shard every collection on its first shard key candidate.",
            default=False,
            is_flag=True,
        ),
        TargetOption("database", "MongoDB: database name used by the mongosh script and apply.", default="polyschema"),
    )

    def build(self, schema: Schema, workload: Workload, tenancy: Tenancy, **options: Any) -> MongoDesign:
        return build_design(schema, workload, tenancy, **options)

    def key_candidates(self, design: MongoDesign) -> tuple[KeyCandidate, ...]:
        return key_candidates(design)

    def serving(self, design: MongoDesign) -> tuple[PatternServing, ...]:
        return serving(design)

    def size_checks(self, design: MongoDesign) -> tuple[SizeCheck, ...]:
        return size_checks(design)

    def render_human(self, design: MongoDesign) -> str:
        from translator.targets.mongodb.render import render_human

        return render_human(design)

    def render_mongosh(self, design: MongoDesign) -> str:
        from translator.targets.mongodb.render import render_mongosh

        return render_mongosh(design)

    def apply_commands(self, design: MongoDesign) -> list[dict[str, Any]]:
        """The commands `apply` sends, in order, as MongoDB command documents (what --dry-run prints)."""
        from translator.targets.mongodb.apply import plan_commands

        return plan_commands(design)

    def apply(self, design: MongoDesign, uri: str, *, client: Any = None) -> list[str]:
        """Create the collections, validators and indexes (and shard) on the server at `uri`; returns a log."""
        from translator.targets.mongodb.apply import apply_design

        return apply_design(design, uri, client=client)


TARGET = MongoDBTarget()
