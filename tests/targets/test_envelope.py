"""Every target's design JSON has the same envelope and the same decision shape (docs/design-format.md)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES
from translator.sources import load_schema
from translator.targets import get_target, target_names
from translator.targets.record import FORMAT_VERSION
from translator.workload import load_workload

DECISION_KEYS = ["subject", "choice", "rule", "reason", "numbers", "assumed"]


def decisions_in(node: object):
    """Every decision record, wherever the target keeps it (top level, or per table or collection)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "decisions":
                yield from value
            else:
                yield from decisions_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from decisions_in(item)


@pytest.fixture(scope="module")
def sample() -> tuple:
    schema = load_schema([str(SAMPLES / "ecommerce.sql")])
    return schema, load_workload(str(SAMPLES / "ecommerce.workload.yaml"), schema)


@pytest.mark.parametrize("name", target_names())
def test_the_envelope_and_decisions_are_shared(name: str, sample: tuple) -> None:
    schema, workload = sample
    target = get_target(name)
    document = json.loads(target.render(target.design(schema, workload), "json"))
    keys = list(document)
    assert keys[:3] == ["target", "format_version", "assumed"] and keys[-1] == "diagnostics"
    assert document["target"] == name and document["format_version"] == FORMAT_VERSION
    assert isinstance(document["assumed"], list) and document["assumed"] == sorted(document["assumed"])
    decisions = list(decisions_in(document))
    assert decisions, "every design explains itself"
    for decision in decisions:
        assert list(decision) == DECISION_KEYS, decision
        assert all(isinstance(decision[k], str) and decision[k] for k in ("subject", "choice", "rule", "reason"))


@pytest.mark.parametrize("name", target_names())
def test_a_defaulted_workload_is_named_in_assumed(name: str, sample: tuple) -> None:
    schema, _ = sample
    target = get_target(name)
    document = target.design(schema, load_workload(None, schema)).to_dict()
    assert "workload" in document["assumed"]


@pytest.mark.parametrize("name", target_names())
def test_the_plan_summaries_are_plain_data(name: str, sample: tuple) -> None:
    schema, workload = sample
    target = get_target(name)
    design = target.design(schema, workload)
    serving = target.serving(design)
    assert {s.pattern for s in serving} == {p.id for p in workload.access_patterns}
    assert target.key_candidates(design) and target.size_checks(design)
    json.dumps(
        [x.to_dict() for x in (*serving, *target.key_candidates(design), *target.size_checks(design))], allow_nan=False
    )
    assert target.artifact is not None and target.artifact[1] in target.formats
