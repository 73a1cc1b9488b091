"""Synthetic tenants, row keys and traffic. Every function takes an explicit `numpy.random.Generator`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

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

    zipf:s   rank k gets 1/k**s (0 <= s <= 100; 0 is uniform);  lognormal:sigma (0..100);
    pareto:alpha (0.01..1000);  uniform;  whales:0.3,0.1  the first tenants own those shares, the rest
    share the remainder evenly.  `BASE+whales:0.3` puts whales on top of any other kind: the first
    tenants own those shares and the rest follow BASE over the remainder (e.g. zipf:1.1+whales:0.3).
    """

    kind: str
    params: tuple[float, ...] = ()
    whales: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _SKEW_KINDS:
            raise SimulatorError(f"unknown skew kind; use one of {', '.join(_SKEW_KINDS)}", "kind", self.kind)

    def __str__(self) -> str:
        text = self.kind + (":" + ",".join(f"{p:g}" for p in self.params) if self.params else "")
        return text + ("+whales:" + ",".join(f"{p:g}" for p in self.whales) if self.whales else "")


#: Parameter bounds per kind: (name, lowest, highest). Beyond them weights under- or overflow float64.
_BOUNDS = {"zipf": ("exponent s", 0.0, 100.0), "lognormal": ("sigma", 0.0, 100.0), "pareto": ("alpha", 0.01, 1000.0)}
_EXAMPLE = "e.g. zipf:1.1, lognormal:1.5, pareto:1.2, uniform, whales:0.3,0.1 or zipf:1.1+whales:0.3"


def _numbers(text: str, part: str, argument: str) -> tuple[float, ...]:
    try:
        params = tuple(float(p) for p in part.split(",")) if part else ()
    except ValueError:
        raise SimulatorError(f"parameters must be numbers; {_EXAMPLE}", argument, text) from None
    if any(not math.isfinite(p) for p in params):
        raise SimulatorError(f"parameters must be finite; {_EXAMPLE}", argument, text)
    return params


def _whale_shares(text: str, params: tuple[float, ...], argument: str) -> tuple[float, ...]:
    if not params or any(p <= 0 for p in params) or sum(params) >= 1:
        raise SimulatorError("whales takes positive shares summing below 1, e.g. whales:0.3,0.1", argument, text)
    return params


def parse_skew(text: str, argument: str = "skew") -> SkewSpec:
    """Parse `zipf:1.1`, `lognormal:1.5`, `pareto:1.2`, `uniform`, `whales:0.3,0.2` or `BASE+whales:0.3`.

    Errors name `argument` and the text.
    """
    base, plus, extra = text.strip().partition("+")
    whales: tuple[float, ...] = ()
    if plus:
        wkind, _, wrest = extra.strip().partition(":")
        if wkind.strip().lower() != "whales":
            raise SimulatorError(f"only '+whales:SHARES' may follow a distribution; {_EXAMPLE}", argument, text)
        whales = _whale_shares(text, _numbers(text, wrest, argument), argument)
    kind, _, rest = base.strip().partition(":")
    kind = kind.lower()
    if kind not in _SKEW_KINDS:
        raise SimulatorError(f"unknown distribution {kind!r}; {_EXAMPLE}", argument, text)
    params = _numbers(text, rest, argument)
    if kind in _BOUNDS:
        name, low, high = _BOUNDS[kind]
        if len(params) != 1:
            raise SimulatorError(f"{kind} takes one parameter, the {name}", argument, text)
        if not low <= params[0] <= high:
            raise SimulatorError(f"the {name} must be within {low:g}..{high:g}, e.g. {kind}:1.1", argument, text)
    elif kind == "uniform" and params:
        raise SimulatorError("uniform takes no parameter; write 'uniform'", argument, text)
    elif kind == "whales":
        if whales:
            raise SimulatorError(f"give whales once; {_EXAMPLE}", argument, text)
        params = _whale_shares(text, params, argument)
    return SkewSpec(kind, params, whales)


def tenant_weights(spec: SkewSpec, n_tenants: int, rng: np.random.Generator) -> np.ndarray:
    """Probabilities (sum 1) of `n_tenants` tenants, largest first for the rank-based kinds.

    Lognormal and Pareto weights are drawn in log space (the same random stream as numpy's
    `lognormal`/`pareto`), so no parameter within bounds overflows to inf or NaN.
    """
    if isinstance(n_tenants, bool) or not isinstance(n_tenants, (int, np.integer)) or n_tenants < 1:
        raise SimulatorError("need at least one tenant, e.g. 1000", "tenants", n_tenants)
    # More whale shares than tenants: the first n_tenants shares, renormalized.
    whales = (spec.params if spec.kind == "whales" else spec.whales)[:n_tenants]
    if len(whales) == n_tenants:
        w = np.array(whales, dtype=np.float64)
        return w / w.sum()
    n = n_tenants - len(whales)
    ranks = np.arange(1, n + 1, dtype=np.float64)
    if spec.kind == "zipf":
        w = ranks ** -spec.params[0]
    elif spec.kind == "lognormal":
        log_w = np.sort(rng.normal(0.0, spec.params[0], n))[::-1]
        w = np.exp(log_w - log_w[0])
    elif spec.kind == "pareto":
        log_w = np.sort(rng.standard_exponential(n) / spec.params[0])[::-1]
        w = np.exp(log_w - log_w[0])
    else:  # uniform, or the even remainder of `whales:`
        w = np.ones(n)
    w = w / w.sum()
    if whales:
        w = np.concatenate([np.array(whales, dtype=np.float64), w * (1.0 - sum(whales))])
    if not np.isfinite(w).all() or w.sum() <= 0:  # cannot happen within bounds; never hand NaN on
        raise SimulatorError("gives no finite tenant sizes; use a milder parameter", "skew", str(spec))
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
        # np.asarray (a no-op on these arrays) only for the type checker: numpy's stubs type these as scalars.
        hi = np.asarray(rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64, endpoint=True))
        lo = np.asarray(rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64, endpoint=True))
        hi = (hi & ~np.int64(0xF000)) | np.int64(0x4000)
        lo = (lo & np.int64(0x3FFFFFFFFFFFFFFF)) | np.int64(-(2**63))
        return [hi, lo]
    if kind == "uuid7":
        rand = rng.integers(0, 1 << 12, n, dtype=np.int64)
        hi = (ts_ms.astype(np.int64) << np.int64(16)) | np.int64(0x7000) | rand
        lo = np.asarray(rng.integers(0, 1 << 62, n, dtype=np.int64)) | np.int64(-(2**63))
        return [hi, lo]
    if kind == "objectid":
        seconds = ts_ms.astype(np.int64) // 1000
        # One client process: its 5 random bytes are fixed, the counter increments per insert.
        process = int(rng.integers(0, 1 << 40))
        hi = (seconds << np.int64(32)) | np.int64(process >> 8)
        lo = (np.int64(process & 0xFF) << np.int64(24)) | (row_index.astype(np.int64) & np.int64(0xFFFFFF))
        return [hi, lo]
    raise SimulatorError(f"unknown id kind; use one of {', '.join(ID_KINDS)}", "id_kind", kind)


@dataclass(frozen=True)
class HotKeyBurst:
    """A burst on one key: `share` of all reads hit the hottest tenant's first row for `seconds`."""

    share: float = 0.0
    seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise SimulatorError("must be within 0..1, e.g. 0.2", "burst_share", self.share)
        if not 0 < self.seconds < math.inf:
            raise SimulatorError("must be a finite number > 0, e.g. 60", "burst_seconds", self.seconds)
