"""```figure blocks in lessons: a small spec becomes a picture at build time; a wrong spec is reported as
FILE:LINE: field: message and the lesson does not load."""

import base64
import re

import pytest
from figure_checks import changed_share, png_pixels

from playground.lessons import LessonError, load_lesson, render_html
from playground.lessons.figure_blocks import figure_html, figure_problems

HEADER = "---\ntitle: Figures\nsummary: A lesson with a figure.\nlevel: beginner\norder: 1\n---\n"


def _lesson(tmp_path, body):
    path = tmp_path / "lesson.md"
    path.write_text(HEADER + body)
    return path


def _pictures(markup):
    """The PNG bytes of every inline image in lesson HTML."""
    return [base64.b64decode(data) for data in re.findall(r'<img src="data:image/png;base64,([^"]+)"', markup)]


def test_a_figure_block_becomes_an_inline_png_the_sanitizer_keeps(tmp_path, artifacts):
    body = "Text.\n\n```figure\nkind: activations\nfunctions: [tanh, relu]\ncaption: Two of them\n```\n"
    markup = render_html(load_lesson(_lesson(tmp_path, body)))
    (picture,) = _pictures(markup)
    assert png_pixels(picture).shape[:2] == (420, 1000)
    assert 'alt="Two of them"' in markup and "<pre>" not in markup
    (artifacts / "lesson-activations.png").write_bytes(picture)


def test_other_fences_stay_code(tmp_path):
    markup = render_html(load_lesson(_lesson(tmp_path, "```python\nkind: activations\n```\n")))
    assert '<code class="language-python">kind: activations' in markup and "<img" not in markup


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("kind: dataset\ndataset: spiral\nnoise: 20\nseed: 3\nshow_test_data: true", "dataset-spiral"),
        ("kind: dataset\ndataset: reg-gauss", "dataset-regression"),
        ("kind: boundary\nsetup:\n  dataset: xor\n  hidden_layers: [4]\nepochs: 30\nsize: 600x500", "boundary-xor"),
        ("kind: network\nurl: 'https://x.org/sandbox.html?dataset=circle&hidden_layers=3'\nepochs: 20", "network"),
        ("kind: curves\nsetup: {dataset: moons}\nepochs: 10", "curves-moons"),
        ("kind: histograms\nepochs: 5", "histograms"),
        ("kind: activations\nfunctions: [leaky_relu, elu, swish]\nderivatives: false\nrange: [-3, 2]", "more"),
    ],
)
def test_every_kind_draws(spec, name, artifacts):
    assert figure_problems(spec) == []
    (picture,) = _pictures(figure_html(spec))
    assert png_pixels(picture).size
    (artifacts / f"lesson-{name}.png").write_bytes(picture)


def test_the_spec_decides_the_picture():
    untrained, trained = (_pictures(figure_html(f"kind: boundary\nepochs: {n}"))[0] for n in (0, 40))
    assert changed_share(untrained, trained) > 0.02


@pytest.mark.parametrize(
    ("spec", "line", "field", "message"),
    [
        ("kind: pie", 0, "figure.kind", "expected one of activations, dataset, network, boundary"),
        ("caption: no kind", 0, "figure.kind", "got None"),
        ("kind: [boundary]", 0, "figure.kind", "got ['boundary']"),
        ("kind: activations\nrange: [true, 2]", 1, "figure.range", "expected [low, high]"),
        ("kind: activations\nfunctions: [tanh, cosh]", 1, "figure.functions", "expected a list of activations"),
        ("kind: activations\nrange: [2, 1]", 1, "figure.range", "low < high"),
        ("kind: activations\nderivatives: maybe", 1, "figure.derivatives", "expected true or false"),
        ("kind: dataset\n\ndataset: pizza", 2, "figure.dataset", "valid options include"),
        ("kind: dataset\nnoise: 80", 1, "figure.noise", "must be at most 50"),
        ("kind: boundary\nsetup:\n  seed: 1\n  hidden_layers: [99]", 3, "figure.setup.hidden_layers", "from 1 to 16"),
        ("kind: boundary\nsetup:\n  colour: red", 2, "figure.setup.colour", "unknown setting"),
        ("kind: boundary\nurl: 'noise=500'", 1, "figure.url", "noise: cannot use '500'"),
        ("kind: boundary\nurl: x\nsetup: {}", 1, "figure.url", "either `setup` or `url`"),
        ("kind: network\nepochs: 100000", 1, "figure.epochs", "from 0 to 500"),
        ("kind: network\nsize: huge", 1, "figure.size", "WIDTHxHEIGHT"),
        ("kind: curves\nlabel: x", 1, "figure.label", "unknown for a curves figure"),
        ("kind: curves\ncaption: ''", 1, "figure.caption", "1 to 300 characters"),
        ("kind: [unclosed", 0, "figure", "not valid YAML"),
        ("just text", 0, "figure", "expected `name: value` lines"),
        ("a: &x [1]\nb: *x", 0, "figure", "anchors and aliases"),
    ],
)
def test_a_wrong_spec_names_its_line_field_and_what_to_write(spec, line, field, message):
    problems = figure_problems(spec)
    assert any(p[0] == line and p[1] == field and message in p[2] for p in problems), problems


def test_a_lesson_with_a_wrong_figure_does_not_load_and_says_where(tmp_path):
    body = "Text.\n\n```figure\nkind: boundary\nsetup:\n  dataset: pizza\nepochs: -1\n```\n"
    with pytest.raises(LessonError) as caught:
        load_lesson(_lesson(tmp_path, body))
    report = str(caught.value)
    assert f"{tmp_path / 'lesson.md'}:12: figure.setup.dataset:" in report
    assert f"{tmp_path / 'lesson.md'}:13: figure.epochs: expected a whole number of epochs" in report


def test_a_figure_that_cannot_be_drawn_says_why_in_the_page():
    assert "This figure cannot be drawn</strong>: figure.kind: expected one of" in figure_html("kind: pie")
