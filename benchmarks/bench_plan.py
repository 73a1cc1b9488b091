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


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one `polyschema ...` process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from translator.cli import main; main()", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return elapsed, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--workload", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    workload = ["--workload", str(args.workload)] if args.workload else []
    out = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    best = {"translate": [float("inf")] * 2, "plan": [float("inf")] * 2}  # [wall, cpu]
    try:
        for _ in range(args.repeat):
            runs = [
                _run(["translate", str(args.file), "--to", name, "--format", "json", *workload])
                for name in target_names()
            ]
            translate = (sum(r[0] for r in runs), sum(r[1] for r in runs))
            plan = _run(["plan", str(args.file), *workload, "--out", str(out / "plan"), "--quiet"])
            for key, value in (("translate", translate), ("plan", plan)):
                best[key] = [min(a, b) for a, b in zip(best[key], value, strict=True)]
    finally:
        shutil.rmtree(out, ignore_errors=True)
    (t_wall, t_cpu), (p_wall, p_cpu) = best["translate"], best["plan"]
    n = len(target_names())
    print(f"schema: {args.file}")
    print(f"baseline: {n} translate runs               wall {t_wall:8.2f} s   cpu {t_cpu:8.2f} s")
    print(f"plan (designs + simulations + report)  wall {p_wall:8.2f} s   cpu {p_cpu:8.2f} s")
    print(
        f"ratio plan / translate x{n}: wall {p_wall / t_wall:.2f}, cpu {p_cpu / t_cpu:.2f}  (goal <= 1.0; "
        "the CPU ratio is the steadier on a busy machine)"
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak resident memory of any child process: {peak / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
