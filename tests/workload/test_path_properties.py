"""Generated path workloads read back to the same records after a YAML round trip."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.ir import Schema
from translator.strategies import path_workloads, schemas
from translator.workload import StatsView, parse_workload, workload_to_dict
from translator.workload.paths import hops_between

cases = schemas(min_entities=2, max_entities=5).flatmap(
    lambda s: st.tuples(st.just(s), path_workloads(s, statistics=True))
)


def _check_paths(schema: Schema, workload) -> None:
    for pattern in workload.access_patterns:
        assert len(pattern.paths) == len(pattern.with_)
        for path, end in zip(pattern.paths, pattern.with_, strict=True):
            assert path[0].source == pattern.entity and path[-1].target == end
            assert all(a.target == b.source for a, b in zip(path, path[1:], strict=False))
            assert all(h in hops_between(schema, h.source, h.target) for h in path)
        for ref in (
            *pattern.equality,
            *([pattern.range] if pattern.range else []),
            *(t.attribute for t in pattern.order_by),
        ):
            assert (ref.path[-1].target if ref.path else pattern.entity) == ref.entity
            assert schema.entity(ref.entity).find_attribute(ref.attribute) is not None


@settings(max_examples=40)
@given(cases)
def test_path_workloads_survive_the_file_form(case):
    schema, workload = case
    _check_paths(schema, workload)
    # the file form a user writes (pattern.to_dict: dotted paths, entity.attribute names) ...
    plain = yaml.safe_load(
        yaml.safe_dump({"version": 1, "access_patterns": [p.to_dict() for p in workload.access_patterns]})
    )
    assert parse_workload(plain, schema).access_patterns == workload.access_patterns
    # ... and the full dump, statistics included
    text = yaml.safe_dump(workload_to_dict(workload, schema), sort_keys=False)
    back = parse_workload(yaml.safe_load(text), schema)
    assert back.access_patterns == workload.access_patterns and back.statistics == workload.statistics
    view = StatsView(schema, workload.statistics)
    for pattern in workload.access_patterns:
        for path in pattern.paths:
            fan = view.path_fanout(path)
            assert fan.avg <= fan.max
