"""The helpers every target shares: per-kind type tables and unique names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.errors import MappingError
from translator.targets.common import check_kind_table, positive_number, unique_name
from translator.types import TypeKind

_KINDS = {k.value: "x" for k in TypeKind}


def test_a_table_naming_every_kind_passes() -> None:
    check_kind_table("f.toml", "types", _KINDS, "a type")


def test_an_unknown_kind_is_named_with_the_file_and_section() -> None:
    with pytest.raises(
        MappingError, match=r"^f\.toml: \[types\] names unknown canonical kinds \['money'\]; use one of"
    ):
        check_kind_table("f.toml", "types", {**_KINDS, "money": "x"}, "a type")


def test_a_missing_kind_is_named_with_what_it_lacks() -> None:
    table = {k: v for k, v in _KINDS.items() if k != "uuid"}
    with pytest.raises(MappingError, match=r"^f\.toml: \[types\] lacks a type for canonical kinds \['uuid'\]$"):
        check_kind_table("f.toml", "types", table, "a type")


@given(st.text(max_size=4), st.sets(st.text(max_size=8), max_size=20))
def test_unique_name_is_free_and_keeps_wanted_when_it_can(wanted: str, taken: set[str]) -> None:
    name = unique_name(wanted, taken)
    assert name not in taken
    assert name == wanted if wanted not in taken else name.startswith(f"{wanted}_")


@given(st.text(min_size=1, max_size=3), st.integers(min_value=1, max_value=30))
def test_unique_name_takes_the_lowest_free_suffix(wanted: str, clashes: int) -> None:
    taken = {wanted, *(f"{wanted}_{n}" for n in range(2, clashes + 1))}
    assert unique_name(wanted, taken) == f"{wanted}_{max(clashes + 1, 2)}"


@pytest.mark.parametrize("value", [0, -3, True, "7", None, 1.5])
def test_positive_integer_refuses_what_is_not_one(value: object) -> None:
    with pytest.raises(MappingError, match=r"^f\.toml: \[limits\] n = .* must be a positive integer$"):
        positive_number("f.toml", "limits", {"n": value}, "n", integer=True)


@given(st.integers(min_value=1) | st.floats(min_value=1e-9, allow_nan=False, allow_infinity=False))
def test_positive_number_returns_the_value_unchanged(value: float) -> None:
    assert positive_number("f.toml", "s", {"n": value}, "n") == value


def test_foreign_key_role_is_the_keys_own_attributes_less_what_does_not_tell_parents_apart():
    from translator.ingest import ingest_text
    from translator.targets.common import foreign_key_role, without_id_suffix

    schema = ingest_text(
        """
CREATE TABLE users (tenant_id int, user_id int, PRIMARY KEY (tenant_id, user_id));
CREATE TABLE issues (tenant_id int, issue_id int, reporter_id int, assigneeId int, paid int,
  PRIMARY KEY (tenant_id, issue_id),
  FOREIGN KEY (tenant_id, reporter_id) REFERENCES users (tenant_id, user_id),
  FOREIGN KEY (tenant_id, assigneeId) REFERENCES users (tenant_id, user_id),
  FOREIGN KEY (tenant_id, paid) REFERENCES users (tenant_id, user_id));
""",
        "postgres",
    )
    roles = sorted(foreign_key_role(schema, r) for r in schema.relationships_from("issues"))
    assert roles == ["assignee", "paid", "reporter"]  # the shared tenant_id is dropped; `paid` keeps its `id`
    [alone] = [r for r in schema.relationships_from("issues") if "reporter_id" in r.from_attributes]
    assert foreign_key_role(schema, alone, "reporter_id") == ""  # nothing left: the target names it
    assert [without_id_suffix(a) for a in ("origin_id", "ORIGIN_ID", "originId", "VALID")] == [
        "origin",
        "ORIGIN",
        "origin",
        "VALID",
    ]
