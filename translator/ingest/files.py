"""Reading SOURCE arguments: files, folders of .sql files (sorted), `-` for stdin; refusing bad input early.

Each refusal is a `SourceError` with one line that names the file and says what to do.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.errors import SourceError

__all__ = ["SourceText", "read_sources", "decode"]

#: encodings tried in order; utf-8-sig also removes a BOM, which would otherwise break the first statement
ENCODINGS = ("utf-8-sig", "utf-16")


@dataclass(frozen=True, slots=True)
class SourceText:
    name: str
    text: str
    #: the parent folder's name, a dialect hint (`corpus/postgres/x.sql`)
    folder: str | None


def decode(data: bytes, name: str) -> str:
    """Text of `data`, refusing binary content and undecodable bytes with a message naming `name`."""
    if not data.strip():
        raise SourceError(f"{name}: file is empty; pass a file that contains DDL (CREATE TABLE ...)")
    is_utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if b"\x00" in data and not is_utf16:
        raise SourceError(f"{name}: looks binary (contains NUL bytes), not SQL text; pass a .sql DDL file")
    errors = []
    for encoding in ENCODINGS if is_utf16 else ENCODINGS[:1]:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            errors.append(f"{encoding} failed at byte {exc.start}")
    else:
        raise SourceError(f"{name}: cannot decode as text ({'; '.join(errors)}); convert the file to UTF-8")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\t\f\v")
    if controls > 8:
        raise SourceError(f"{name}: looks binary ({controls} control characters in the first 4 KB), not SQL text")
    return text


def _read_file(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except PermissionError:
        raise SourceError(f"{path}: permission denied; make the file readable") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None
    return SourceText(str(path), decode(data, str(path)), path.parent.name or None)


def read_sources(sources: Sequence[str], stdin: bytes | None = None) -> list[SourceText]:
    """The text of every SOURCE, in order; folders expand to their *.sql files sorted by name."""
    if isinstance(sources, (str, bytes)):
        raise SourceError(f"sources must be a list of paths, got the single string {sources!r}; wrap it in a list")
    if not sources:
        raise SourceError("no SOURCE given; pass a .sql file, a folder of .sql files, or '-' for stdin")
    out: list[SourceText] = []
    for source in sources:
        if source == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            out.append(SourceText("<stdin>", decode(data, "<stdin>"), None))
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".sql")
            if not files:
                raise SourceError(f"{source}: folder has no .sql files; pass a folder containing *.sql DDL files")
            out.extend(_read_file(p) for p in files)
        elif path.is_file():
            out.append(_read_file(path))
        elif path.exists():
            raise SourceError(f"{source}: not a regular file or folder")
        else:
            raise SourceError(f"{source}: no such file or folder")
    return out
