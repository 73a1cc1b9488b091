"""Run a GIL-releasing kernel over blocks of work on a pool of threads that take blocks as they come free.

numba's `prange` splits the work evenly between its threads up front; on a machine whose cores are
shared with other processes, one descheduled thread then holds up the whole call. Many small blocks
handed out by a thread pool let whichever thread is running take the next one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from simulator.errors import SimulatorError

__all__ = ["available_threads", "run_blocks"]


def available_threads() -> int:
    """CPUs this process may run on (all CPUs where the OS cannot say, e.g. macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_blocks(fn: Callable[[int], None], n_blocks: int) -> None:
    """Call `fn(b)` for b in 0..n_blocks-1, on up to `available_threads()` threads (in this one if 1)."""
    if n_blocks < 0:
        raise SimulatorError(f"n_blocks={n_blocks}: must be >= 0")
    workers = min(n_blocks, available_threads())
    if workers <= 1:
        for b in range(n_blocks):
            fn(b)
        return
    with ThreadPoolExecutor(workers) as pool:
        # list() re-raises the first exception a block raised
        list(pool.map(fn, range(n_blocks)))
