"""Shared helpers for the corpus tests: ingest each corpus file once per session, compare with engine truth."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from tests.conftest import CORPUS, corpus_files
from translator.ingest import ingest_sources
from translator.ingest.script import split_script
from translator.ir import Schema

CORPUS_FILES = corpus_files()


def corpus_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@cache
def ingested(path: Path) -> Schema:
    return ingest_sources([str(path)])


def truth_for(path: Path) -> dict | None:
    truth = CORPUS / "truth" / path.parent.name / f"{path.stem}.json"
    return json.loads(truth.read_text(encoding="utf-8")) if truth.is_file() else None


def fold_names(names) -> list[str]:
    return [n.casefold() for n in names]


def ir_tables(schema: Schema) -> dict[str, dict]:
    """The IR in the truth files' shape, names folded."""
    out = {}
    for entity in schema.entities:
        fks = sorted(
            (tuple(fold_names(r.from_attributes)), schema.entity(r.to_entity).name.casefold(), tuple(fold_names(r.to_attributes)))
            for r in schema.relationships_from(entity.key)
        )
        out[entity.name.casefold()] = {
            "columns": fold_names(entity.attribute_names),
            "primary_key": fold_names(entity.primary_key),
            "foreign_keys": fks,
        }
    return out


def truth_tables(truth: dict) -> dict[str, dict]:
    out = {}
    for name, table in truth["tables"].items():
        fks = sorted({(tuple(fold_names(c)), t.casefold(), tuple(fold_names(rc))) for c, t, rc in table["foreign_keys"]})
        out[name.casefold()] = {"columns": fold_names(table["columns"]), "primary_key": fold_names(table["primary_key"]),
                                "foreign_keys": fks}
    return out


_CREATE_TABLE = re.compile(r"^\s*CREATE\s+((GLOBAL|LOCAL)\s+)?((TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?"
                           r"(?P<name>(?:(?:\"[^\"]+\"|\[[^\]]+\]|`[^`]+`|[\w$]+)\.)*(?:\"[^\"]+\"|\[[^\]]+\]|`[^`]+`|[\w$]+))", re.I | re.M)
_LAST_PART = re.compile(r"(\"[^\"]+\"|\[[^\]]+\]|`[^`]+`|[\w$]+)$")


def create_table_names(path: Path, dialect: str | None) -> list[str]:
    """Names in every CREATE TABLE of the client-split text (comments and client commands removed).

    Client-side blocks (procedure and trigger bodies) are left out: a temporary table a routine creates
    when it runs is not part of the schema.
    """
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    split = split_script(text, dialect)
    names = []
    for chunk in split.chunks:
        if chunk.block:
            continue
        code = re.sub(r"/\*.*?\*/", " ", chunk.text, flags=re.S)
        code = re.sub(r"(\$\w*\$).*?\1", " ", code, flags=re.S)  # PostgreSQL function bodies
        code = re.sub(r"--[^\n]*", " ", code)
        names.extend(_LAST_PART.search(m["name"]).group(1).strip('[]"`').casefold() for m in _CREATE_TABLE.finditer(code))
    return names
