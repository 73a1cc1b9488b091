"""`polyschema plan` against the three `polyschema translate` runs it replaces, measured in the same run.

Baseline: `polyschema translate SOURCE --to T --format json` for each target in the registry, each its own
process as a user runs them (ingest three times, no simulation, no report). Ours: `polyschema plan SOURCE
--out TMP --quiet` (ingest once, the three designs, the simulations, capacity, report.html/.md/plan.json and
the apply scripts). Goal on musicbrainz (375 tables): ratio <= 1.0. Rounds are interleaved; best of N.
Also prints plan's peak memory (resident set of the child process).

    .venv/bin/python benchmarks/bench_plan.py [--file PATH] [--workload FILE] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import CORPUS, ROOT  # noqa: E402  (puts the project on sys.path)

from translator.targets import target_names  # noqa: E402

DEFAULT_FILE = CORPUS / "postgres" / "musicbrainz.sql"


def _run(argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from translator.cli import main; main()", *argv],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--workload", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    workload = ["--workload", str(args.workload)] if args.workload else []
    out = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    translate_best = plan_best = float("inf")
    try:
        for _ in range(args.repeat):
            translate = sum(_run(["translate", str(args.file), "--to", name, "--format", "json", *workload])
                            for name in target_names())
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            plan = _run(["plan", str(args.file), *workload, "--out", str(out / "plan"), "--quiet"])
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            translate_best, plan_best = min(translate_best, translate), min(plan_best, plan)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"schema: {args.file}")
    print(f"baseline: {len(target_names())} translate runs  {translate_best:8.2f} s")
    print(f"plan (designs + simulations + report)  {plan_best:8.2f} s")
    print(f"ratio plan / translate x{len(target_names())}: {plan_best / translate_best:.2f}  (goal <= 1.0)")
    print(f"peak resident memory of a child process so far: {max(before, peak) / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
