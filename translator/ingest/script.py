"""Client-script handling: cut a DDL file the way the vendor's client tool would before sqlglot sees it.

sqlglot parses SQL with `;` as its only separator, but install scripts are written for sqlcmd, SQL*Plus,
psql or the mysql client. Each splitter here turns a file into `Chunk`s (pieces of SQL with the line they
start on in the original file) and a count of the client commands it removed, so diagnostics still name
the right line and nothing disappears without a trace. Splitters are registered per dialect.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from translator.dialects import DIALECT_ALIASES

__all__ = ["Chunk", "ScriptSplit", "split_script", "guess_dialect", "SPLITTERS"]


@dataclass(frozen=True, slots=True)
class Chunk:
    """SQL text starting at `line` (1-based) of the original file.

    `block` chunks are one client-side unit (a PL/SQL block ended by `/`, a MySQL `DELIMITER` body)
    that must not be split at `;`.
    """

    text: str
    line: int
    block: bool = False


@dataclass(frozen=True, slots=True)
class ScriptSplit:
    chunks: tuple[Chunk, ...]
    #: client command kind -> (count, first line), e.g. {"PROMPT": (12, 30)}
    removed: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Removed:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.first: dict[str, int] = {}

    def add(self, kind: str, line: int) -> None:
        self.counts[kind] += 1
        self.first.setdefault(kind, line)

    def as_dict(self) -> dict[str, tuple[int, int]]:
        return {k: (n, self.first[k]) for k, n in self.counts.items()}


# MySQL executes the body of /*!NNNNN ... */ on servers at least that version. MariaDB (whose catalog made the
# corpus truth) executes them too, except bodies marked for MySQL 5.7 and later (50700..99999), which it treats
# as plain comments. We follow MariaDB and report every such body we leave out.
_CONDITIONAL = re.compile(r"/\*!(\d{5,6})?(.*?)\*/", re.S)
#: highest version tag whose body is kept (MariaDB's rule); higher tags are skipped with a diagnostic
CONDITIONAL_MAX_VERSION = 50699


def strip_conditional_comments(text: str, skipped: list[int] | None = None) -> str:
    """Replace `/*!40101 X */` by `X`, padding with spaces so offsets and line numbers are unchanged.

    Bodies tagged above `CONDITIONAL_MAX_VERSION` are blanked out; their line numbers go to `skipped`.
    """
    if "/*!" not in text:
        return text

    def keep(match: re.Match[str]) -> str:
        version = match.group(1)
        if version and len(version) == 5 and int(version) > CONDITIONAL_MAX_VERSION:
            if skipped is not None:
                skipped.append(text.count("\n", 0, match.start()) + 1)
            return "".join(ch if ch == "\n" else " " for ch in match.group(0))
        head = 3 + len(version or "")
        return " " * head + match.group(2) + "  "

    return _CONDITIONAL.sub(keep, text)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


class _Comments:
    """Tracks whether a line starts inside a /* */ comment, so comment text is never taken for a command."""

    def __init__(self) -> None:
        self.inside = False

    def starts_inside(self, line: str) -> bool:
        before = self.inside
        position = 0
        while True:
            if self.inside:
                end = line.find("*/", position)
                if end < 0:
                    break
                self.inside, position = False, end + 2
            else:
                start = line.find("/*", position)
                dash = line.find("--", position)
                if start < 0 or (0 <= dash < start):
                    break
                self.inside, position = True, start + 2
        return before


def _code_of(line: str, hash_comments: bool = False) -> str:
    """The SQL on a line without its comments (`/* */` pieces, `--` tails, and `#` tails for MySQL)."""
    line = re.sub(r"/\*.*?\*/", " ", line).split("/*", 1)[0].split("--", 1)[0]
    return (line.split("#", 1)[0] if hash_comments else line).strip()


# ---------------------------------------------------------------- T-SQL (sqlcmd)
_GO = re.compile(r"^\s*GO(\s+\d+)?\s*;?\s*(--.*)?$", re.I)
_SQLCMD = re.compile(r"^\s*:(setvar|r|on\s+error|connect|out|error|exit|quit|listvar|reset|serverlist|perftrace|help)\b", re.I)


def split_tsql(text: str) -> ScriptSplit:
    removed, start = _Removed(), 1
    chunks: list[Chunk] = []
    current: list[str] = []
    comments = _Comments()
    for number, line in enumerate(_lines(text), start=1):
        in_comment = comments.starts_inside(line)
        if not in_comment and _GO.match(line):
            chunks.append(Chunk(_join(current), start))
            current, start = [], number + 1
            removed.add("GO", number)
            continue
        command = None if in_comment else _SQLCMD.match(line)
        if command:
            removed.add(":" + command.group(1).lower(), number)
            line = ""
        current.append(line)
    chunks.append(Chunk(_join(current), start))
    return ScriptSplit(tuple(c for c in chunks if c.text.strip()), removed.as_dict())


# ---------------------------------------------------------------- Oracle (SQL*Plus)
_SQLPLUS = re.compile(
    r"^\s*(rem|remark|prompt|pro|set|connect|conn|disconnect|spool|whenever|define|def|undefine|exit|quit|"
    r"show|pause|accept|column|col|ttitle|btitle|break|compute|clear|host|desc|describe|@@?|start|exec|execute|"
    r"variable|var|print|timing|store|alter\s+session\s+set\s+current_schema)(\s|$|(?<=@)\S)",
    re.I,
)
_PLSQL_START = re.compile(
    r"^\s*(create\s+(or\s+replace\s+)?((editionable|noneditionable)\s+)?(procedure|function|trigger|package|"
    r"type\s+body|type\s+\S+\s+(as|is)\s+object)\b|declare\b|begin\b)",
    re.I,
)


def split_oracle(text: str) -> ScriptSplit:
    removed, chunks, current, start = _Removed(), [], [], 1
    comments = _Comments()
    in_statement = in_plsql = False
    for number, line in enumerate(_lines(text), start=1):
        # A SQL*Plus command is a line of its own: a `/*` in a `rem` line opens no comment, so the line is
        # matched before it is fed to the comment tracker.
        if not comments.inside and not in_statement and not in_plsql:
            match = _SQLPLUS.match(line)
            if match:
                removed.add(match.group(1).split()[0].upper(), number)
                current.append("")
                continue
        in_comment = comments.starts_inside(line)
        stripped = line.strip()
        if not in_comment and stripped == "/":
            chunks.append(Chunk(_join(current), start, block=in_plsql))
            current, start, in_statement, in_plsql = [], number + 1, False, False
            removed.add("/", number)
            continue
        if not in_comment and not in_statement and not in_plsql:
            if _PLSQL_START.match(line):
                # A PL/SQL unit runs to the next `/` line; its inner `;` end nothing.
                if any(part.strip() for part in current):
                    chunks.append(Chunk(_join(current), start))
                current, start, in_plsql = [], number, True
        current.append(line)
        code = _code_of(line)
        if not in_comment and code:
            in_statement = not code.endswith(";")
    chunks.append(Chunk(_join(current), start, block=in_plsql))
    return ScriptSplit(tuple(c for c in chunks if c.text.strip()), removed.as_dict())


# ---------------------------------------------------------------- PostgreSQL (psql)
_DOLLAR = re.compile(r"\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$")
_COPY_STDIN = re.compile(r"^\s*COPY\b.*\bFROM\s+stdin\b.*;\s*$", re.I)


def split_postgres(text: str) -> ScriptSplit:
    removed, out = _Removed(), []
    comments = _Comments()
    in_copy = False
    dollar: str | None = None  # the open $tag$ of a function body: its lines are text, not psql commands
    for number, line in enumerate(_lines(text), start=1):
        in_comment = comments.starts_inside(line)
        if in_copy:
            in_copy = line.strip() != "\\."
            removed.add("COPY data", number)
            out.append("")
            continue
        plain = not in_comment and dollar is None
        if plain and line.lstrip().startswith("\\"):
            removed.add("\\" + line.lstrip()[1:].split(" ", 1)[0].strip(), number)
            out.append("")
            continue
        if plain and _COPY_STDIN.match(line):
            in_copy = True
        for tag in _DOLLAR.findall(line if not in_comment else ""):
            dollar = tag if dollar is None else (None if tag == dollar else dollar)
        out.append(line)
    return ScriptSplit((Chunk(_join(out), 1),), removed.as_dict())


# ---------------------------------------------------------------- MySQL (mysql client)
_DELIMITER = re.compile(r"^\s*DELIMITER\s+(\S+)\s*$", re.I)
_SOURCE = re.compile(r"^\s*(source|\\\.)\s+\S+", re.I)


def split_mysql(text: str) -> ScriptSplit:
    skipped: list[int] = []
    text = strip_conditional_comments(text, skipped)
    removed, start = _Removed(), 1
    chunks: list[Chunk] = []
    current: list[str] = []
    for skipped_line in skipped:
        removed.add("/*!5xxxx MySQL 5.7+ conditional comment (skipped, as MariaDB does)", skipped_line)
    comments = _Comments()
    delimiter = ";"
    # The mysql client reads its own commands only at the start of a statement, never inside one
    # (a column may well be called `source` or `delimiter`).
    in_statement = False
    for number, line in enumerate(_lines(text), start=1):
        in_comment = comments.starts_inside(line)
        between = not in_comment and not in_statement
        match = _DELIMITER.match(line) if between else None
        if match:
            if any(part.strip() for part in current):
                chunks.append(Chunk(_join(current), start, block=delimiter != ";"))
            current, start = [], number + 1
            delimiter = match.group(1)
            removed.add("DELIMITER", number)
            continue
        if between and _SOURCE.match(line):
            removed.add("source", number)
            current.append("")
            continue
        if delimiter != ";" and not in_comment and line.rstrip().endswith(delimiter):
            # One client-side statement (a procedure or trigger body) ends here.
            current.append(line.rstrip()[: -len(delimiter)])
            chunks.append(Chunk(_join(current), start, block=True))
            current, start, in_statement = [], number + 1, False
            continue
        current.append(line)
        code = _code_of(line, hash_comments=True)
        if not in_comment and code:
            in_statement = not code.endswith(delimiter)
    chunks.append(Chunk(_join(current), start, block=delimiter != ";"))
    return ScriptSplit(tuple(c for c in chunks if c.text.strip()), removed.as_dict())


# ---------------------------------------------------------------- SQLite (sqlite3 shell)
_DOT_COMMAND = re.compile(r"^\s*\.[a-z]+\b", re.I)


def split_sqlite(text: str) -> ScriptSplit:
    """The sqlite3 shell reads `.mode`, `.read x.sql`, ... lines between statements as its own commands."""
    removed, out = _Removed(), []
    comments = _Comments()
    in_statement = False
    for number, line in enumerate(_lines(text), start=1):
        in_comment = comments.starts_inside(line)
        if not in_comment and not in_statement and _DOT_COMMAND.match(line):
            removed.add(line.split()[0].lower(), number)
            out.append("")
            continue
        out.append(line)
        code = _code_of(line)
        if not in_comment and code:
            in_statement = not code.endswith(";")
    return ScriptSplit((Chunk(_join(out), 1),), removed.as_dict())


def split_plain(text: str) -> ScriptSplit:
    return ScriptSplit((Chunk(text, 1),), {})


#: dialect -> splitter; dialects not listed get the plain splitter (the text as one chunk).
SPLITTERS: dict[str, Callable[[str], ScriptSplit]] = {
    "tsql": split_tsql,
    "oracle": split_oracle,
    "postgres": split_postgres,
    "mysql": split_mysql,
    "sqlite": split_sqlite,
}


def split_script(text: str, dialect: str | None) -> ScriptSplit:
    """Cut `text` into chunks the way `dialect`'s client would (BOM already removed by the reader)."""
    return SPLITTERS.get(dialect or "", split_plain)(text)


