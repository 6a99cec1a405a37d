"""Lesson figures from a small spec: a ```figure block in a lesson's Markdown becomes a picture at build time.

    ```figure
    kind: activations          # activations | dataset | boundary | network | curves | histograms
    functions: [tanh, relu]    # activations: which (default tanh, relu, sigmoid); derivatives: true/false
    caption: What the picture shows (the image's alt text)
    ```

`dataset` takes `dataset`, `noise`, `seed` and `show_test_data`; the four views of a trained network take `setup`
(settings as in a lesson's setup or a playground URL) or `url` (a playground link), and `epochs` (default 100).
Every kind takes `size: WIDTHxHEIGHT` in pixels. `figure_problems` reports what is wrong with a spec, line by line;
`figure_html` renders it as an inline PNG (lesson HTML allows raster data images, not SVG).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from nn_core.layers import ACTIVATIONS
from playground.core.palette import CLASS_COLORS
from playground.core.query import query_of
from playground.figures.command import SANDBOX_VIEWS, trained_session
from playground.figures.sandbox import draw_points, sandbox_figure
from playground.figures.save import FigureError, check_size, render
from playground.sandbox.state import HIDDEN_ACTIVATIONS, PlaygroundState

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_EPOCHS = 500  # a lesson build trains every boundary figure: keep each one short
MAX_CAPTION = 300
COMMON = {"kind", "caption", "size"}
DATASET_SETTINGS = ("dataset", "noise", "seed", "show_test_data")
FIELDS = {
    "activations": {"functions", "derivatives", "range"},
    "dataset": set(DATASET_SETTINGS),
    **{view: {"setup", "url", "epochs"} for view in SANDBOX_VIEWS},
}
SIZES = {"activations": (1000, 420), "dataset": (700, 600)}
DEFAULT_CAPTIONS = {"activations": "Activation functions and their derivatives", "dataset": "The data set's points"}
LINE_STYLES = ["-", "--", "-.", ":"]  # with the colours, so lines stay apart in grey print


@dataclass(frozen=True)
class FigureSpec:
    """A checked figure block: its kind, alt text, pixel size and the kind's own settings."""

    kind: str
    caption: str
    size: tuple | None
    settings: dict


def figure_problems(text: str) -> list[tuple[int, str, str]]:
    """[(line in the block, field, message)] for everything wrong with a figure block's YAML `text`."""
    return _parse(text)[1]


def _parse(text):
    """(FigureSpec or None, problems) of a block's text."""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            return None, [(0, "figure", "anchors and aliases (& and *) are not allowed in a figure block")]
        values = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [(mark.line if mark else 0, "figure", f"not valid YAML: {getattr(error, 'problem', error)}")]
    if not isinstance(values, dict):
        return None, [(0, "figure", "expected `name: value` lines, starting with `kind: ...`")]
    lines = {}
    for key, value in node.value:  # "name" and "name.inner" (setup's settings) -> line in the block
        lines[key.value] = key.start_mark.line
        if isinstance(value, yaml.MappingNode):
            lines |= {f"{key.value}.{inner.value}": inner.start_mark.line for inner, _ in value.value}
    problems = []

    def report(field, message):
        problems.append((lines.get(field, lines.get(field.split(".")[0], 0)), f"figure.{field}", message))

    kind = values.get("kind")
    if not isinstance(kind, str) or kind not in FIELDS:
        report("kind", f"expected one of {', '.join(FIELDS)}, got {kind!r}")
        return None, problems
    for key in values.keys() - COMMON - FIELDS[kind]:
        report(str(key), f"unknown for a {kind} figure; it takes {', '.join(sorted(COMMON | FIELDS[kind]))}")
    caption = values.get("caption", DEFAULT_CAPTIONS.get(kind, f"The {kind} of a trained network"))
    if not isinstance(caption, str) or not 0 < len(caption.strip()) <= MAX_CAPTION:
        report("caption", f"expected the picture described in 1 to {MAX_CAPTION} characters")
    size = _size(values.get("size"), report)
    settings = {key: values[key] for key in FIELDS[kind] if key in values}
    checks = {"activations": _check_activations, "dataset": _check_dataset}
    checks.get(kind, _check_network)(settings, report)
    spec = FigureSpec(kind, str(caption), size, settings)
    return (None if problems else spec), problems


def _size(value, report):
    if value is None:
        return None
    try:
        width, height = (int(n) for n in str(value).lower().split("x"))
        check_size((width, height), 150)
    except (ValueError, FigureError):
        report("size", f"expected WIDTHxHEIGHT in pixels, each from 100 to 4000, got {value!r}")
        return None
    return width, height


