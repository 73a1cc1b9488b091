"""Numbers in mappings/dynamodb.toml are checked at load time and the ones in [naming] are the ones used."""

from __future__ import annotations

import dataclasses
import json

import pytest

from translator.diagnostics import DiagnosticSink
from translator.errors import MappingError
from translator.mapdata import load_mapping
from translator.targets.dynamodb.mapping import check_rules, rules
from translator.targets.dynamodb.naming import sanitize_table_name


def _data() -> dict:
    return json.loads(json.dumps(load_mapping("dynamodb.toml")))


@pytest.mark.parametrize(
    "section, key, value",
    [
        ("limits", "item_bytes", "400KB"),
        ("limits", "gsis_per_table", 0),
        ("limits", "partition_rcu", True),
        ("naming", "table_name_max", -1),
        ("key_encoding_defaults", "integer_width", 2.5),
    ],
)
def test_a_bad_number_is_a_one_line_mapping_error_naming_table_and_key(section: str, key: str, value: object) -> None:
    data = _data()
    data[section][key] = value
    with pytest.raises(
        MappingError, match=rf"^mappings/dynamodb\.toml: \[{section}\] {key} = .* must be a positive integer$"
    ):
        check_rules(data)


def test_a_missing_limit_the_design_reads_is_refused_at_load_time() -> None:
    data = _data()
    del data["limits"]["item_overhead_bytes"]
    with pytest.raises(MappingError, match=r"\[limits\] item_overhead_bytes = None must be a positive integer"):
        check_rules(data)


def test_a_negative_decimal_scale_is_refused() -> None:
    data = _data()
    data["key_encoding_defaults"]["decimal_scale"] = -1
    with pytest.raises(MappingError, match=r"decimal_scale = -1 must be an integer >= 0"):
        check_rules(data)


def test_renamed_table_names_respect_the_naming_bounds_of_the_mapping() -> None:
    shipped = rules()
    narrow = dataclasses.replace(shipped, naming={**shipped.naming, "table_name_max": 10, "table_name_min": 5})
    sink = DiagnosticSink()
    assert len(sanitize_table_name("a table name with spaces", narrow, sink, "table")) == 10
    assert sanitize_table_name("é", narrow, sink, "table") == "_____"
    assert len(sink) == 2
