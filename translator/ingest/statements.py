"""Statements of one file: tokenize each chunk once, cut at `;`, parse only the DDL we use, recover the rest.

Every statement is classified from its first keywords. Statements the IR does not need (functions, views,
grants, data, session settings) are never parsed: they get an info diagnostic. DDL that sqlglot refuses,
or turns into an opaque `exp.Command`, is retried without the clauses that break it (`recovery.RULES`),
then column by column; what still fails is an error diagnostic, so a table is never lost silently.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeGuard

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from translator.diagnostics import DiagnosticSink, excerpt
from translator.ingest.policies import is_row_security_statement
from translator.ingest.recovery import apply_rules
from translator.ingest.script import Chunk
from translator.ingest.stack import MAX_NESTING

__all__ = ["Statement", "read_statements", "classify"]

#: (kind, pattern on the first keywords): kinds the IR is built from. Everything else is skipped.
DDL_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("table", re.compile(r"^CREATE (OR REPLACE )?((GLOBAL|LOCAL) )?((TEMP|TEMPORARY|UNLOGGED) )?TABLE\b")),
    ("alter", re.compile(r"^ALTER TABLE\b")),
    ("index", re.compile(r"^CREATE (UNIQUE )?((CLUSTERED|NONCLUSTERED|BITMAP) )?INDEX\b")),
    ("type", re.compile(r"^CREATE (TYPE|DOMAIN)\b")),
    ("comment", re.compile(r"^COMMENT ON (TABLE|COLUMN)\b")),
)
#: routines whose whole batch is their body in an OPTIONAL_SEMICOLONS dialect (so `;` inside must not split it)
ROUTINE = re.compile(r"^(CREATE|ALTER|CREATE OR ALTER) (PROCEDURE|PROC|FUNCTION|TRIGGER|VIEW)\b")
#: the names used in "skipped" diagnostics, first match wins
SKIP_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "routine",
        re.compile(
            r"^(CREATE|ALTER)( OR (REPLACE|ALTER))?( (DEFINER|EDITIONABLE)\S*)? "
            r"(PROCEDURE|PROC|FUNCTION|TRIGGER|PACKAGE|AGGREGATE|EVENT)\b"
        ),
    ),
    ("view", re.compile(r"^CREATE( OR REPLACE)?( (MATERIALIZED|RECURSIVE|FORCE))? VIEW\b")),
    ("sequence", re.compile(r"^(CREATE|ALTER|DROP) SEQUENCE\b")),
    ("grant", re.compile(r"^(GRANT|REVOKE)\b")),
    ("special index", re.compile(r"^CREATE (FULLTEXT|SPATIAL|XML|PRIMARY XML|COLUMNSTORE|NONCLUSTERED COLUMNSTORE) ")),
    ("comment on another object", re.compile(r"^COMMENT ON\b")),
    ("data", re.compile(r"^(INSERT|UPDATE|DELETE|MERGE|COPY|TRUNCATE|REPLACE|LOAD|BULK)\b")),
    ("drop", re.compile(r"^DROP\b")),
    (
        "session",
        re.compile(
            r"^(SET|USE|BEGIN|COMMIT|ROLLBACK|START|SELECT|EXEC|EXECUTE|PRINT|DECLARE|IF|CONNECT|PRAGMA|LOCK|UNLOCK|FLUSH|ANALYZE|VACUUM|CALL)\b"
        ),
    ),
)
DDL_KIND_NAMES = frozenset(kind for kind, _ in DDL_KINDS)


@dataclass(frozen=True, slots=True)
class Statement:
    """One DDL statement the IR is built from."""

    kind: str
    expression: exp.Expr
    line: int
    text: str
    #: the text sqlglot parsed and the offset of its first character in the positions sqlglot recorded
    #: (identifier `meta`), so the builder can quote a column's type exactly as written; None when unknown
    parsed: str | None = None
    offset: int = 0


def classify(head: str) -> str:
    """The kind of a statement from its first keywords (upper case, single-spaced)."""
    for kind, pattern in DDL_KINDS:
        if pattern.match(head):
            return kind
    for label, pattern in SKIP_LABELS:
        if pattern.match(head):
            return label
    return "other"


class _QuietCommandFallback(logging.Filter):
    """sqlglot logs a warning per Command fallback; ingest reports those itself as diagnostics."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    logger = logging.getLogger("sqlglot")
    quiet = _QuietCommandFallback()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _head(tokens: list[Token]) -> str:
    words = []
    for token in tokens[:8]:
        if token.token_type in (TokenType.L_PAREN, TokenType.STRING):
            break
        words.append(token.text.upper())
    return " ".join(words)


