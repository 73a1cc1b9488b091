"""What the benchmark scripts share: the project on sys.path, the corpus location, one-shot and best-of timing."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

T = TypeVar("T")


#: wall time, or this process's CPU time (steadier when other processes share the cores)
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(func: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds one call of `func` takes; scripts interleave these calls across rounds themselves."""
    start = clock()
    func()
    return clock() - start


def best_of(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeat` runs (the least disturbed by other load) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result  # type: ignore[return-value]
