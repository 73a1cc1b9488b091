"""Synthetic tenants, row keys and traffic. Every function takes an explicit `numpy.random.Generator`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from simulator.errors import SimulatorError

__all__ = [
    "SkewSpec",
    "parse_skew",
    "tenant_weights",
    "weights_from_most_common",
    "split_counts",
    "ID_KINDS",
    "id_columns",
    "HotKeyBurst",
]

_SKEW_KINDS = ("zipf", "lognormal", "pareto", "uniform", "whales")


@dataclass(frozen=True)
class SkewSpec:
    """How tenant sizes (or per-tenant traffic) are distributed.

    zipf:s   rank k gets 1/k**s (s >= 0; 0 is uniform);  lognormal:sigma;  pareto:alpha (> 0);
    uniform;  whales:0.3,0.1  the first tenants own those shares, the rest share the remainder evenly.
    """

    kind: str
    params: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _SKEW_KINDS:
            raise SimulatorError(f"skew kind {self.kind!r} is unknown; use one of {', '.join(_SKEW_KINDS)}")

    def __str__(self) -> str:
        return self.kind + (":" + ",".join(f"{p:g}" for p in self.params) if self.params else "")


def parse_skew(text: str, argument: str = "--skew") -> SkewSpec:
    """Parse `zipf:1.1`, `lognormal:1.5`, `pareto:1.2`, `uniform` or `whales:0.3,0.2`; errors name `argument`."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.lower()
    example = "e.g. zipf:1.1, lognormal:1.5, pareto:1.2, uniform or whales:0.3,0.1"
    if kind not in _SKEW_KINDS:
        raise SimulatorError(f"{argument} {text!r}: unknown distribution {kind!r}; {example}")
    try:
        params = tuple(float(p) for p in rest.split(",")) if rest else ()
    except ValueError:
        raise SimulatorError(f"{argument} {text!r}: parameters must be numbers; {example}") from None
    if any(not math.isfinite(p) for p in params):
        raise SimulatorError(f"{argument} {text!r}: parameters must be finite; {example}")
    needs_one = {"zipf": "exponent s >= 0", "lognormal": "sigma >= 0", "pareto": "alpha > 0"}
    if kind in needs_one:
        if len(params) != 1:
            raise SimulatorError(f"{argument} {text!r}: {kind} takes one parameter, the {needs_one[kind]}")
        p = params[0]
        if p < 0 or (kind == "pareto" and p == 0):
            raise SimulatorError(f"{argument} {text!r}: the {needs_one[kind]} is required, e.g. {kind}:1.1")
    elif kind == "uniform" and params:
        raise SimulatorError(f"{argument} {text!r}: uniform takes no parameter; write 'uniform'")
    elif kind == "whales":
        if not params or any(p <= 0 for p in params) or sum(params) >= 1:
            raise SimulatorError(
                f"{argument} {text!r}: whales takes positive shares summing below 1, e.g. whales:0.3,0.1"
            )
    return SkewSpec(kind, params)


def tenant_weights(spec: SkewSpec, n_tenants: int, rng: np.random.Generator) -> np.ndarray:
    """Probabilities (sum 1) of `n_tenants` tenants, largest first for the rank-based kinds."""
    if n_tenants < 1:
        raise SimulatorError(f"n_tenants={n_tenants}: need at least one tenant")
    ranks = np.arange(1, n_tenants + 1, dtype=np.float64)
    if spec.kind == "zipf":
        w = ranks ** -spec.params[0]
    elif spec.kind == "lognormal":
        w = np.sort(rng.lognormal(0.0, spec.params[0], n_tenants))[::-1]
    elif spec.kind == "pareto":
        w = np.sort(rng.pareto(spec.params[0], n_tenants) + 1.0)[::-1]
    elif spec.kind == "uniform":
        w = np.ones(n_tenants)
    else:  # whales
        shares = np.array(spec.params[:n_tenants], dtype=np.float64)
        rest = n_tenants - shares.size
        if rest == 0:
            return shares / shares.sum()
        w = np.concatenate([shares, np.full(rest, (1.0 - shares.sum()) / rest)])
    return w / w.sum()


