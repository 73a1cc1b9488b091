"""Human-readable lines for the parts of a result the CLI prints beyond the balance metrics."""

from __future__ import annotations

from typing import Any

__all__ = ["growth_lines", "remedy_lines"]


def growth_lines(grow: dict[str, Any] | None) -> list[str]:
    if not grow:
        return []
    if not grow.get("supported", True):
        return [f"  grow +{grow['added']}: {grow['note']}"]
    b = grow["balance_after"]
    return [
        f"  grow +{grow['added']} {grow['unit']}(s): {grow['moved_rows']:,} rows ({grow['moved_share']:.1%}, "
        f"{grow['moved_bytes'] / 2**20:,.1f} MiB) move, {grow['seconds']:,.1f} s at "
        f"{grow['throughput_mib_per_second']:g} MiB/s; after: max/mean {b['max_over_mean']:.2f}",
        f"    rule: {grow['rule']}",
    ]


def remedy_lines(remedy: dict[str, Any]) -> list[str]:
    lines = [f"{remedy['store']}  whales: {remedy['summary']}"]
    for w in remedy["whales"]:
        lines.append(
            f"  tenant {w['tenant']}: {w['share']:.1%} of rows, {w['reads_per_second']:,.0f} reads/s, "
            f"{w['writes_per_second']:,.0f} writes/s"
        )
    for step in remedy["remedy"]:
        lines.append(f"  remedy: {step}")
    before, after, limit = remedy["before"], remedy["after"], remedy["threshold"]
    lines.append(
        f"  before: rows max/mean {before['rows_max_over_mean']:.2f}, requests {before['ops_max_over_mean']:.2f}, "
        f"alarms {', '.join(before['alarms']) or 'none'}"
    )
    lines.append(
        f"  after:  rows max/mean {after['rows_max_over_mean']:.2f}, requests {after['ops_max_over_mean']:.2f}, "
        f"alarms {', '.join(after['alarms']) or 'none'}  (alarm above {limit:g}: "
        f"{'resolved' if remedy['resolved'] else 'NOT resolved'})"
    )
    for note in remedy.get("notes", []):
        lines.append(f"  note: {note}")
    return lines