#: statement starts that end the previous statement in dialects where `;` is optional (T-SQL batches)
_STARTERS = {"CREATE", "ALTER", "DROP"}
_STARTER_OBJECTS = {
    "TABLE",
    "INDEX",
    "UNIQUE",
    "CLUSTERED",
    "NONCLUSTERED",
    "VIEW",
    "PROCEDURE",
    "PROC",
    "FUNCTION",
    "TRIGGER",
    "TYPE",
    "SCHEMA",
    "SYNONYM",
    "FULLTEXT",
    "STATISTICS",
    "DEFAULT",
    "RULE",
}


def _split_tokens(tokens: list[Token], optional_semicolons: bool = False) -> Iterator[list[Token]]:
    current: list[Token] = []
    depth = 0
    for position, token in enumerate(tokens):
        kind = token.token_type
        if kind is TokenType.SEMICOLON:
            if current:
                yield current
            current, depth = [], 0
            continue
        if optional_semicolons and depth == 0:
            word = token.text.upper()
            following = tokens[position + 1].text.upper() if position + 1 < len(tokens) else ""
            if word == "END" or (word == "BEGIN" and following in _STARTERS):
                # `IF ... BEGIN CREATE TABLE ... END`: the block words wrap statements, they are not part of them.
                if current:
                    yield current
                current = []
                continue
            if current and word in _STARTERS and following in _STARTER_OBJECTS and current[-1].text.upper() != "OR":
                yield current
                current = []
        depth += (kind is TokenType.L_PAREN) - (kind is TokenType.R_PAREN)
        current.append(token)
    if current:
        yield current


#: a permanent table created inside a client block (temporary tables belong to the routine that runs)
_HIDDEN_TABLE = re.compile(r"^[ \t]*CREATE\s+TABLE\b(?!\s*#)", re.I | re.M)
#: dialects whose statements need no `;` inside a batch; there a routine's body runs to the end of its batch
OPTIONAL_SEMICOLONS = frozenset({"tsql"})
#: ALTER TABLE text that may change what the IR holds; any other ALTER (OWNER TO, NOCHECK, ATTACH ...) is noise
_ALTER_MATTERS = re.compile(r"\b(ADD|ALTER\s+COLUMN|MODIFY|CHANGE|RENAME)\b", re.I)
#: ALTER COLUMN actions that change storage or planner settings, nothing the model holds (PostgreSQL)
_ALTER_NO_MODEL_CHANGE = re.compile(
    r"\bALTER\s+(COLUMN\s+)?(\"[^\"]*\"|\S+)\s+(SET\s+(STATISTICS|STORAGE|COMPRESSION)\b|(SET|RESET)\s*\()", re.I
)
#: statement kinds a garbled first word may stand for, and the words that make it look like a table or index
_DDL_VERBS = ("CREATE", "ALTER")
_DDL_OBJECTS = frozenset({"TABLE", "INDEX", "UNIQUE"})
#: `CREATE TYPE x FROM base` (T-SQL alias type) and `CREATE DOMAIN x AS base` (PostgreSQL)
_ALIAS_TYPE = re.compile(
    r"^\s*CREATE\s+(?:TYPE|DOMAIN)\s+(?P<name>[\w.\[\]\"`]+)\s+(?:FROM|AS)\s+(?P<base>.+?)"
    r"(\s+(NOT\s+NULL|NULL|CONSTRAINT|CHECK|DEFAULT|COLLATE)\b.*)?$",
    re.I | re.S,
)


