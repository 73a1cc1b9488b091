"""Row-level security in DDL: `CREATE/ALTER/DROP POLICY` and `ALTER TABLE ... ENABLE/FORCE ROW LEVEL SECURITY`.

sqlglot 30 reads all of these as an opaque `exp.Command`, so the statement is read here from sqlglot's
tokens (quotes, comments and nested parentheses are the tokenizer's business). The policy expressions
are kept as text in the normal form of `translator.policy_expr`; one sqlglot cannot read is kept as
written and reported with a diagnostic naming the policy, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from translator.diagnostics import DiagnosticSink, excerpt
from translator.ingest.model import fold
from translator.ir import POLICY_COMMANDS, Entity, Policy
from translator.policy_expr import normalize_expression

__all__ = ["is_row_security_statement", "RowSecurityDrafts", "read_row_security", "apply_row_security"]

_POLICY_HEAD = re.compile(r"^(CREATE|ALTER|DROP) POLICY\b")
#: the whole statement, one action: an ALTER TABLE that also adds columns or keys stays with build.py
_ROW_SECURITY = re.compile(
    r"^ALTER\s+TABLE\s+[^,;]+?\s(ENABLE|DISABLE|FORCE|NO\s+FORCE)\s+ROW\s+LEVEL\s+SECURITY\s*;?\s*$", re.IGNORECASE
)
_STOP = {"AS", "FOR", "TO", "USING", "WITH", "RENAME"}


def is_row_security_statement(head: str, text: str) -> bool:
    """True for the statements this module reads (`head`: the first keywords, upper case)."""
    return bool(_POLICY_HEAD.match(head)) or head.startswith("ALTER TABLE") and bool(_ROW_SECURITY.match(text.strip()))


class _Unreadable(ValueError):
    pass


@dataclass
class _PolicyDraft:
    name: str
    table: tuple[str | None, str]
    file: str
    line: int
    command: str = "all"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None


@dataclass
class RowSecurityDrafts:
    """Policies and table flags in statement order; frozen once every file is read."""

    policies: list[_PolicyDraft] = field(default_factory=list)
    #: (table reference, enabled or None, forced or None, file, line) in statement order
    flags: list[tuple[tuple[str | None, str], bool | None, bool | None, str, int]] = field(default_factory=list)

    def find(self, name: str, table: tuple[str | None, str]) -> _PolicyDraft | None:
        return next((p for p in reversed(self.policies) if p.name == name and fold(p.table[1]) == fold(table[1])), None)

    def freeze(
        self, builder: Any, entities: tuple[Entity, ...], sink: DiagnosticSink
    ) -> tuple[tuple[Entity, ...], tuple[Policy, ...]]:
        """Entities with their row-security flags set, and the policies with their entity keys."""
        by_key = {e.key: e for e in entities}
        for ref, enabled, forced, file, line in self.flags:
            table = builder.find_table(ref)
            if table is None or table.key not in by_key:
                sink.warning(
                    "unknown-table",
                    f"ALTER TABLE {_show(ref)} ... ROW LEVEL SECURITY names a table not created in the input",
                    file=file,
                    line=line,
                    lost="this row-security setting",
                )
                continue
            entity = by_key[table.key]
            by_key[table.key] = replace(
                entity,
                row_security=entity.row_security if enabled is None else enabled,
                force_row_security=entity.force_row_security if forced is None else forced,
            )
        policies = []
        for draft in self.policies:
            table = builder.find_table(draft.table)
            if table is None or table.key not in by_key:
                sink.warning(
                    "unknown-table",
                    f"policy {draft.name!r} is on {_show(draft.table)}, a table not created in the input",
                    file=draft.file,
                    line=draft.line,
                    lost=f"policy {draft.name}",
                )
                continue
            policies.append(
                Policy(
                    draft.name, table.key, draft.command, draft.permissive, draft.roles, draft.using, draft.with_check
                )
            )
        return tuple(by_key[e.key] for e in entities), tuple(policies)


def _show(ref: tuple[str | None, str]) -> str:
    return ".".join(p for p in ref if p)


class _Tokens:
    def __init__(self, text: str, dialect: str | None) -> None:
        try:
            self.items = [
                t
                for t in Dialect.get_or_raise(dialect or "postgres").tokenize(text)
                if t.token_type is not TokenType.SEMICOLON
            ]
        except TokenError as exc:
            raise _Unreadable(f"cannot tokenize it: {exc}") from None
        self.text, self.i = text, 0

    def peek(self) -> str:
        return self.items[self.i].text.upper() if self.i < len(self.items) else ""

    def take(self) -> Token:
        if self.i >= len(self.items):
            raise _Unreadable("it ends too early")
        self.i += 1
        return self.items[self.i - 1]

    def word(self, *expected: str) -> str:
        token = self.take()
        if token.text.upper() not in expected:
            raise _Unreadable(f"expected {' or '.join(expected)}, found {token.text!r}")
        return token.text.upper()

    def name(self, fold_unquoted: bool) -> str:
        token = self.take()
        if token.token_type is TokenType.IDENTIFIER:  # quoted: exactly as written
            return token.text
        return token.text.lower() if fold_unquoted else token.text

    def table(self) -> tuple[str | None, str]:
        parts = [self.name(False)]
        while self.i < len(self.items) and self.items[self.i].token_type is TokenType.DOT:
            self.take()
            parts.append(self.name(False))
        return (parts[-2] if len(parts) > 1 else None), parts[-1]

    def parenthesized(self) -> str:
        opening = self.take()
        if opening.token_type is not TokenType.L_PAREN:
            raise _Unreadable(f"expected '(' , found {opening.text!r}")
        depth, start = 1, self.i
        while depth:
            token = self.take()
            depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(token.token_type, 0)
        inner = self.items[start : self.i - 1]
        return self.text[inner[0].start : inner[-1].end + 1].strip() if inner else ""

    def roles(self) -> tuple[str, ...]:
        roles = [self.name(True)]
        while self.i < len(self.items) and self.items[self.i].token_type is TokenType.COMMA:
            self.take()
            roles.append(self.name(True))
        return tuple(roles)


def _expression(text: str, policy: str, clause: str, where: dict, sink: DiagnosticSink) -> str:
    normal = normalize_expression(text)
    if normal is not None:
        return normal
    sink.warning(
        "unreadable-policy-expression",
        f"policy {policy!r}: the {clause} expression could not be read; "
        "it is kept as written and no tenant column is taken from it",
        subject=policy,
        **where,
    )
    return text


def _clauses(tokens: _Tokens, draft: _PolicyDraft, where: dict, sink: DiagnosticSink) -> None:
    while tokens.peek():
        word = tokens.word(*_STOP)
        if word == "AS":
            draft.permissive = tokens.word("PERMISSIVE", "RESTRICTIVE") == "PERMISSIVE"
        elif word == "FOR":
            draft.command = tokens.word(*(c.upper() for c in POLICY_COMMANDS)).lower()
        elif word == "TO":  # sorted, as the catalog gives no order to rely on
            draft.roles = tuple(sorted(set(tokens.roles())))
        elif word == "USING":
            draft.using = _expression(tokens.parenthesized(), draft.name, "USING", where, sink)
        elif word == "WITH":
            tokens.word("CHECK")
            draft.with_check = _expression(tokens.parenthesized(), draft.name, "WITH CHECK", where, sink)
        else:  # RENAME TO new_name (ALTER POLICY)
            tokens.word("TO")
            draft.name = tokens.name(True)


def read_row_security(
    drafts: RowSecurityDrafts, text: str, dialect: str | None, file: str, line: int, sink: DiagnosticSink
) -> None:
    """Apply one row-security statement to `drafts`; a statement it cannot read is a diagnostic."""
    where = {"file": file, "line": line, "excerpt": excerpt(text[:400])}
    tokens = None
    try:
        tokens = _Tokens(text, dialect)
        verb = tokens.word("CREATE", "ALTER", "DROP")
        if tokens.word("POLICY", "TABLE") == "TABLE":
            _table_flags(drafts, tokens, text, file, line)
            return
        if verb == "DROP" and tokens.peek() == "IF":
            tokens.word("IF"), tokens.word("EXISTS")
        name = tokens.name(True)
        tokens.word("ON")
        table = tokens.table()
        if verb == "CREATE":
            draft = _PolicyDraft(name, table, file, line)
            _clauses(tokens, draft, where, sink)
            drafts.policies.append(draft)
            return
        existing = drafts.find(name, table)
        if existing is None:
            sink.warning(
                "unknown-policy",
                f"{verb} POLICY {name!r} on {_show(table)}: no such policy was created in the input",
                subject=name,
                lost="this statement",
                **where,
            )
        elif verb == "DROP":
            drafts.policies.remove(existing)
        else:
            _clauses(tokens, existing, where, sink)
    except _Unreadable as problem:
        name = f" {tokens.items[2].text!r}" if tokens is not None and len(tokens.items) > 2 else ""
        sink.warning(
            "unparsed-statement",
            f"row-security statement{name} not read: {problem}",
            lost="this statement (a policy or row-security setting)",
            **where,
        )


def _table_flags(drafts: RowSecurityDrafts, tokens: _Tokens, text: str, file: str, line: int) -> None:
    for word in ("IF", "EXISTS", "ONLY"):
        if tokens.peek() == word:
            tokens.take()
    table = tokens.table()
    action = " ".join(tokens.take().text.upper() for _ in range(len(tokens.items) - tokens.i - 3))
    tokens.word("ROW"), tokens.word("LEVEL"), tokens.word("SECURITY")
    enabled = {"ENABLE": True, "DISABLE": False}.get(action)
    forced = {"FORCE": True, "NO FORCE": False}.get(action)
    if enabled is None and forced is None:
        raise _Unreadable(f"unknown row-security action {action!r}")
    drafts.flags.append((table, enabled, forced, file, line))


def apply_row_security(builder: Any, statement: Any) -> None:
    """The `SchemaBuilder` handler for statements of kind `policy` (see `is_row_security_statement`)."""
    read_row_security(builder.row_security, statement.text, builder.dialect, builder.file, statement.line, builder.sink)
