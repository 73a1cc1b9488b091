"""DDL -> canonical IR: client-script splitting, statement parsing with recovery, IR building, inference.

`ingest_sources` reads files, folders and stdin; `ingest_text` reads one string. Both return a
`translator.ir.Schema` whose diagnostics say what was skipped, recovered or lost (`schema.partial`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from translator.diagnostics import DiagnosticSink, ErrorLevel, Severity
from translator.dialects import check_dialect
from translator.errors import SourceError
from translator.ingest.build import SchemaBuilder
from translator.ingest.files import SourceText, read_sources
from translator.ingest.resolve import freeze
from translator.ingest.script import guess_dialect, split_script
from translator.ingest.stack import on_own_stack
from translator.ingest.statements import read_statements
from translator.ir import Schema
from translator.typemap import TypeMapper

__all__ = ["ingest_sources", "ingest_text", "ingest_source_texts"]

#: a permanent CREATE TABLE at the start of a line (not `#temp` tables, which belong to the routine that runs)
_CREATE_TABLE = re.compile(r"^[ \t]*CREATE[ \t]+(?:OR[ \t]+REPLACE[ \t]+)?TABLE[ \t]+(?!#)", re.I | re.M)
#: skipped statement kinds that still make a file a DDL file (so it is not refused as "no DDL")
_OTHER_DDL = frozenset({"routine", "view", "sequence", "special index", "drop", "comment on another object"})


def ingest_source_texts(
    texts: Sequence[SourceText],
    *,
    dialect: str | None = None,
    type_overrides: str | Path | None = None,
    infer_relationships: bool = False,
    mapper: TypeMapper | None = None,
    error_level: ErrorLevel = ErrorLevel.WARN,
) -> Schema:
    """The IR of already-read sources; each file keeps its own guessed dialect when `dialect` is None.

    Runs on a stack of its own (`stack.on_own_stack`), so how deep a statement may nest does not depend on the caller.
    """
    dialect = check_dialect(dialect)
    mapper = mapper or TypeMapper.load(type_overrides)
    return on_own_stack(lambda: _ingest(texts, dialect, infer_relationships, mapper, error_level))


def _ingest(texts: Sequence[SourceText], dialect: str | None, infer_relationships: bool, mapper: TypeMapper,
            error_level: ErrorLevel) -> Schema:
    sink = DiagnosticSink(error_level=ErrorLevel(error_level))
    builder = SchemaBuilder(mapper, dialect, sink)
    dialects = []
    for source in texts:
        file_dialect = dialect
        if file_dialect is None:
            file_dialect, reason = guess_dialect(source.text, source.folder)
            sink.info("guessed-dialect", f"dialect {file_dialect or 'generic'} guessed {reason}; pass --dialect to choose",
                      file=source.name)
        dialects.append(file_dialect)
        split = split_script(source.text, file_dialect)
        for kind, (count, line) in sorted(split.removed.items()):
            sink.info("client-command", f"{count} client-tool line(s) '{kind}' handled as the {file_dialect or 'generic'} client would "
                      "(not SQL)", file=source.name, line=line, subject=kind)
        seen = len(sink.items)
        statements = read_statements(split.chunks, file_dialect, source.name, sink, builder.views)
        if not statements and not any(d.subject in _OTHER_DDL or d.code == "table-in-skipped-block"
                                      or d.severity is Severity.ERROR for d in sink.items[seen:]):
            raise SourceError(f"{source.name}: no DDL found (no CREATE TABLE, ALTER TABLE, CREATE INDEX or CREATE TYPE); "
                              "pass a schema file")
        builder.file, builder.dialect = source.name, file_dialect
        for statement in statements:
            builder.add(statement)
        if not any(s.kind == "table" for s in statements):
            written = len(_CREATE_TABLE.findall(source.text))
            if written and not any(d.code == "table-in-skipped-block" for d in sink.items[seen:]):
                # Read in the wrong dialect, a file of tables may yield none: that is a loss, not a quiet file.
                sink.error("no-tables", f"no table could be read, though the file has {written} CREATE TABLE line(s); "
                           f"check that it is {file_dialect or 'generic'} SQL (pass --dialect)",
                           file=source.name, lost="every table of this file")
            else:
                # A folder may hold a file of views or functions only: not an error, but worth knowing.
                sink.warning("no-tables", "no CREATE TABLE in this file", file=source.name)
    entities, relationships = freeze(builder, sink)
    entities, policies = builder.row_security.freeze(builder, entities, sink)
    if infer_relationships:
        from translator.ingest.infer import infer_relationships as infer

        relationships = relationships + infer(entities, relationships, sink)
    chosen = dialect or (dialects[0] if len(set(dialects)) == 1 else None)
    return Schema(entities, relationships, tuple(sink.items), chosen, tuple(s.name for s in texts), policies)


def ingest_sources(
    sources: Sequence[str],
    *,
    dialect: str | None = None,
    type_overrides: str | Path | None = None,
    infer_relationships: bool = False,
    error_level: ErrorLevel = ErrorLevel.WARN,
) -> Schema:
    """The IR of DDL files, folders of .sql files (sorted) and `-` (stdin); raises `SourceError` on unreadable input."""
    mapper = TypeMapper.load(type_overrides)
    return ingest_source_texts(read_sources(sources), dialect=dialect, infer_relationships=infer_relationships,
                               mapper=mapper, error_level=error_level)


def ingest_text(text: str, dialect: str | None, name: str = "<string>", *, infer_relationships: bool = False,
                type_overrides: str | Path | None = None) -> Schema:
    """The IR of one DDL string (for library users and tests)."""
    if not isinstance(text, str):
        raise SourceError(f"ingest_text(text=...) needs a str, got {type(text).__name__}; decode bytes first")
    if not text.strip():
        raise SourceError(f"{name}: text is empty; pass DDL (CREATE TABLE ...)")
    return ingest_source_texts([SourceText(name, text.lstrip("\ufeff").replace("\r\n", "\n"), None)], dialect=dialect,
                               type_overrides=type_overrides, infer_relationships=infer_relationships)
