"""Decisions about relationships as the shared `targets.record.Decision`: the relationship (or junction)
name is the subject, `parent` and `child` lead the numbers, nested inputs are flattened."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from translator.targets.record import Decision, Number

__all__ = ["make_decision", "numbers_of"]


def _flatten(inputs: Mapping[str, Any]) -> list[tuple[str, Number]]:
    """The rule's inputs as record numbers: nested figures get a prefix, lists of pattern ids are joined."""
    out: list[tuple[str, Number]] = []
    for key, value in inputs.items():
        if isinstance(value, Mapping):
            out += [(f"{key}_{k}", v) for k, v in _flatten(value)]
        elif isinstance(value, (list, tuple)):
            out.append((key, ", ".join(map(str, value))))
        else:
            out.append((key, value))
    return out


def make_decision(
    subject: str,
    choice: str,
    rule: str,
    reason: str,
    inputs: Mapping[str, Any],
    assumed: Any = (),
    *,
    parent: str | None,
    child: str | None,
) -> Decision:
    """A record.Decision about a relationship or junction: `parent`/`child` lead its numbers."""
    numbers = [("parent", parent), ("child", child), *_flatten(inputs)]
    return Decision(subject, choice, rule, reason, tuple(numbers), tuple(dict.fromkeys(assumed)))


def numbers_of(decision: Decision) -> dict[str, Number]:
    return dict(decision.numbers)