def _check_activations(settings, report):
    functions = settings.setdefault("functions", ["tanh", "relu", "sigmoid"])
    if not isinstance(functions, list) or not functions or any(f not in HIDDEN_ACTIVATIONS for f in functions):
        report("functions", f"expected a list of activations from: {', '.join(HIDDEN_ACTIVATIONS)}; got {functions!r}")
    if not isinstance(settings.setdefault("derivatives", True), bool):
        report("derivatives", "expected true or false")
    low_high = settings.setdefault("range", [-4, 4])
    numbers = isinstance(low_high, list) and len(low_high) == 2 and all(type(v) in (int, float) for v in low_high)
    if not numbers or not low_high[0] < low_high[1]:
        report("range", f"expected [low, high] with low < high, e.g. [-4, 4]; got {low_high!r}")


def _check_dataset(settings, report):
    for name, message in _settings_state(settings)[1]:
        report(name, message)


def _settings_state(settings):
    """(a PlaygroundState with `settings`, [(name, message)] for those it cannot use), as a lesson's setup."""
    from playground.lessons.vocabularies import VOCABULARIES, apply_settings

    state = PlaygroundState()
    return state, apply_settings(state, settings, VOCABULARIES["sandbox"])


def _check_network(settings, report):
    if "setup" in settings and "url" in settings:
        report("url", "give either `setup` or `url`, not both")
    setup = settings.get("setup", {})
    if not isinstance(setup, dict):
        report("setup", "expected `name: value` settings, as in a lesson's setup")
    else:
        for name, message in _settings_state(setup)[1]:
            report(f"setup.{name}", message)
    if "url" in settings:
        if not isinstance(settings["url"], str):
            report("url", "expected a playground link or its query, e.g. 'dataset=xor&hidden_layers=4'")
        else:
            for notice in PlaygroundState.from_query(query_of(settings["url"]))[1]:
                report("url", notice)
    epochs = settings.setdefault("epochs", 100)
    if type(epochs) is not int or not 0 <= epochs <= MAX_EPOCHS:
        report("epochs", f"expected a whole number of epochs from 0 to {MAX_EPOCHS}, got {epochs!r}")


def draw_activations(
    figure: Figure, functions: Sequence[str], derivatives: bool, low_high: tuple[float, float]
) -> None:
    """Each activation (the engine's own layer) over [low, high], and its derivative (the layer's backward)."""
    x = np.linspace(*low_high, 401)[:, None]
    axes = figure.subplots(1, 2 if derivatives else 1, squeeze=False)[0]
    for k, name in enumerate(functions):
        layer = ACTIVATIONS[name]()
        y = layer.forward(x)
        style = {"color": CLASS_COLORS[k % len(CLASS_COLORS)], "ls": LINE_STYLES[k % len(LINE_STYLES)], "label": name}
        axes[0].plot(x[:, 0], y[:, 0], **style)
        if derivatives:
            axes[1].plot(x[:, 0], layer.backward(np.ones_like(y))[:, 0], **style)
    titles = ["activation f(x)", "derivative f′(x)"]
    for ax, title in zip(axes, titles, strict=False):
        ax.axhline(0, color="#bbbbbb", lw=0.8, zorder=0)
        ax.axvline(0, color="#bbbbbb", lw=0.8, zorder=0)
        ax.set(title=title, xlabel="x", xlim=low_high)
        ax.legend(frameon=False)


def draw_dataset(figure: Figure, settings: dict[str, Any]) -> None:
    """The points of a data set as the live output shows them (test points too with show_test_data)."""
    state = _settings_state(settings)[0]
    title = f"{state.dataset}, noise {state.noise}, seed {state.seed}"
    draw_points(figure.add_subplot(), state.make_data(), state, title)


def figure_png(spec: FigureSpec) -> bytes:
    """The PNG bytes of a checked FigureSpec (trains the network of the four trained views)."""
    settings = spec.settings
    if spec.kind == "activations":
        options = {key: settings[key] for key in ("functions", "derivatives")}
        draw = partial(draw_activations, **options, low_high=tuple(settings["range"]))
    elif spec.kind == "dataset":
        draw = partial(draw_dataset, settings=settings)
    else:
        setup = _settings_state(settings.get("setup", {}))[0]
        query = query_of(settings["url"]) if "url" in settings else setup.to_query()
        return sandbox_figure(spec.kind, trained_session(query, settings["epochs"]), "png", size=spec.size)
    return render(draw, "png", spec.size or SIZES[spec.kind])


@lru_cache(maxsize=64)
def figure_html(text: str) -> str:
    """A figure block as `<img src="data:image/png;base64,...">`, or a paragraph naming its problems."""
    spec, problems = _parse(text)
    if spec is None:
        listed = "; ".join(f"{field}: {message}" for _, field, message in problems)
        return f"<p><strong>This figure cannot be drawn</strong>: {html.escape(listed)}</p>\n"
    data = base64.b64encode(figure_png(spec)).decode("ascii")
    alt = html.escape(spec.caption, quote=True)
    return f'<p><img src="data:image/png;base64,{data}" alt="{alt}" title="{alt}"></p>\n'
