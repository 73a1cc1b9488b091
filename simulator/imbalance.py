"""The simulator's own imbalance alarm: the busiest unit's rows or requests over the mean, per store."""

from __future__ import annotations

from simulator.limits import limits
from simulator.metrics import Alarm, BalanceMetrics

__all__ = ["imbalance_threshold", "imbalance_alarms"]


def imbalance_threshold(store: str) -> float:
    """The store's max/mean alarm threshold (simulator/limits.toml [alarm.max_over_mean])."""
    return float(limits()["alarm"]["max_over_mean"][store.split("-")[0]])


def imbalance_alarms(store: str, rows: BalanceMetrics, ops: BalanceMetrics) -> tuple[Alarm, ...]:
    limit = imbalance_threshold(store)
    worst = max(rows.max_over_mean, ops.max_over_mean)
    if worst <= limit:
        return ()
    what = "rows" if rows.max_over_mean >= ops.max_over_mean else "requests"
    return (
        Alarm(
            f"{store.split('-')[0]}.imbalance",
            f"the busiest unit holds {worst:.2f}x the mean of {what} (alarm above {limit:g}); "
            "see the whale remedies (remedy_whales)",
            value=worst,
        ),
    )
