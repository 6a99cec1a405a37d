"""docs/lessons.md lists every setting a lesson may give, with the values its registry accepts."""

from pathlib import Path

import param
import pytest

from playground.lessons.vocabularies import VOCABULARIES

DOCS = (Path(__file__).parents[2] / "docs" / "lessons.md").read_text()


def written(value):
    """A value as the docs write it (as a lesson's YAML takes it: 0.00001, not 1e-05)."""
    text = f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return f"`{text}`"


@pytest.mark.parametrize("page", VOCABULARIES)
def test_every_setting_has_a_row_with_its_allowed_values(page):
    vocabulary = VOCABULARIES[page]
    text = DOCS.split("**MNIST lessons**")[page == "mnist"]  # the sandbox's table comes first
    for name in vocabulary.settings:
        rows = [line for line in text.splitlines() if line.startswith(f"| `{name}` | ")]
        assert rows, f"docs/lessons.md has no row for {page}'s setting {name!r}"
        parameter = vocabulary.state_class.param[name]
        if isinstance(parameter, param.Selector | param.ListSelector):
            assert all(written(value) in rows[0] for value in parameter.objects), rows[0]
        elif isinstance(parameter, param.Integer):
            assert f"from {parameter.bounds[0]} to {parameter.bounds[1]}" in rows[0], rows[0]
