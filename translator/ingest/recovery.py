"""Rewrites that let sqlglot read a statement it refused: storage and physical options it does not know.

Each rule removes or rewrites one clause that carries no logical schema information (where a table's data
lives, how an index is stored) or rewrites a spelling sqlglot lacks into one it has. The ingest layer
applies them only after a statement failed, and records every rule that fired as a warning, so the
user sees exactly what was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RecoveryRule", "RULES", "apply_rules", "UNNAMED"]

#: Placeholder constraint name for rewrites that must name an unnamed constraint; build.py maps it back to None.
UNNAMED = "polyschema_unnamed_constraint"


@dataclass(frozen=True, slots=True)
class RecoveryRule:
    name: str
    #: what the rewrite loses, for the diagnostic ("" when nothing is lost, only respelled)
    lost: str
    rewrite: Callable[[str], str]


def _sub(pattern: str, replacement: str = " ", flags: int = re.I) -> Callable[[str], str]:
    compiled = re.compile(pattern, flags)
    return lambda text: compiled.sub(replacement, text)


def _drop_parenthesised(head: str) -> Callable[[str], str]:
    """Remove `head (...)` with balanced parentheses, e.g. `WITH (FILLFACTOR = 90, PAD_INDEX = OFF)`."""
    compiled = re.compile(head + r"\s*\(", re.I)

    def rewrite(text: str) -> str:
        while (match := compiled.search(text)) is not None:
            depth, position = 0, match.end() - 1
            while position < len(text):
                depth += {"(": 1, ")": -1}.get(text[position], 0)
                if depth == 0:
                    break
                position += 1
            text = text[: match.start()] + " " + text[position + 1 :]
        return text

    return rewrite


RULES: tuple[RecoveryRule, ...] = (
    RecoveryRule("ROWGUIDCOL", "the ROWGUIDCOL marker", _sub(r"\bROWGUIDCOL\b")),
    RecoveryRule("TEXTIMAGE_ON", "the TEXTIMAGE_ON filegroup", _sub(r"\bTEXTIMAGE_ON\s+(\[[^\]]*\]|\"[^\"]*\"|\w+)")),
    RecoveryRule("ON filegroup", "the ON <filegroup> storage clause",
                 _sub(r"\bON\s+(\[PRIMARY\]|PRIMARY\b|\[\w+\]\s*\(\s*\[?\w+\]?\s*\))")),
    RecoveryRule("WITH (storage options)", "index/table storage options",
                 _drop_parenthesised(r"\bWITH(?=\s*\(\s*\w+\s*=)")),
    RecoveryRule("ORGANIZATION", "the ORGANIZATION INDEX/HEAP clause", _sub(r"\bORGANIZATION\s+(INDEX|HEAP|EXTERNAL)\b")),
    RecoveryRule("TABLESPACE", "the TABLESPACE clause", _sub(r"\b(USING\s+INDEX\s+)?TABLESPACE\s+(\"[^\"]*\"|\S+?)(?=[\s;)]|$)")),
    RecoveryRule("Oracle physical attributes", "Oracle physical attributes (PCTFREE, STORAGE, LOGGING, ...)",
                 lambda t: _drop_parenthesised(r"\bSTORAGE")(
                     re.sub(r"\b(PCTFREE|PCTUSED|INITRANS|MAXTRANS)\s+\d+|\b(NOLOGGING|NOCOMPRESS|NOPARALLEL|"
                            r"SEGMENT\s+CREATION\s+(IMMEDIATE|DEFERRED))\b|\bENABLE(\s+NOVALIDATE)?\s*(?=[,)])", " ", t, flags=re.I))),
    RecoveryRule("USING BTREE/HASH", "the index method", _sub(r"\bUSING\s+(BTREE|HASH)\b")),
    RecoveryRule("ON ONLY", "the ONLY marker (index on a partitioned parent)", _sub(r"\bON\s+ONLY\b", "ON")),
    RecoveryRule("GENERATED ... VIRTUAL", "VIRTUAL (read as STORED: the expression is kept)",
                 _sub(r"(\bGENERATED\s+ALWAYS\s+AS\s*\(.*?\))\s*VIRTUAL\b", r"\1 STORED", re.I | re.S)),
    RecoveryRule("SUB_TYPE", "the BLOB SUB_TYPE qualifier", _sub(r"\bSUB_TYPE\s+\w+")),
    RecoveryRule("ADD CHECK", "", _sub(r"\bADD\s+CHECK\b", f"ADD CONSTRAINT {UNNAMED} CHECK")),
    RecoveryRule("ADD FOREIGN KEY name", "",
                 _sub(r"\bADD\s+FOREIGN\s+KEY\s+(\w+)\s*\(", r"ADD CONSTRAINT \1 FOREIGN KEY (")),
    RecoveryRule("NULLS NOT DISTINCT", "NULLS NOT DISTINCT (nulls compare equal in this unique index)",
                 _sub(r"\bNULLS\s+NOT\s+DISTINCT\b")),
    RecoveryRule("named DEFAULT", "the name of a DEFAULT constraint",
                 _sub(r"\bCONSTRAINT\s+(\[[^\]]+\]|\"[^\"]+\"|\w+)\s+(?=DEFAULT\b)", " ")),
    RecoveryRule("CLUSTERED", "the CLUSTERED/NONCLUSTERED marker", _sub(r"\b(NON)?CLUSTERED\b")),
    RecoveryRule("NOT FOR REPLICATION", "NOT FOR REPLICATION", _sub(r"\bNOT\s+FOR\s+REPLICATION\b")),
)


def apply_rules(text: str) -> tuple[str, tuple[RecoveryRule, ...]]:
    """Apply every rule that changes `text`; return the new text and the rules that fired."""
    fired = []
    for rule in RULES:
        rewritten = rule.rewrite(text)
        if rewritten != text:
            fired.append(rule)
            text = rewritten
    return text, tuple(fired)
