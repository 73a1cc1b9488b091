"""Fuzz ingest and translate with mutated corpus schemas; count crashes, hangs and silent table losses.

Each input is a window of lines from a corpus file (or two spliced), then mutated: truncation, splicing,
byte flips, deep nesting, huge lines, identifier injection. Each input runs, in-process through the library,
what `polyschema inspect` and `polyschema translate --to {mongodb,cassandra,dynamodb}` run: ingest, the JSON
and human forms of the schema, default workload, design and every render format of each target.

- crash: any exception other than `PolyschemaError` (what the CLI turns into exit 2); the traceback goes
  to `--out`/crash-N.txt with the input as crash-N.sql.
- hang: one input using more than `--time-limit` seconds of CPU (SIGVTALRM raises in the running code; the
  input is kept). CPU time, not wall time, so a loaded machine does not turn slow inputs into "hangs".
- silent loss: more CREATE TABLE statements in the input than entities + error diagnostics + diagnostics
  that name a loss, with no refusal (a `PolyschemaError` is a refusal, not a loss).

The RNG is `random.Random(seed)`; the same `--seed` and `--count` give the same inputs.

    .venv/bin/python benchmarks/fuzz_ingest.py --count 20000 --seed 1 [--out /tmp/fuzz] [--time-limit 20]
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from _timing import CORPUS, ROOT  # puts the project on sys.path

from translator.diagnostics import Severity  # noqa: E402
from translator.errors import PolyschemaError  # noqa: E402
from translator.ingest import ingest_source_texts  # noqa: E402
from translator.ingest.files import SourceText, decode  # noqa: E402
from translator.render import render_schema_human  # noqa: E402
from translator.targets import get_target, target_names  # noqa: E402
from translator.typemap import TypeMapper  # noqa: E402
from translator.workload import load_workload  # noqa: E402

#: identifiers that try to break out of every output language's quoting
HOSTILE = ("a\nb", "x'y", 'q"r', "c*/d", "e--f", "g//h", "`bt`", "s;t", "n\\u0", "é名", "x${y}", "<b>&", "\x07z")
_STATEMENT_END = re.compile(r";|^[ \t]*(?:GO|/)[ \t]*$", re.I | re.M)
_STARTS_TABLE = re.compile(r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNLOGGED\s+)?TABLE\b", re.I)


#: a MySQL `# comment` (not T-SQL's `#temp` table name)
_HASH_COMMENT = re.compile(r"#(?=\s|$)")


def _without_comments(text: str) -> str:
    """`text` with /* */, -- and # comments blanked, in one linear pass (a regex over huge comments backtracks)."""
    out, position = [], 0
    while True:
        hashes = (m.start() for m in _HASH_COMMENT.finditer(text, position))
        starts = [i for i in (text.find("/*", position), text.find("--", position), next(hashes, -1)) if i >= 0]
        if not starts:
            out.append(text[position:])
            return "".join(out)
        start = min(starts)
        out.append(text[position:start] + " ")
        if text.startswith("/*", start):
            end = text.find("*/", start + 2)
            position = len(text) if end < 0 else end + 2
        else:
            end = text.find("\n", start)
            position = len(text) if end < 0 else end


def count_create_tables(text: str) -> int:
    """Permanent CREATE TABLE statements: at the start of a statement (after a `;`, a GO or `/` line), outside
    comments. A CREATE TABLE inside an unfinished statement belongs to that statement, not a table of its own."""
    return sum(1 for piece in _STATEMENT_END.split(_without_comments(text)) if _STARTS_TABLE.match(piece))


class Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise Hang()


def _stop(_signum, _frame):
    raise KeyboardInterrupt()


def corpus_files() -> list[tuple[str, str, str]]:
    """(folder, name, text) of every corpus and sample .sql file."""
    out = []
    for path in sorted([*CORPUS.glob("*/*.sql"), *(ROOT / "samples").glob("**/*.sql")]):
        try:
            out.append((path.parent.name, path.name, decode(path.read_bytes(), str(path))))
        except PolyschemaError:
            continue
    return out


