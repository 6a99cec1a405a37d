"""What a lesson may name, per page: its settings (a param registry), its views and the metrics its checks read,
with the session that trains those settings and the function that measures it, and what `lesson check` needs to know
of the page beyond its registry: which controls move other settings, which metrics the settings alone decide, and
what the page's own checks refuse (the MNIST lab's editor: a stack it cannot build).

The sandbox's vocabulary is the playground's one registry, `PlaygroundState`, and the sandbox app's views; the
MNIST lab's is its registry, `MnistState`, and the lab's views.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import param

from playground.core.query import refusal_reason
from playground.lessons.metrics import SANDBOX_METRICS, SHAPE_SOURCES, lesson_metrics, state_metrics
from playground.lessons.mnist_metrics import MNIST_METRICS, STACK_SOURCES, mnist_metrics, mnist_state_metrics
from playground.lessons.suggest import did_you_mean
from playground.mnist.architecture import summarize
from playground.mnist.session import MnistSession
from playground.mnist.state import SETTINGS as MNIST_SETTINGS
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import SETTINGS, PlaygroundState

# A lesson's view names -> the attribute of the page's app holding that view.
GLASS_BOX_VIEWS = {"code": "code_view", "own-layer": "own_layer_view"}  # both pages have them
SANDBOX_VIEWS = {
    "controls": "top",
    "status": "status",
    "data": "data",
    "network": "network",
    "output": "output",
    **GLASS_BOX_VIEWS,
    "landscape": "landscape_view",
    "doctor": "doctor_view",
    "weights": "weights_view",
}
# The views of a lesson that does not list its own: the playground (the glass box is placed with `::: view NAME`).
SANDBOX_PLAYGROUND = ("controls", "status", "data", "network", "output")
MNIST_VIEWS = {
    "controls": "bar",
    "status": "status",
    "editor": "editor",
    "blocks": "blocks",
    "curves": "curves",
    "drawing": "drawing",
    "saliency": "attribution",
    "activations": "activations",
    "filters": "filters",
    "weights": "weights",
    "confusion": "confusion",
    "gallery": "gallery",
    "projection": "projection",
    "activation-rows": "rows",
    "top-digits": "top_digits",
    "maximization": "maximization",
    **GLASS_BOX_VIEWS,
}
# The views of an MNIST lesson that lists none: all but the glass box's (placed with `::: view NAME`).
MNIST_PLAYGROUND = tuple(name for name in MNIST_VIEWS if name not in GLASS_BOX_VIEWS)
# Settings whose controls also change others: {setting: the settings it moves}. The sandbox's problem menu picks a
# dataset of that kind and a dataset sets its problem (PlaygroundState's watchers); removing a hidden layer removes
# its activation menu's entry. The lab's preset menu replaces the stack.
SANDBOX_MOVES = {"problem": ("dataset",), "dataset": ("problem",), "hidden_layers": ("layer_activations",)}
MNIST_MOVES = {"preset": ("layers",)}
# Where each setting's control is: {view: the settings its controls change}; a setting whose control is in no view
# the lesson shows stays as set up, as if hidden (tests/lessons/test_controls_in_views.py reads the pages' own
# widgets to check these). The MNIST lab's seed has no control at all.
SANDBOX_CONTROLS = {
    "controls": (
        "learning_rate",
        "activation",
        "regularization",
        "regularization_rate",
        "problem",
        "optimizer",
        "loss",
    ),
    "data": ("dataset", "noise", "train_percent", "batch_size", "features", "seed"),
    "network": ("hidden_layers", "layer_activations", "keep_weights", "network_shows"),
    "output": ("show_test_data", "discretize", "dataset"),  # importing points makes a data set of them
}
MNIST_CONTROLS = {
    "controls": ("learning_rate", "optimizer", "batch_size"),
    "editor": ("preset", "layers", "input_size"),
}
# Settings whose controls edit the session rather than set the state: {setting: edit(session, value)}. The sandbox
# diagram's layer and neuron buttons keep the trained weights (keep_weights), where a new value of the setting builds
# a fresh network.
SANDBOX_EDITS = {"hidden_layers": Session.reshape}


def no_problems(state: PlaygroundState) -> list:
    """The sandbox builds every combination of settings its registry accepts."""
    return []


def stack_problems(state: MnistState) -> list[tuple[tuple, str]]:
    """[((setting, index), message)] for a layer stack the MNIST lab cannot build, in the words of its editor
    (`architecture.summarize`), at the layer where it fails (the last one when it gives the wrong scores)."""
    summary = summarize(state.layers, state.input_size)
    if not summary.error:
        return []
    layer = min(len(summary.rows) - 1, len(state.layers) - 1)  # rows: the input, then each layer that fits
    return [(("layers", max(layer, 0)), f"the MNIST lab cannot build this stack: {summary.error}")]


@dataclass(frozen=True)
class Vocabulary:
    """The names a lesson on `page` may use; `state_class()` validates and holds its settings, `session_class`
    trains them and `measure(session, names)` gives the metrics' values."""

    page: str
    state_class: type
    settings: tuple  # settable names, in the order they are applied
    views: dict  # {view name: attribute of the page's app}
    default_views: tuple  # the views of a lesson that lists none
    metrics: dict  # {name: Metric}
    session_class: type
    measure: Callable
    moves: dict  # {setting: the other settings its control changes}
    controls: dict  # {view: the settings whose controls it shows}
    sources: dict  # {metric the settings alone decide: those settings}, beyond each setting's own metric
    state_metrics: Callable  # state -> {metric: value} of those metrics and the settings'
    problems: Callable  # state -> [(path in the settings, message)] for what the page cannot build
    edits: Mapping = field(default_factory=dict)  # {setting: edit(session, value)} where its control edits the session