class _Reader:
    def __init__(self, dialect: str | None, file: str, sink: DiagnosticSink) -> None:
        self.dialect = dialect
        self.dialect_obj = Dialect.get_or_raise(dialect)
        self.parser = self.dialect_obj.parser(error_level=ErrorLevel.IMMEDIATE)
        self.file = file
        self.sink = sink
        #: names of views skipped so far, so an index or comment on one is not reported as lost
        self.views: set[str] = set()

    def where(self, line: int, text: str) -> dict:
        return {"file": self.file, "line": line, "excerpt": excerpt(text[:400])}  # bodies can be huge

    def tokenize(self, text: str) -> list[Token] | None:
        try:
            return self.dialect_obj.tokenize(text)
        except TokenError:
            return None

    def parse_tokens(self, tokens: list[Token], text: str) -> exp.Expr | None:
        try:
            parsed = self.parser.parse(tokens, text)
        except (ParseError, TokenError, ValueError, TypeError, AttributeError):
            return None
        expressions = [e for e in parsed if e is not None]
        return expressions[0] if len(expressions) == 1 else None

    def parse_text(self, text: str) -> exp.Expr | None:
        tokens = self.tokenize(text)
        return None if tokens is None else self.parse_tokens(tokens, text)

    # ------------------------------------------------------------------ chunks
    def read_chunk(self, chunk: Chunk) -> Iterator[Statement]:
        tokens = self.tokenize(chunk.text)
        if tokens is None:
            yield from self.read_untokenizable(chunk)
            return
        if not tokens:
            return
        head = _head(tokens)
        if chunk.block or (self.dialect in OPTIONAL_SEMICOLONS and ROUTINE.match(head)):
            kind = classify(head)
            if kind not in DDL_KIND_NAMES:
                line = chunk.line + tokens[0].line - 1
                self.skip(kind, head, line, chunk.text)
                self.warn_hidden_tables(chunk, line)
                return
        for piece in _split_tokens(tokens, self.dialect in OPTIONAL_SEMICOLONS):
            yield from self.read_statement(piece, chunk)

    def read_untokenizable(self, chunk: Chunk) -> Iterator[Statement]:
        """A chunk the tokenizer refuses (an unclosed quote, say): cut at `;` line ends and try each piece."""
        line = chunk.line
        for piece in re.split(r"(?<=;)[ \t]*\n", chunk.text):
            tokens = self.tokenize(piece)
            if tokens is None:
                # Comments before the statement must not hide that it creates a table, and an unclosed quote
                # may run over several: each CREATE TABLE line in the piece is a lost table.
                tables = list(_HIDDEN_TABLE.finditer(piece))
                kind = "table" if tables else classify(" ".join(piece.split()[:8]).upper())
                report = self.sink.error if kind == "table" else self.sink.warning
                for start in [t.start() for t in tables] or [len(piece) - len(piece.lstrip())]:
                    report(
                        "untokenizable",
                        f"could not tokenize this {kind} statement as {self.dialect or 'generic'} SQL",
                        lost="the whole statement",
                        **self.where(line + piece.count("\n", 0, start), piece[start:]),
                    )
            elif tokens:
                for statement_tokens in _split_tokens(tokens, self.dialect in OPTIONAL_SEMICOLONS):
                    yield from self.read_statement(statement_tokens, Chunk(piece, line))
            line += piece.count("\n") + 1

    def warn_hidden_tables(self, chunk: Chunk, line: int) -> None:
        """A block the client runs as one unit (PL/SQL, a procedure) may hold CREATE TABLE lines: say so."""
        for match in _HIDDEN_TABLE.finditer(chunk.text):
            table_line = chunk.line + chunk.text.count("\n", 0, match.start())
            self.sink.warning(
                "table-in-skipped-block",
                f"a CREATE TABLE inside the block starting at line {line} is not "
                "read: the client runs the block as one unit (a routine or PL/SQL block)",
                lost="this table",
                **self.where(table_line, chunk.text[match.start() :]),
            )

    def skip(self, kind: str, head: str, line: int, text: str) -> None:
        if kind == "other" and (garbled := _garbled_ddl(head)) is not None:
            self.sink.error(
                "unreadable-ddl",
                f"statement starting {garbled!r} looks like DDL but is not a statement "
                f"{self.dialect or 'generic'} SQL knows",
                lost="this statement (a table, if it was one)",
                **self.where(line, text),
            )
            return
        hidden = _HIDDEN_TABLE.search(text) if kind not in ("routine", "view") else None
        if hidden is not None:
            # `GO\nCREATE TABLE ...` read as MySQL, or a CREATE TABLE after a statement missing its `;`
            table_line = line + text.count("\n", 0, hidden.start())
            self.sink.error(
                "unreadable-ddl",
                f"a CREATE TABLE at line {table_line} is inside a statement starting "
                f"{' '.join(head.split()[:3])!r}, which {self.dialect or 'generic'} SQL does not read as a table "
                "(a missing ';', or a client command of another dialect?)",
                lost="this table",
                **self.where(table_line, text[hidden.start() :]),
            )
            return
        if kind == "view":
            match = re.search(r"\bVIEW\s+(IF\s+NOT\s+EXISTS\s+)?([\w.\[\]\"`$]+)", text, re.I)
            if match:
                self.views.add(match.group(2).split(".")[-1].strip('[]"`').casefold())
        label = " ".join(head.split()[:3])
        self.sink.info(
            "skipped-statement",
            f"skipped {kind} statement ({label}): not part of the schema model",
            subject=kind,
            **self.where(line, text),
        )

    # ------------------------------------------------------------------ statements
    def read_statement(self, tokens: list[Token], chunk: Chunk) -> Iterator[Statement]:
        head = _head(tokens)
        kind = classify(head)
        line = chunk.line + tokens[0].line - 1
        text = chunk.text[tokens[0].start : tokens[-1].end + 1]
        if is_row_security_statement(head, text):  # sqlglot reads these as Command: policies.py reads the text
            yield Statement("policy", exp.Command(this="POLICY"), line, text, text, tokens[0].start)
            return
        if kind not in DDL_KIND_NAMES:
            self.skip(kind, head, line, text)
            return
        depth = _nesting(tokens)
        if depth > MAX_NESTING:
            self.too_deep(kind, f"nested {depth} parentheses deep (the limit is {MAX_NESTING})", line, text)
            return
        try:
            yield from self.parse_or_recover(kind, tokens, chunk, line, text)
        except RecursionError:
            self.too_deep(kind, "nested too deeply for sqlglot's recursive parser", line, text)

    def too_deep(self, kind: str, why: str, line: int, text: str) -> None:
        self.sink.error(
            "too-deep",
            f"could not read this {kind} statement: {why}",
            lost=_LOST.get(kind, f"this {kind} statement"),
            **self.where(line, text),
        )

    def parse_or_recover(
        self, kind: str, tokens: list[Token], chunk: Chunk, line: int, text: str
    ) -> Iterator[Statement]:
        expression = self.parse_tokens(tokens, chunk.text)
        if _understood(expression):
            yield Statement(kind, expression, line, text, text, tokens[0].start)
            return
        recovered = self.recover(kind, text, line)
        if recovered is not None:
            yield recovered

    def recover(self, kind: str, text: str, line: int) -> Statement | None:
        if kind == "alter" and not _ALTER_MATTERS.search(_ALTER_NO_MODEL_CHANGE.sub(" ", text)):
            self.skip("alter", " ".join(text.split()[:3]).upper(), line, text)
            return None
        if kind == "type" and (alias := _ALIAS_TYPE.match(text)) is not None:
            try:
                base = exp.DataType.build(alias["base"].strip(), dialect=self.dialect, udt=True)
            except (ParseError, TokenError, ValueError):
                base = None
            if base is not None:
                name = alias["name"].split(".")[-1].strip('[]"`')
                return Statement(kind, exp.Create(this=exp.to_table(name), kind="TYPE", expression=base), line, text)
        rewritten, fired = apply_rules(text)
        if fired:
            expression = self.parse_text(rewritten)
            if _understood(expression):
                lost = [rule.lost for rule in fired if rule.lost]
                if lost:
                    self.sink.warning(
                        "recovered-statement",
                        f"{kind} statement read after removing {len(lost)} clause(s) sqlglot does not support",
                        lost="; ".join(lost),
                        **self.where(line, text),
                    )
                return Statement(kind, expression, line, text, rewritten, 0)
        if kind == "table":
            from translator.ingest.salvage import salvage_create_table

            salvaged = salvage_create_table(self, rewritten, line, text)
            if salvaged is not None:
                return Statement(kind, salvaged, line, text)
        # A lost table, or a lost ALTER TABLE ... ADD (keys, foreign keys, columns), changes the model: error.
        report = self.sink.error if kind in ("table", "alter") else self.sink.warning
        what = _LOST.get(kind, f"this {kind} statement")
        report(
            "unparsed-statement",
            f"sqlglot could not read this {kind} statement as {self.dialect or 'generic'} SQL",
            lost=what,
            **self.where(line, text),
        )
        first_line_end = text.find("\n") + 1 if "\n" in text else len(text)
        for hidden in _HIDDEN_TABLE.finditer(text, first_line_end):
            # a statement missing its `;` swallowed the next table: that table is lost too
            table_line = line + text.count("\n", 0, hidden.start())
            self.sink.error(
                "unreadable-ddl",
                f"a CREATE TABLE at line {table_line} is inside the unreadable statement "
                f"starting at line {line} (a missing ';'?)",
                lost="this table",
                **self.where(table_line, text[hidden.start() :]),
            )
        return None