def weights_from_most_common(
    most_common: Sequence[tuple[object, float]], distinct: int | None, total: float | None = None
) -> np.ndarray:
    """Weights of every distinct value from `most_common` (value, frequency) pairs.

    Frequencies are counts when `total` is given (or when they sum above 1), otherwise shares. Values
    not listed share what is left evenly among the other `distinct - len(most_common)` values.
    """
    freqs = np.array([float(f) for _, f in most_common], dtype=np.float64)
    if freqs.size == 0:
        raise SimulatorError("most_common is empty: give at least one (value, frequency) pair")
    if (freqs < 0).any():
        raise SimulatorError("most_common: frequencies must be >= 0")
    if total is None:
        total = freqs.sum() if freqs.sum() > 1.0 else 1.0
    shares = freqs / total
    n = max(int(distinct or 0), freqs.size)
    rest = n - freqs.size
    left = max(0.0, 1.0 - shares.sum())
    if rest == 0 or left == 0.0:
        w = shares
    else:
        w = np.concatenate([shares, np.full(rest, left / rest)])
    return w / w.sum()


def split_counts(counts: np.ndarray, chunk: int, rng: np.random.Generator):
    """Yield per-chunk count vectors that add up exactly to `counts`, each summing to <= `chunk`.

    Every group keeps inserting at its own steady rate: a chunk takes each group's proportional
    share (floor), and the rows left over go to groups drawn by their fractional parts. Totals stay
    exact, so several keys simulated on the same seed see the very same data, at any scale
    (numpy's multivariate hypergeometric stops at 10**9 rows).
    """
    remaining = np.asarray(counts, dtype=np.int64).copy()
    left = int(remaining.sum())
    while left > 0:
        take = min(chunk, left)
        if take == left:
            part = remaining.copy()
        else:
            exact = remaining * (take / left)
            part = np.minimum(np.floor(exact).astype(np.int64), remaining)
            short = take - int(part.sum())
            if short > 0:
                frac = exact - part
                room = np.flatnonzero((frac > 0) & (part < remaining))
                pick = rng.choice(room, size=min(short, room.size), replace=False, p=frac[room] / frac[room].sum())
                part[pick] += 1
                short = take - int(part.sum())
                if short > 0:  # rounding left a few rows: take them from groups with rows to spare
                    spare = np.flatnonzero(part < remaining)[:short]
                    part[spare] += 1
        remaining -= part
        left -= int(part.sum())
        yield part


#: Row id kinds: how `id` values relate to insertion order.
ID_KINDS = ("serial", "uuid4", "objectid", "uuid7")


def id_columns(kind: str, row_index: np.ndarray, ts_ms: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """int64 columns holding the ids of rows inserted at `row_index` / `ts_ms`, big-endian order preserved.

    serial: one column, the insertion index.  uuid4: two columns (hi, lo) of random bits with the
    version/variant bits set.  uuid7: hi = 48-bit ms timestamp, version 7, random.  objectid: hi =
    4-byte seconds, 4 bytes of the process's random value; lo = its last random byte and a 3-byte counter.
    """
    n = row_index.shape[0]
    if kind == "serial":
        return [row_index.astype(np.int64, copy=False)]
    if kind == "uuid4":
        hi = rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64, endpoint=True)
        lo = rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64, endpoint=True)
        hi = (hi & ~np.int64(0xF000)) | np.int64(0x4000)
        lo = (lo & np.int64(0x3FFFFFFFFFFFFFFF)) | np.int64(-(2**63))
        return [hi, lo]
    if kind == "uuid7":
        rand = rng.integers(0, 1 << 12, n, dtype=np.int64)
        hi = (ts_ms.astype(np.int64) << np.int64(16)) | np.int64(0x7000) | rand
        lo = rng.integers(0, 1 << 62, n, dtype=np.int64) | np.int64(-(2**63))
        return [hi, lo]
    if kind == "objectid":
        seconds = ts_ms.astype(np.int64) // 1000
        # One client process: its 5 random bytes are fixed, the counter increments per insert.
        process = int(rng.integers(0, 1 << 40))
        hi = (seconds << np.int64(32)) | np.int64(process >> 8)
        lo = (np.int64(process & 0xFF) << np.int64(24)) | (row_index.astype(np.int64) & np.int64(0xFFFFFF))
        return [hi, lo]
    raise SimulatorError(f"--id-kind {kind!r} is unknown; use one of {', '.join(ID_KINDS)}")


@dataclass(frozen=True)
class HotKeyBurst:
    """A burst on one key: `share` of all reads hit the hottest tenant's first row for `seconds`."""

    share: float = 0.0
    seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise SimulatorError(f"--hot-key share={self.share}: must be within 0..1, e.g. 0.2")
        if self.seconds <= 0:
            raise SimulatorError(f"--hot-key seconds={self.seconds}: must be > 0, e.g. 60")
