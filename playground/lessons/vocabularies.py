"""What a lesson may name, per page: its settings (a param registry), its views and the metrics its checks read.

The sandbox's vocabulary is the playground's one registry, `PlaygroundState`, and the sandbox app's views.
The MNIST lab's registry is not written yet: `MnistLessonSettings` below is a PROVISIONAL stand-in, to be
replaced by the lab's own state class (and its metrics by the lab's) when it lands.
"""

from dataclasses import dataclass

import param

from ..query import _reason  # the URL's wording of a refused value
from ..state import LEARNING_RATES, SETTINGS, PlaygroundState
from .checks import Metric
from .metrics import SANDBOX_METRICS, setting_metric

# A lesson's view names -> the SandboxApp attribute holding that view.
SANDBOX_VIEWS = {"controls": "top", "status": "status", "data": "data", "network": "network", "output": "output"}


@dataclass(frozen=True)
class Vocabulary:
    """The names a lesson on `page` may use; `state_class()` validates and holds its settings."""

    page: str
    state_class: type
    settings: tuple  # settable names, in the order they are applied
    views: tuple
    metrics: dict  # {name: Metric}


class MnistLessonSettings(param.Parameterized):
    """PROVISIONAL: the MNIST lab's settings as lessons 9-10 use them, until the lab's own registry replaces it."""

    preset = param.Selector(default="mlp", objects=["mlp", "small-cnn", "cerny-kopecka"], doc="The network.")
    input_size = param.Selector(default=28, objects=[28, 14], doc="Digits are 28x28 or downsampled to 14x14.")
    hidden_units = param.Integer(default=64, bounds=(1, 512), doc="Neurons of the MLP's hidden layer.")
    activation = param.Selector(default="relu", objects=["relu", "tanh", "sigmoid"], doc="Hidden activation.")
    optimizer = param.Selector(default="adam", objects=["sgd", "adam"], doc="How gradients move weights.")
    learning_rate = param.Selector(default=0.001, objects=LEARNING_RATES, doc="Step size of each update.")
    batch_size = param.Integer(default=32, bounds=(1, 256), doc="Digits per weight update.")
    seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="Seed of the initial weights and the order.")


MNIST_SETTINGS = tuple(name for name in MnistLessonSettings.param if name != "name")
MNIST_METRICS = {name: setting_metric(MnistLessonSettings.param[name]) for name in MNIST_SETTINGS} | {
    name: Metric(*fields)
    for name, fields in {
        "epoch": ("number", "Passes over the training digits completed."),
        "train_loss": ("number", "Cross-entropy on the training digits."),
        "test_loss": ("number", "Cross-entropy on the test digits."),
        "train_accuracy": ("number", "Share of training digits recognized, 0 to 1."),
        "test_accuracy": ("number", "Share of test digits recognized, 0 to 1."),
        "viewed_filters": ("bool", "The student opened the first layer's filters."),
        "viewed_saliency": ("bool", "The student opened a saliency map."),
    }.items()
}

VOCABULARIES = {
    "sandbox": Vocabulary("sandbox", PlaygroundState, tuple(SETTINGS), tuple(SANDBOX_VIEWS), SANDBOX_METRICS),
    "mnist": Vocabulary(
        "mnist",
        MnistLessonSettings,
        MNIST_SETTINGS,
        ("digits", "network", "activations", "projection", "filters", "feature-maps", "saliency", "confusion"),
        MNIST_METRICS,
    ),
}


def apply_settings(state, settings, vocabulary):
    """Sets `settings` on `state` in registry order; returns [(name, message)] for what cannot be used."""
    problems = [
        (name, f"unknown setting; the settings are: {', '.join(vocabulary.settings)}")
        for name in settings
        if name not in vocabulary.settings
    ]
    given = [name for name in vocabulary.settings if name in settings]
    for name in given:
        try:
            setattr(state, name, settings[name])
        except (ValueError, TypeError) as error:
            problems.append((name, _reason(error)))
    for name in given:  # a later setting may have overridden an earlier one (the dataset sets the problem)
        if getattr(state, name) != settings[name] and not any(key == name for key, _ in problems):
            problems.append((name, f"is {getattr(state, name)!r} with the other settings, not {settings[name]!r}"))
    return problems