#: what is lost when a DDL statement of each kind cannot be read
_LOST = {
    "table": "the whole table",
    "alter": "this ALTER TABLE (its keys or constraints)",
    "index": "this index",
    "type": "this type",
    "comment": "this comment",
}


def _garbled_ddl(head: str) -> str | None:
    """The first words of a statement that is DDL gone wrong (`CRATE TABLE`, a control character before CREATE),
    or None; a statement that is merely not modelled (CREATE DATABASE, CREATE EXTENSION) is not garbled."""
    words = head.split()
    if not words:
        return None
    first = words[0]
    printable = "".join(ch for ch in first if ch.isprintable())
    if printable != first and printable.lstrip("\ufeff").upper().endswith(_DDL_VERBS):
        return " ".join(words[:3])
    near_verb = first not in _DDL_VERBS and difflib.get_close_matches(first, _DDL_VERBS, n=1, cutoff=0.7)
    if near_verb and _DDL_OBJECTS & set(words[1:4]):
        return " ".join(words[:3])
    return None


def _nesting(tokens: list[Token]) -> int:
    """The deepest parenthesis level in `tokens`."""
    depth = deepest = 0
    for token in tokens:
        if token.token_type is TokenType.L_PAREN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.token_type is TokenType.R_PAREN:
            depth -= 1
    return deepest


def _understood(expression: exp.Expr | None) -> TypeGuard[exp.Expr]:
    return expression is not None and not isinstance(expression, exp.Command)


def read_statements(
    chunks: tuple[Chunk, ...], dialect: str | None, file: str, sink: DiagnosticSink, views: set[str] | None = None
) -> list[Statement]:
    """The DDL statements of `chunks`, in file order; every other statement leaves a diagnostic in `sink`.

    Names of skipped views are added to `views` when given.
    """
    reader = _Reader(dialect, file, sink)
    if views is not None:
        reader.views = views
    out: list[Statement] = []
    with _quiet_sqlglot():
        for chunk in chunks:
            out.extend(reader.read_chunk(chunk))
    return out