# ---------------------------------------------------------------- dialect guessing
#: folder names that name a dialect (`corpus/postgres/x.sql`): the dialects with a splitter, the aliases
#: `--dialect` accepts, and the names of the clients' own tools, which are common folder names too
FOLDER_DIALECTS = {
    **{dialect: dialect for dialect in SPLITTERS},
    **DIALECT_ALIASES,
    "psql": "postgres", "plsql": "oracle", "sqlite3": "sqlite",
}

#: (dialect, pattern, reason): first match wins, most specific client syntax first.
CONTENT_HINTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("tsql", re.compile(r"^\s*GO\s*$|^\s*:setvar\b|\bNVARCHAR\s*\(\s*MAX\s*\)|\bIDENTITY\s*\(\s*\d", re.I | re.M), "GO lines / sqlcmd / IDENTITY(n,m)"),
    ("oracle", re.compile(r"^\s*(rem|prompt)\b|\bVARCHAR2\b|\bNUMBER\s*\(|^\s*/\s*$", re.I | re.M), "rem/PROMPT lines, VARCHAR2, NUMBER( or / lines"),
    ("mysql", re.compile(r"`\w+`|\bENGINE\s*=|^\s*DELIMITER\b|\bAUTO_INCREMENT\b", re.I | re.M), "backticks, ENGINE=, DELIMITER or AUTO_INCREMENT"),
    ("postgres", re.compile(r"::\w|\b(BIG)?SERIAL\b|\bAS\s+ENUM\b|^\s*\\\w|\bOWNER\s+TO\b|\bnextval\s*\(", re.I | re.M), "::casts, SERIAL, CREATE TYPE AS ENUM, psql \\ commands"),
    ("sqlite", re.compile(r"\bAUTOINCREMENT\b|\bWITHOUT\s+ROWID\b|\bPRAGMA\b", re.I), "AUTOINCREMENT, WITHOUT ROWID or PRAGMA"),
)


#: comments that must not sway the guess (`-- uses `backticks``); MySQL's executable `/*!...*/` is kept as a hint
_GUESS_COMMENTS = re.compile(r"/\*(?!!)[^*]*\*+(?:[^/*][^*]*\*+)*/|--[^\n]*")


def guess_dialect(text: str, folder: str | None) -> tuple[str | None, str]:
    """(dialect or None for sqlglot's generic dialect, the reason) for a file with no --dialect."""
    if folder and folder.lower() in FOLDER_DIALECTS:
        return FOLDER_DIALECTS[folder.lower()], f"from the folder name {folder!r}"
    text = _GUESS_COMMENTS.sub(" ", text)
    for dialect, pattern, reason in CONTENT_HINTS:
        if pattern.search(text):
            return dialect, f"from the content ({reason})"
    return None, "no dialect hint found; using sqlglot's generic dialect"
