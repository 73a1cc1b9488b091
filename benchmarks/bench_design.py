"""Design time per target against ingest time, with the default workload and with 50, 100 and 200 path patterns.

Schema: the largest corpus schema (most CREATE TABLE statements, then most bytes), or --file. Baseline:
ingesting it (`load_schema`), measured in the same run. For every target in the registry
(`translator.targets.target_names()`), design is timed with
- an empty workload (0 patterns: the fixed cost of the schema alone),
- the default workload (`default_workload`: a lookup per entity and per relationship),
- generated workloads of N read patterns along relationship paths of length 1..3 (benchmarks/_pathgen.py:
  a seeded numpy Generator; child and parent steps; equality, range and order_by on related entities).
Patterns a target refuses (a `DesignError` naming the pattern, or left out of a partial design) are
dropped, counted and shown; further generated candidates take their place, so each target is timed on N
patterns it accepts.

Goals (issue 11, Speed): design with the default workload and with 200 path patterns costs no more than
ingest (ratio <= 1.0); design time grows at most linearly with patterns x path length: the time above the
empty workload's, from N = 50 to 200, grows by at most the growth of patterns x length times 1 + --margin
(taken within each round; the median round decides). Rounds are interleaved (a load spike hits every case
of a round alike); each case's time is its best round, in CPU seconds by default. docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_design.py [--corpus DIR | --file PATH] [--repeat N] [--target NAME]...
        [--seed N] [--margin F] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from _pathgen import path_workload  # noqa: E402
from _timing import CLOCKS, CORPUS, ROOT, timed  # noqa: E402  (puts the project on sys.path)

from translator.errors import DesignError  # noqa: E402
from translator.ir import Schema  # noqa: E402
from translator.sources import load_schema  # noqa: E402
from translator.targets import get_target, target_names  # noqa: E402
from translator.targets.base import Target  # noqa: E402
from translator.workload import AccessPattern, Workload, default_workload  # noqa: E402

COUNTS = (50, 100, 200)
POOL = 3  # candidates generated per pattern wanted, so refused ones can be replaced
_CREATE_TABLE = re.compile(rb"\bcreate\s+(?:\w+\s+)*?table\b", re.IGNORECASE)


def largest_corpus_file(corpus: Path) -> Path | None:
    """The corpus file with the most CREATE TABLE statements (then the most bytes): the largest schema."""
    files = sorted(corpus.glob("*/*.sql"))  # the files tests/conftest.py's corpus_files() finds
    return max(files, key=lambda p: (len(_CREATE_TABLE.findall(p.read_bytes())), p.stat().st_size), default=None)


@dataclass
class Case:
    label: str
    workload: Workload
    units: int = 0  # patterns x path length, summed (0 for the empty and default workloads)
    times: list[float] = field(default_factory=list)  # one per round

    @property
    def best(self) -> float:
        return min(self.times)


@dataclass
class TargetRun:
    target: Target
    cases: list[Case] = field(default_factory=list)
    #: reason (names masked) -> patterns; a DesignError is a refusal, any other exception a crash (a target
    #: bug the benchmark shows instead of stopping on)
    refused: Counter[str] = field(default_factory=Counter)
    crashed: Counter[str] = field(default_factory=Counter)
    dropped: set[str] = field(default_factory=set)


def accepted_patterns(run: TargetRun, schema: Schema, pool: list[AccessPattern], wanted: int) -> list[AccessPattern]:
    """The first `wanted` candidates of `pool` the target designs together without refusing one of them."""
    rest = [p for p in pool if p.id not in run.dropped]
    taken, rest = rest[:wanted], rest[wanted:]
    while True:
        try:
            design = run.target.design(schema, Workload(tuple(taken)))
            # A target that leaves a pattern out of a partial design (Cassandra's `unserved`) refuses it too.
            left_out = dict(getattr(design, "unserved", ()))
            if not left_out:
                return taken
            for pattern_id, why in left_out.items():
                run.refused[_generic(why, schema)] += 1
                run.dropped.add(pattern_id)
            taken = [p for p in taken if p.id not in left_out]
            while rest and len(taken) < wanted:
                taken.append(rest.pop(0))
            continue
        except Exception as error:  # a crash is counted and shown, like a refusal
            text = f"{type(error).__name__}: {error}"
            named = [p for p in taken if re.search(rf"\b{re.escape(p.id)}\b", text)]
            if not named:
                raise  # a failure that names no pattern is not a pattern's: show it
            taken.remove(named[0])
            run.dropped.add(named[0].id)
            if isinstance(error, DesignError):
                run.refused[_generic(str(error), schema)] += 1
            else:
                where = traceback.extract_tb(error.__traceback__)[-1]
                place = f"{where.filename.removeprefix(f'{ROOT}/')}:{where.lineno}"
                run.crashed[f"{type(error).__name__} in {where.name} ({place}), e.g. {named[0].id}"] += 1
            if rest:
                taken.append(rest.pop(0))


def _generic(message: str, schema: Schema) -> str:
    """A refusal's reason with the names in it (patterns, entities, attributes) masked, so alike refusals
    count together."""
    names = {e.name for e in schema.entities} | {a.name for e in schema.entities for a in e.attributes}
    masked = _WORD.sub(lambda m: "_" if m[0] in names or _ID.fullmatch(m[0]) else m[0], message)
    return re.sub(r"_(?:[.>-]+_)+", "_", masked)[:200]  # a chain of masked names (a.b, a->b -> c->d) is one


_WORD = re.compile(r"\b[A-Za-z_]\w*\b")
_ID = re.compile(r"path\d+")  # the generated patterns' ids (benchmarks/_pathgen.py)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None, help="schema file (default: the largest corpus schema)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"corpus folder (default: {CORPUS})")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--margin", type=float, default=0.25, help="slack over linear growth (0.25: 25%%)")
    parser.add_argument("--target", action="append", choices=target_names(), help="only these (default: all)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="cpu (steadier on a shared machine)")
    args = parser.parse_args()
    path = args.file or (largest_corpus_file(args.corpus) if args.corpus.is_dir() else None)
    if path is None or not path.is_file():
        print(f"bench_design: skipped: no schema file ({args.file or f'no corpus at {args.corpus}'}; pass --corpus "
              "or --file)", file=sys.stderr)
        return 0

    schema = load_schema([str(path)])  # warm-up: imports, type rules
    generated = path_workload(schema, max(COUNTS) * POOL, seed=args.seed)
    lengths = {p.id: n for p, n in zip(generated.workload.access_patterns, generated.lengths, strict=True)}
    runs = []
    for name in args.target or target_names():
        run = TargetRun(get_target(name))
        run.cases = [Case("empty workload", Workload(())), Case("default workload", default_workload(schema))]
        for n in COUNTS:
            chosen = tuple(accepted_patterns(run, schema, list(generated.workload.access_patterns), n))
            run.cases.append(Case(f"{len(chosen)} path patterns", Workload(chosen), sum(lengths[p.id] for p in chosen)))
        runs.append(run)

    clock = CLOCKS[args.clock]
    ingest = []
    for _ in range(args.repeat):
        ingest.append(timed(lambda: load_schema([str(path)]), clock))
        for run in runs:
            for case in run.cases:
                case.times.append(timed(lambda: run.target.design(schema, case.workload), clock))  # noqa: B023

    print(f"schema: {path} ({len(schema.entities)} entities, {len(schema.relationships)} relationships)")
    print(
        f"path patterns: seed {args.seed}, {len(generated.workload.access_patterns)} candidates "
        f"({generated.child_steps} steps to children, {generated.parent_steps} to parents; "
        f"{len(generated.refused)} refused by the workload loader)"
    )
    print(f"{args.clock} seconds, best of {args.repeat} interleaved rounds; ingest (baseline): {min(ingest):.3f} s")
    verdicts = [_report(run, min(ingest), args.margin) for run in runs]
    print(f"\noverall: {'OK' if all(verdicts) else 'OVER GOAL'}")
    return 0


def _report(run: TargetRun, ingest: float, margin: float) -> bool:
    print(f"\n{run.target.name}:")
    empty = run.cases[0]
    for case in run.cases:
        line = f"  {case.label:<20} {case.best:7.3f} s  design/ingest {case.best / ingest:5.2f}"
        if case.units:
            line += (
                f"  {case.units:4} pattern-steps: {case.best / case.units * 1e3:5.2f} ms each, "
                f"{max(case.best - empty.best, 0.0) / case.units * 1e3:5.2f} above the empty workload's"
            )
        print(line)
    for what, tally in (("refused (DesignError or left out)", run.refused), ("crashed (a target bug)", run.crashed)):
        print(f"  {what}: {sum(tally.values())} generated patterns" + (":" if tally else ""))
        for reason, count in tally.most_common(6):
            print(f"    {count} x {reason}")
    small, large = run.cases[2], run.cases[-1]
    # Per round, so that both ends of the ratio saw the same load; the median round decides.
    growths = sorted(
        (big - zero) / max(little - zero, 1e-9)
        for zero, little, big in zip(empty.times, small.times, large.times, strict=True)
    )
    growth = growths[len(growths) // 2]
    bound = large.units / small.units * (1 + margin)
    linear = growth <= bound
    within = all(c.best <= ingest for c in (run.cases[1], large))
    print(
        f"  growth {small.label} -> {large.label}: pattern-steps x{large.units / small.units:.2f}, time above the "
        f"empty workload's x{growth:.2f} (median round; bound x{bound:.2f}) -> "
        f"{'within linear' if linear else 'SUPER-LINEAR'}"
    )
    print(f"  default workload and {large.label}: design/ingest <= 1.0 -> {'OK' if within else 'OVER GOAL'}")
    return linear and within


if __name__ == "__main__":
    raise SystemExit(main())
