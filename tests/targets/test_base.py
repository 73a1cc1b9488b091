"""The target registry's conventions: every declared format has its renderer; others are refused early."""

from __future__ import annotations

import pytest

from translator.errors import PolyschemaError
from translator.targets import get_target, target_names


@pytest.mark.parametrize("name", target_names())
def test_every_declared_format_has_a_renderer(name: str) -> None:
    target = get_target(name)
    for output_format in ("human", *target.formats):
        assert callable(getattr(target, f"render_{output_format.replace('-', '_')}", None)), output_format
        target.check_format(output_format)


@pytest.mark.parametrize("name", target_names())
def test_an_unoffered_format_is_a_one_line_domain_error_naming_the_choices(name: str) -> None:
    target = get_target(name)
    with pytest.raises(
        PolyschemaError, match=rf"^format 'yaml' is not offered by the {name} target; choose from human, json"
    ):
        target.check_format("yaml")
    with pytest.raises(PolyschemaError, match="is not offered"):
        target.render(None, "yaml")  # type: ignore[arg-type]  # refused before the design is looked at
