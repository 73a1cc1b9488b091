"""Balance metrics over per-shard loads, key characteristics, and the alarm record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

__all__ = ["Alarm", "BalanceMetrics", "balance", "lorenz", "KeyCharacteristics", "monotonicity"]


@dataclass(frozen=True)
class Alarm:
    """A store-specific problem found by the simulation (`code` is stable, `message` is for people)."""

    code: str
    message: str
    shard: int | None = None
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BalanceMetrics:
    """How evenly a load spreads over shards. All are 0 for a perfectly even spread."""

    max_over_mean: float
    cv: float
    gini: float
    skew_factor: float
    top_share: float
    largest_shares: tuple[float, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["largest_shares"] = list(self.largest_shares)
        return d


def balance(load: np.ndarray, top: int = 3) -> BalanceMetrics:
    """max/mean, coefficient of variation, Gini, skew factor and the largest shares of `load`.

    The skew factor follows Horticulture's scale (0 = uniform, 1 = everything on one shard); it is
    computed as the total-variation distance of the shares from uniform, divided by its maximum
    (1 - 1/n), which gives exactly those end points.
    """
    x = np.asarray(load, dtype=np.float64)
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return BalanceMetrics(0.0, 0.0, 0.0, 0.0, 0.0, ())
    mean = total / n
    shares = x / total
    srt = np.sort(x)
    # Gini from the sorted Lorenz curve: 1 - 2 * area under it.
    gini = float((2.0 * np.arange(1, n + 1) - n - 1).dot(srt) / (n * total))
    skew = float(np.abs(shares - 1.0 / n).sum() / (2.0 * (1.0 - 1.0 / n))) if n > 1 else 0.0
    largest = tuple(float(s) for s in np.sort(shares)[::-1][:top])
    return BalanceMetrics(
        max_over_mean=float(x.max() / mean),
        cv=float(x.std() / mean),
        gini=max(0.0, gini),
        skew_factor=skew,
        top_share=largest[0],
        largest_shares=largest,
    )


def lorenz(load: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve points (share of shards, share of load), starting at (0, 0)."""
    x = np.sort(np.asarray(load, dtype=np.float64))
    total = x.sum() or 1.0
    return np.linspace(0.0, 1.0, x.size + 1), np.concatenate([[0.0], np.cumsum(x) / total])


def monotonicity(key_order: np.ndarray, insertion_order: np.ndarray) -> float:
    """Pearson correlation of key rank and insertion order, like analyzeShardKey's monotonicity check."""
    if key_order.size < 2:
        return 0.0
    a = np.argsort(np.argsort(key_order, kind="stable"), kind="stable").astype(np.float64)
    b = insertion_order.astype(np.float64)
    if a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


@dataclass(frozen=True)
class KeyCharacteristics:
    """analyzeShardKey-style characteristics of a candidate key over the generated rows."""

    distinct_values: int
    most_common: tuple[tuple[str, int], ...]
    monotonicity_r: float
    monotonic: bool
    max_rows_per_value: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "distinct_values": self.distinct_values,
            "most_common": [{"value": v, "frequency": f} for v, f in self.most_common],
            "monotonicity": {"r": self.monotonicity_r, "type": "monotonic" if self.monotonic else "not monotonic"},
            "max_rows_per_value": self.max_rows_per_value,
        }
