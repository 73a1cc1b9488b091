"""Workload files: the samples validate; every kind of mistake is named with its path, all at once."""

from __future__ import annotations

import click
import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import SAMPLES
from translator.errors import PolyschemaError, WorkloadError
from translator.ingest import ingest_sources
from translator.introspect import gather_statistics
from translator.workload import Direction, PatternKind, default_workload, load_workload, parse_workload
from translator.workload.loader import parse_statistics
from translator.workload.validate import InvalidWorkload


@pytest.fixture(scope="module")
def ecommerce():
    return ingest_sources([str(SAMPLES / "ecommerce.sql")], dialect="postgres")


@pytest.fixture(scope="module")
def saas():
    return ingest_sources([str(SAMPLES / "saas.sql")], dialect="postgres")


@pytest.mark.parametrize("name", ["ecommerce", "saas"])
def test_sample_workloads_validate(name, request):
    schema = request.getfixturevalue(name)
    path = SAMPLES / f"{name}.workload.yaml"
    raw = yaml.safe_load(path.read_text())
    workload = load_workload(path, schema)
    assert [p.id for p in workload.access_patterns] == [p["id"] for p in raw["access_patterns"]]
    keys = {e.key for e in schema.entities}
    for pattern in workload.access_patterns:
        assert pattern.entity in keys and set(pattern.with_) <= keys and not pattern.assumed
        for ref in pattern.equality + ((pattern.range,) if pattern.range else ()):
            assert ref.attribute in schema.entity(ref.entity).attribute_names
    assert set(workload.statistics.entities) <= keys
    assert len(workload.statistics.entities) == len(raw["statistics"]["entities"])
    assert len(workload.statistics.relationships) == len(raw["statistics"]["relationships"])
    assert workload.source == str(path)


def test_ecommerce_pattern_details(ecommerce):
    q2 = load_workload(SAMPLES / "ecommerce.workload.yaml", ecommerce).pattern("Q2")
    orders = ecommerce.entity("orders").key
    assert (q2.entity, q2.kind, q2.limit, q2.rate) == (orders, PatternKind.READ, 20, 500.0)
    assert [str(r) for r in q2.equality] == [f"{orders}.customer_id"]
    assert str(q2.range) == f"{orders}.order_date"
    assert [(str(t.attribute), t.direction) for t in q2.order_by] == [(f"{orders}.order_date", Direction.DESC)]


def _pattern(**fields):
    return {"version": 1, "access_patterns": [{"id": "Q1", "entity": "orders", **fields}]}


BAD = [
    (
        "unknown entity",
        _pattern(entity="ordrs"),
        "access_patterns[0].entity",
        "unknown entity 'ordrs'; did you mean 'orders'?",
    ),
    (
        "unknown attribute",
        _pattern(equality=["custmer_id"]),
        "access_patterns[0].equality[0]",
        "unknown attribute 'custmer_id' of entity 'orders'; did you mean 'customer_id'?",
    ),
    ("two ranges", _pattern(range=["order_date", "order_id"]), "access_patterns[0].range", "2 range attributes"),
    ("bad rate zero", _pattern(rate=0), "access_patterns[0].rate", "must be greater than 0"),
    ("bad rate text", _pattern(rate="fast"), "access_patterns[0].rate", "expected a number, got text 'fast'"),
    ("bad rate negative", _pattern(rate=-3), "access_patterns[0].rate", "must be greater than 0"),
    ("wrong type list", {"version": 1, "access_patterns": {"id": "Q1"}}, "access_patterns", "expected a list"),
    (
        "wrong type equality",
        _pattern(equality={"customer_id": 1}),
        "access_patterns[0].equality",
        "expected a list of names",
    ),
    ("wrong type limit", _pattern(limit="20"), "access_patterns[0].limit", "expected a number"),
    (
        "typo key",
        _pattern(equalty=["customer_id"]),
        "access_patterns[0].equalty",
        "unknown key 'equalty'; did you mean 'equality'?",
    ),
    ("unknown version", {"version": 2, "access_patterns": []}, "version", "unsupported version 2"),
    ("missing version", {"access_patterns": []}, "", "missing required key 'version'"),
    (
        "order_by syntax",
        _pattern(order_by=["order_date downward"]),
        "access_patterns[0].order_by[0]",
        "unknown attribute 'order_date downward'",
    ),
    (
        "order_by direction",
        _pattern(order_by=[{"attribute": "order_date", "direction": "up"}]),
        "access_patterns[0].order_by[0]",
        "neither asc nor desc",
    ),
    ("kind", _pattern(kind="reed"), "access_patterns[0].kind", "unknown kind 'reed'; did you mean 'read'?"),
    (
        "missing entity",
        {"version": 1, "access_patterns": [{"id": "Q1"}]},
        "access_patterns[0]",
        "missing required key 'entity'",
    ),
    (
        "stats unknown attr",
        {"version": 1, "statistics": {"attributes": {"orders.custmer_id": {"distinct": 3}}}},
        "statistics.attributes.orders.custmer_id",
        "did you mean 'customer_id'?",
    ),
    (
        "stats unknown entity",
        {"version": 1, "statistics": {"entities": {"order": {"rows": 3.0}}}},
        "statistics.entities.order",
        "unknown entity 'order'; did you mean 'orders'?",
    ),
    (
        "stats negative",
        {"version": 1, "statistics": {"entities": {"orders": {"rows": -1}}}},
        "statistics.entities.orders.rows",
        "must not be negative",
    ),
    (
        "stats p99 > max",
        {"version": 1, "statistics": {"relationships": {"order_items.order_id": {"avg": 4, "p99": 50, "max": 40}}}},
        "statistics.relationships.order_items.order_id",
        "p99 50 > max 40",
    ),
    (
        "stats not fk",
        {"version": 1, "statistics": {"relationships": {"orders.order_date": {"avg": 4}}}},
        "statistics.relationships.orders.order_date",
        "is not a foreign-key attribute",
    ),
    (
        "stats text number",
        {"version": 1, "statistics": {"entities": {"orders": {"rows": "many"}}}},
        "statistics.entities.orders.rows",
        "expected a number, got text 'many'",
    ),
    (
        "most_common freq",
        {"version": 1, "statistics": {"attributes": {"orders.customer_id": {"most_common": [[1, 1.5]]}}}},
        "statistics.attributes.orders.customer_id.most_common[0][1]",
        "between 0 and 1",
    ),
]