VOCABULARIES = {
    "sandbox": Vocabulary(
        "sandbox",
        PlaygroundState,
        tuple(SETTINGS),
        SANDBOX_VIEWS,
        SANDBOX_PLAYGROUND,
        SANDBOX_METRICS,
        Session,
        lesson_metrics,
        SANDBOX_MOVES,
        SANDBOX_CONTROLS,
        SHAPE_SOURCES,
        state_metrics,
        no_problems,
        SANDBOX_EDITS,
    ),
    "mnist": Vocabulary(
        "mnist",
        MnistState,
        tuple(MNIST_SETTINGS),
        MNIST_VIEWS,
        MNIST_PLAYGROUND,
        MNIST_METRICS,
        MnistSession,
        mnist_metrics,
        MNIST_MOVES,
        MNIST_CONTROLS,
        STACK_SOURCES,
        mnist_state_metrics,
        stack_problems,
    ),
}


def apply_settings(
    state: PlaygroundState | MnistState, settings: Mapping[str, Any], vocabulary: Vocabulary
) -> list[tuple[str, str]]:
    """Sets `settings` on `state` in registry order; returns [(name, message)] for what cannot be used."""
    listed = ", ".join(vocabulary.settings)
    problems = [
        (name, f"unknown setting{did_you_mean(name, vocabulary.settings)}; the settings are: {listed}")
        for name in settings
        if name not in vocabulary.settings
    ]
    given = [name for name in vocabulary.settings if name in settings]
    for name in given:
        try:
            setattr(state, name, settings[name])
        except (ValueError, TypeError) as error:
            problems.append((name, _refusal(state.param[name], settings[name], error)))
    for name in given:  # a later setting may have overridden an earlier one (the dataset sets the problem)
        if getattr(state, name) != settings[name] and not any(key == name for key, _ in problems):
            problems.append((name, f"is {getattr(state, name)!r} with the other settings, not {settings[name]!r}"))
    return problems


def _refusal(parameter: param.Parameter, value: Any, error: Exception) -> str:
    """Why `value` cannot be set, in the author's words: a list setting given one value shows a list."""
    if isinstance(parameter, param.List) and not isinstance(value, list):
        doc = parameter.doc.rstrip(".")
        example = f", e.g. {parameter.default}" if parameter.default and len(str(parameter.default)) <= 30 else ""
        return f"must be a list ({doc[0].lower()}{doc[1:]}){example}, not {value!r}"
    return refusal_reason(error)