def _window(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    size = rng.choice((5, 20, 60, 150))
    creates = [n for n, line in enumerate(lines) if line.lstrip()[:6].upper() in ("CREATE", "ALTER ")]
    # mostly start at a DDL statement, so most inputs hold tables to lose
    start = rng.choice(creates) if creates and rng.random() < 0.8 else rng.randrange(max(1, len(lines) - size))
    return "\n".join(lines[start : start + size])


def mutate(rng: random.Random, files: list[tuple[str, str, str]]) -> tuple[str, str | None, str]:
    """(mutation name, folder hint, text)."""
    folder, _, text = rng.choice(files)
    text = _window(rng, text)
    kind = rng.choice(("truncate", "splice", "flip", "nest", "huge", "inject", "window"))
    if kind == "truncate" and text:
        text = text[: rng.randrange(len(text))]
    elif kind == "splice":
        other = _window(rng, rng.choice(files)[2])
        cut, cut2 = rng.randrange(len(text) + 1), rng.randrange(len(other) + 1)
        text = text[:cut] + other[cut2:]
    elif kind == "flip" and text:
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        text = data.decode("utf-8", errors="replace")
    elif kind == "nest":
        depth = rng.choice((30, 60, 200, 1000))
        column = f"n INT DEFAULT {'(' * depth}1{')' * depth}"
        text += f"\nCREATE TABLE nested_{depth} (id INT PRIMARY KEY, {column});\n"
    elif kind == "huge":
        size = rng.choice((10_000, 200_000, 1_000_000))
        filler = rng.choice((f"-- {'x' * size}", f"CREATE TABLE t{'x' * size} (id INT);", f"/* {'y' * size} */"))
        lines = text.split("\n")
        lines.insert(rng.randrange(len(lines) + 1), filler)
        text = "\n".join(lines)
    elif kind == "inject":
        words = sorted(set(re.findall(r"\b[a-z_][a-z_0-9]{2,}\b", text)))
        hostile = rng.choice(HOSTILE)
        if words:
            word = rng.choice(words)
            quoted = '"' + hostile.replace('"', '""') + '"'
            text = re.sub(rf"\b{word}\b", lambda _: quoted, text)
        text += f'\nCREATE TABLE "{hostile.replace(chr(34), chr(34) * 2)}" ("{hostile}" INT PRIMARY KEY);\n'
    if rng.random() < 0.3:
        folder = None
    return kind, folder, text


def run_one(text: str, folder: str | None, mapper: TypeMapper, counts: Counter[str]) -> tuple[int, int, int]:
    """(CREATE TABLE count, entities, accounted losses); raises on a crash or an ingest refusal."""
    # through the reader's own checks (binary content, NUL bytes), as a file given to the CLI goes
    source = SourceText("fuzz.sql", decode(text.encode("utf-8", errors="replace"), "fuzz.sql"), folder)
    schema = ingest_source_texts([source], mapper=mapper)
    schema.to_dict()
    render_schema_human(schema)
    accounted = sum(1 for d in schema.diagnostics if d.severity is Severity.ERROR or d.lost)
    if any(d.code == "no-tables" and d.severity is Severity.ERROR for d in schema.diagnostics):
        accounted = max(accounted, count_create_tables(source.text))  # "every table of this file" is lost, and said
    result = count_create_tables(source.text), len(schema.entities), accounted
    try:
        workload = load_workload(None, schema)
    except PolyschemaError:
        counts["no design (refused: no tables)"] += 1
        return result
    for name in target_names():
        target = get_target(name)
        try:
            design = target.design(schema, workload)
        except PolyschemaError:
            counts[f"{name} refused (exit 2)"] += 1
            continue
        for output_format in target.formats:
            target.render(design, output_format)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--time-limit", type=float, default=20.0, help="CPU seconds per input before it counts as a hang"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/polyschema-fuzz"))
    parser.add_argument("--start", type=int, default=0, help="first input index (to split a run across processes)")
    args = parser.parse_args()
    files = corpus_files()
    if not files:
        print(f"fuzz_ingest: no corpus at {CORPUS}", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGVTALRM, _alarm)
    mapper = TypeMapper.load()
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    started = time.perf_counter()
    # SIGTERM / Ctrl-C stop the run between inputs and still print what was counted so far
    signal.signal(signal.SIGTERM, _stop)
    done = 0
    try:
        done = _run(args, files, mapper, counts, kinds, refusals)
    except KeyboardInterrupt:
        done = sum(counts[k] for k in ("ok", "refused", "hang", "crash"))
        print(f"interrupted after {done} inputs", file=sys.stderr)
    elapsed = time.perf_counter() - started
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"inputs: {done} of {args.count} (seed {args.seed}, from index {args.start}) in {elapsed:.0f} s; "
        f"mutations: {dict(sorted(kinds.items()))}"
    )
    print(
        f"crashes: {counts['crash']}  hangs: {counts['hang']}  silent losses: {counts['silent loss']}  "
        f"ingest refused (exit 2): {counts['refused']}  read: {counts['ok']}  (files in {args.out})"
    )
    print(
        "other counts: "
        + ", ".join(
            f"{k}: {v}" for k, v in sorted(counts.items()) if k not in ("crash", "hang", "silent loss", "refused", "ok")
        )
    )
    print("most common refusals: " + "; ".join(f"{n} x {why!r}" for why, n in refusals.most_common(4)))
    return 1 if counts["crash"] or counts["hang"] else 0