@pytest.mark.parametrize("label, data, path, message", BAD, ids=[b[0] for b in BAD])
def test_invalid_workload_names_problem_and_path(ecommerce, label, data, path, message):
    with pytest.raises(InvalidWorkload) as info:
        parse_workload(data, ecommerce, source="bad.yaml")
    err = info.value
    assert isinstance(err, WorkloadError) and isinstance(err, PolyschemaError)
    assert any(p.path == path and message in p.message for p in err.problems), err.problems
    assert "\n" not in str(err) and str(err).startswith("bad.yaml: ")


def test_duplicate_id_points_at_first_use(ecommerce):
    data = {"version": 1, "access_patterns": [{"id": "Q1", "entity": "orders"}, {"id": "Q1", "entity": "customers"}]}
    with pytest.raises(InvalidWorkload) as info:
        parse_workload(data, ecommerce)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("access_patterns[1].id", "duplicate id 'Q1' (first used by access_patterns[0])")
    ]


def test_every_problem_reported_at_once_with_lines(ecommerce, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\naccess_patterns:\n  - id: Q1\n    entity: orders\n    equality: [custmer_id]\n"
        "    rate: 0\n  - id: Q1\n    entity: ordrs\n"
    )
    with pytest.raises(InvalidWorkload) as info:
        load_workload(path, ecommerce)
    problems = info.value.problems
    assert [(p.path, p.line) for p in problems] == [
        ("access_patterns[0].equality[0]", 5),
        ("access_patterns[0].rate", 6),
        ("access_patterns[1].entity", 8),
        ("access_patterns[1].id", 7),
    ]
    assert str(info.value).startswith(f"{path}: 4 problems: access_patterns[0].equality[0] (line 5): unknown attribute")


def test_yaml_level_errors(ecommerce, tmp_path):
    dup = tmp_path / "dup.yaml"
    dup.write_text("version: 1\naccess_patterns:\n  - id: Q1\n    entity: orders\n    rate: 1\n    rate: 2\n")
    with pytest.raises(InvalidWorkload, match=r"access_patterns\[0\]\.rate \(line 6\): duplicate key 'rate'"):
        load_workload(dup, ecommerce)
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\naccess_patterns: [\n")
    with pytest.raises(InvalidWorkload, match=r"not valid YAML \(line 3"):
        load_workload(broken, ecommerce)
    with pytest.raises(InvalidWorkload, match="cannot read the workload file"):
        load_workload(tmp_path / "missing.yaml", ecommerce)


def test_qualified_and_with_resolution(ecommerce):
    data = _pattern(
        **{"with": ["order_items"], "equality": ["quantity", "orders.customer_id"], "order_by": ["order_date"]}
    )
    pattern = parse_workload(data, ecommerce).pattern("Q1")
    items = ecommerce.entity("order_items").key
    assert pattern.with_ == (items,)
    assert [str(r) for r in pattern.equality] == [f"{items}.quantity", f"{ecommerce.entity('orders').key}.customer_id"]


def test_statistics_only_file_keeps_assumed_patterns(ecommerce):
    workload = parse_workload({"version": 1, "statistics": {"entities": {"orders": {"rows": 10.0}}}}, ecommerce)
    assert workload.access_patterns and all(p.assumed for p in workload.access_patterns)
    assert workload.statistics.entities[ecommerce.entity("orders").key].rows == 10.0


def test_cli_maps_workload_error_to_exit_2(ecommerce, tmp_path):
    from translator.cli.common import handle_domain_errors

    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_pattern(entity="ordrs", rate=0)))

    @click.command()
    @click.argument("path")
    @handle_domain_errors
    def command(path):  # the way `translate --workload` calls the loader
        load_workload(path, ecommerce)

    result = CliRunner().invoke(command, [str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "2 problems" in lines[0] and "did you mean 'orders'?" in lines[0]


def test_yaml_11_exponent_text_is_a_number(ecommerce):
    # PyYAML reads 5.0e7 as text (YAML 1.1 wants 5.0e+7); the issue's own example writes it that way.
    data = yaml.safe_load("version: 1\nstatistics:\n  entities:\n    orders: {rows: 5.0e7}\n")
    assert data["statistics"]["entities"]["orders"]["rows"] == "5.0e7"
    stats = parse_workload(data, ecommerce).statistics
    assert stats.entities[ecommerce.entity("orders").key].rows == 5.0e7


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda bad: load_workload(None, bad), "load_workload"),
        (lambda bad: parse_workload({"version": 1}, bad), "parse_workload"),
        (lambda bad: parse_statistics({}, bad), "parse_statistics"),
        (default_workload, "default_workload"),
        (lambda bad: gather_statistics("sqlite:///x.db", bad), "gather_statistics"),
    ],
)
def test_a_schema_argument_that_is_not_a_schema_names_the_call(call, name):
    with pytest.raises(TypeError, match=rf"^{name}\(schema=\.\.\.\) needs a translator.ir.Schema, got dict$"):
        call({"entities": []})
