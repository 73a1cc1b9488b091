"""No NaN or infinity ever reaches `simulate --format json`, whatever the (valid) arguments (issue 12)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.cli import main


def _no_constants(name: str):
    raise AssertionError(f"{name} in JSON output")


@settings(max_examples=25)
@given(
    store=st.sampled_from(["cassandra", "mongodb-hashed", "mongodb-range", "dynamodb", "citus"]),
    key=st.sampled_from(["tenant_id", "id", "tenant_id,id", "hashed(id)", "ts"]),
    tenants=st.integers(1, 40),
    rows=st.integers(1, 3000),
    skew=st.sampled_from(
        [
            "zipf:0",
            "zipf:100",
            "lognormal:100",
            "pareto:0.01",
            "pareto:1000",
            "uniform",
            "whales:0.999",
            "zipf:1.1+whales:0.3",
        ]
    ),
    reads=st.sampled_from(["0", "1e-300", "10000", "1e15"]),
    writes=st.sampled_from(["0", "1000", "1e15"]),
    extra=st.sampled_from([[], ["--grow", "2"], ["--remedy"], ["--hot-key", "1:0.001"], ["--row-bytes", "1"]]),
)
def test_json_output_is_always_finite(store, key, tenants, rows, skew, reads, writes, extra):
    args = [
        "simulate",
        "--store",
        store,
        "--key",
        key,
        "--tenants",
        str(tenants),
        "--rows",
        str(rows),
        "--skew",
        skew,
        "--reads-per-second",
        reads,
        "--writes-per-second",
        writes,
        "--format",
        "json",
        *extra,
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    json.loads(result.output, parse_constant=_no_constants)