def _run(args, files, mapper, counts: Counter[str], kinds: Counter[str], refusals: Counter[str]) -> int:
    """Run inputs `args.start` .. `args.start + args.count`; returns how many ran."""
    for index in range(args.start, args.start + args.count):
        rng = random.Random(f"{args.seed}:{index}")
        kind, folder, text = mutate(rng, files)
        kinds[kind] += 1
        signal.setitimer(signal.ITIMER_VIRTUAL, args.time_limit)
        try:
            creates, entities, accounted = run_one(text, folder, mapper, counts)
        except PolyschemaError as exc:
            counts["refused"] += 1
            refusals[re.sub(r"^[^:]*: |\d+", "", str(exc))[:50]] += 1
            continue
        except Hang:
            counts["hang"] += 1
            (args.out / f"hang-{index}.sql").write_text(text, encoding="utf-8", errors="replace")
            (args.out / f"hang-{index}.txt").write_text(f"folder={folder} kind={kind}\n", encoding="utf-8")
            continue
        except BaseException as exc:  # noqa: BLE001 - a crash is what this harness counts
            if isinstance(exc, KeyboardInterrupt):
                raise
            counts["crash"] += 1
            (args.out / f"crash-{index}.sql").write_text(text, encoding="utf-8", errors="replace")
            (args.out / f"crash-{index}.txt").write_text(
                f"folder={folder} kind={kind}\n{traceback.format_exc()}", encoding="utf-8"
            )
            continue
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        counts["ok"] += 1
        if creates > entities + accounted:
            counts["silent loss"] += 1
            (args.out / f"loss-{index}.sql").write_text(text, encoding="utf-8", errors="replace")
            (args.out / f"loss-{index}.txt").write_text(
                f"folder={folder} kind={kind} create_tables={creates} entities={entities} accounted={accounted}\n",
                encoding="utf-8",
            )
        if sys.stderr.isatty() and (index + 1) % 100 == 0:
            print(f"\r{index + 1 - args.start}/{args.count} {dict(counts)}", end="", file=sys.stderr)
    return args.count


if __name__ == "__main__":
    raise SystemExit(main())
