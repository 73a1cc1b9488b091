"""Bad input: a one-line message naming the pattern (library) and exit 2 without a traceback (CLI)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.cassandra.schema_builders import read, ref, sensor_schema, sensor_statistics
from tests.conftest import SAMPLES
from translator.cli import main
from translator.errors import DesignError, PolyschemaError
from translator.targets.cassandra import TARGET, parse_replication
from translator.workload.model import AccessPattern, Workload


def _design(*patterns: AccessPattern, **options):
    return TARGET.design(sensor_schema(), Workload(patterns, sensor_statistics()), **options)


def _left_out(design, pattern_id: str, message: str) -> None:
    """The pattern is left out with one error naming it; the design says it is partial (issue 11: one such
    pattern used to fail the whole design with exit 2)."""
    assert design.partial and [pid for pid, _ in design.unserved] == [pattern_id]
    (error,) = [d for d in design.diagnostics if d.code == "cassandra-unserved-pattern"]
    assert f"pattern {pattern_id}: {message}" in error.message and "\n" not in error.message
    with pytest.raises(KeyError, match=message):
        design.read(pattern_id)


SERVABLE = read("Q1", "measurements", equality=("sensor_id",), range_="ts")


def test_two_range_attributes_leave_the_pattern_out_naming_it():
    pattern = AccessPattern(id="Q9", entity="measurements", equality=(ref("measurements", "sensor_id"),),
                            range=(ref("measurements", "ts"), ref("measurements", "value")))  # type: ignore[arg-type]
    design = _design(SERVABLE, pattern)
    _left_out(design, "Q9", "2 range attributes")
    assert design.read("Q1").table in {t.name for t in design.tables}  # the rest is still designed


def test_order_by_after_range_on_another_column_is_left_out():
    design = _design(SERVABLE, read("Q8", "measurements", equality=("sensor_id",), range_="ts",
                                    order=(("value", "desc"),)))
    _left_out(design, "Q8", "order_by value cannot be served after a range on ts")
    assert design.read("Q1")


def test_unknown_attribute_names_pattern_and_attribute():
    with pytest.raises(DesignError, match=r"pattern Q7: unknown attribute measurements.speed"):
        _design(read("Q7", "measurements", equality=("speed",)))


def test_with_unrelated_entity():
    # networks is not reached from sensors' children by foreign keys to a parent (two hops to many rows).
    with pytest.raises(DesignError, match=r"pattern Q6: measurements in with is not related to networks"):
        _design(read("Q6", "networks", equality=("network_id",), with_=("measurements",)))


def test_with_grandparent_is_copied():
    # Changed by issue 11: measurements -> sensors -> networks used to be refused ("not related"); a
    # grandparent reached by foreign keys is now copied into the table, STATIC since sensor_id fixes it.
    design = _design(read("Q6", "measurements", equality=("sensor_id",), with_=("networks",)))
    table = design.table(design.read("Q6").table)
    copied = [c for c in table.columns if c.entity == "networks"]
    assert {c.attribute for c in copied} == {"network_id", "name", "region"}
    assert all(c.path == ("measurements_sensor_fk", "sensors_network_fk") for c in copied)
    assert {c.name for c in copied} <= set(table.static)


@pytest.mark.parametrize("text", ["dc1", "dc1:0", "dc1:3,", "dc1:3,dc1:2", "dc 1:3", ":3", "dc1:x"])
def test_bad_replication(text):
    with pytest.raises(PolyschemaError, match=r"^replication=.* is invalid|names data center"):
        parse_replication(text)


def test_replication_forms():
    assert parse_replication(None) == (("dc1", 3),)
    assert parse_replication(" DC1:3, DC2:2 ") == (("DC1", 3), ("DC2", 2))


def test_bad_keyspace():
    with pytest.raises(DesignError, match=r"keyspace='my shop' is invalid"):
        _design(read("Q1", "networks", order=(("name", "asc"),)), keyspace="my shop")


def _cli(tmp_path, workload_text: str | None, *extra: str):
    args = ["translate", str(SAMPLES / "ecommerce.sql"), "--to", "cassandra", *extra]
    if workload_text is not None:
        path = tmp_path / "w.yaml"
        path.write_text(workload_text)
        args += ["--workload", str(path)]
    return CliRunner().invoke(main, args)


def test_cli_bad_replication_exits_2(tmp_path):
    result = _cli(tmp_path, None, "--replication", "dc1=3")
    assert result.exit_code == 2 and "--replication 'dc1=3' is invalid" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("pattern, needle", [
    ("{id: QX, entity: orders, equality: [customer_id], range: [order_date, total]}", "access_patterns[0]"),
    ("{id: QZ, entity: orders, equality: [no_such_column]}", "no_such_column"),
])
def test_cli_bad_patterns_exit_2(tmp_path, pattern, needle):
    result = _cli(tmp_path, f"version: 1\naccess_patterns:\n  - {pattern}\n")
    assert result.exit_code == 2, result.output
    assert needle in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_unservable_pattern_is_a_partial_design_exit_1(tmp_path):
    # A valid pattern Cassandra cannot serve (an order after a range on another column) used to end the run
    # with exit 2; the design of the other patterns is printed, labelled partial, with the error.
    workload = (
        "version: 1\naccess_patterns:\n"
        "  - {id: QY, entity: orders, equality: [customer_id], range: [order_date], order_by: [total desc]}\n"
        "  - {id: QOK, entity: orders, equality: [customer_id], order_by: [order_date desc]}\n"
    )
    result = _cli(tmp_path, workload)
    assert result.exit_code == 1, result.output
    assert "PARTIAL: no table serves pattern(s) QY" in result.output
    assert "error[cassandra-unserved-pattern] pattern QY: order_by total cannot be served" in result.output
    assert "serves QOK" in result.output and "Traceback" not in result.output
