"""The one registry of the 2-D playground's settable state, and what it builds: data, model spec, loss, optimizer.

Widgets (`Widget.from_param`), the URL (`to_query`/`from_query`), lessons and hidden or locked controls derive from
the parameters of `PlaygroundState`; each carries a one-line doc, shown as the widget's tooltip. URL keys are
the parameter names; `from_query` also reads TensorFlow Playground's own keys (`TFP_KEYS`).
"""

from collections.abc import Callable
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode

import numpy as np
import param

from nn_core import make_loss, make_optimizer
from nn_core.datasets import (
    CLASSIFICATION,
    DATASETS,
    FEATURES,
    REGRESSION,
    Dataset,
    class_indices,
    feature_matrix,
    make_dataset,
)
from nn_core.losses import Loss
from nn_core.optimizers import Optimizer
from nn_core.trainer import sign_accuracy
from playground.core.query import SettingsError, decode_query, encode_query, settings_query, shown

MAX_LAYERS = 8
MAX_WIDTH = 16
# TensorFlow Playground's menus, so its experiments can be set up value for value.
LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
REGULARIZATION_RATES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
HIDDEN_ACTIVATIONS = ["tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu", "swish", "softplus"]
DEFAULT_DATASET = {CLASSIFICATION: "circle", REGRESSION: "reg-plane"}
# Loss choices for two classes; regression always uses "mse" and three or more classes softmax cross-entropy.
LOSS_CHOICES = ["mse", "cross_entropy"]


# What the race's second network may change (playground/sandbox/race.py): how it learns, never the data or the seed.
RACE_SETTINGS = [
    "activation",
    "hidden_layers",
    "learning_rate",
    "optimizer",
    "regularization",
    "regularization_rate",
    "batch_size",
    "loss",
]


# Where the hidden layers sit in the model: `model_spec` gives each hidden layer a dense layer and its activation,
# so hidden layer k (counted from 0) is model layer 2k ("2k.W", "2k.b") and its activation model layer 2k + 1; the
# output's dense layer follows the last hidden layer's activation, as if it were hidden layer len(hidden_layers).
def dense_position(hidden: int) -> int:
    """The model layer of hidden layer `hidden`'s dense layer (`hidden` = the number of hidden layers: the output's)."""
    return 2 * hidden


def activation_position(hidden: int) -> int:
    """The model layer of hidden layer `hidden`'s activation."""
    return 2 * hidden + 1


def hidden_of(position: int) -> int:
    """The hidden layer (or, past the last, the output) whose dense layer or activation is model layer `position`."""
    return position // 2


class LayerWidths(param.List):
    """Widths of the hidden layers: at most MAX_LAYERS whole numbers from 1 to MAX_WIDTH."""

    def _validate(self, val):
        super()._validate(val)
        for width in val or ():
            if isinstance(width, bool) or not 1 <= width <= MAX_WIDTH:
                raise ValueError(f"{self.name}: every width must be from 1 to {MAX_WIDTH}, got {width!r}")


class LayerActivations(param.List):
    """Per-layer activation names, "" meaning the shared one: at most MAX_LAYERS of HIDDEN_ACTIVATIONS or ""."""

    def _validate(self, val):
        super()._validate(val)
        for name in val or ():
            if name and name not in HIDDEN_ACTIVATIONS:
                raise ValueError(f"{self.name}: {name!r} is not one of {', '.join(HIDDEN_ACTIVATIONS)}")


class Features(param.ListSelector):
    """Switched-on input features: at least one of FEATURES."""

    def _validate(self, val):
        super()._validate(val)
        if val is not None and not val:
            raise ValueError(f"{self.name}: switch on at least one feature")


class RaceChanges(param.Dict):
    """What the race's second network changes: {one of RACE_SETTINGS: its value there}. In URLs "learning_rate:0.3",
    several comma-separated ("activation:relu,hidden_layers:8,8": a part without a colon goes on with the value before
    it); each value is read and checked as the URL's own setting of that name is."""

    def _validate(self, val):
        super()._validate(val)
        others = set(val or ()) - set(RACE_SETTINGS)
        if others:
            raise ValueError(f"{self.name}: {', '.join(sorted(others))} is not one the race changes")

    @staticmethod
    def to_text(changes: dict) -> str:
        pairs = parse_qsl(settings_query(PlaygroundState, changes), keep_blank_values=True)
        return ",".join(f"{name}:{value}" for name, value in pairs)

    @staticmethod
    def from_text(text: str) -> dict:
        pairs = []
        for part in text.split(",") if text else ():
            name, colon, value = part.partition(":")
            if colon:
                pairs.append([name, value])
            elif pairs:
                pairs[-1][1] += f",{part}"
            else:
                raise ValueError(f"{shown(part)} names no setting: write setting:value, e.g. learning_rate:0.3")
        second = PlaygroundState()
        for name, value in pairs:
            if name not in RACE_SETTINGS:
                raise ValueError(f"{shown(name)} is not a setting a race changes ({', '.join(RACE_SETTINGS)})")
            try:
                decode_query(second, urlencode([(name, value)], safe=","), strict=True)
            except SettingsError as error:
                raise ValueError(error.refusals[0].replace(": cannot use ", " cannot be ", 1)) from None
        return {name: getattr(second, name) for name in RACE_SETTINGS if name in dict(pairs)}


class PlaygroundState(param.Parameterized):
    """Every setting of the 2-D playground; `model_spec()`, `make_data()` and friends build what they describe."""

    # Before `dataset`: the URL is applied in this order, and a dataset then sets its own problem.
    problem = param.Selector(
        default=CLASSIFICATION, objects=[CLASSIFICATION, REGRESSION], doc="Predict a class or a number."
    )
    dataset = param.Selector(default="circle", objects=list(DATASETS), doc="The problem to learn.")
    noise = param.Integer(default=0, bounds=(0, 50), doc="How much the data is blurred, in percent.")
    train_percent = param.Integer(default=50, bounds=(10, 90), doc="Share of the points used for training.")
    batch_size = param.Integer(default=10, bounds=(1, 30), doc="Points per weight update.")
    seed = param.Integer(default=0, bounds=(0, 2**31 - 1), doc="Seed of the data, the initial weights and the order.")
    features = Features(default=["x", "y"], objects=list(FEATURES), doc="Inputs computed from each point (x1, x2).")
    hidden_layers = LayerWidths(
        default=[4, 2], item_type=int, bounds=(0, MAX_LAYERS), doc="Neurons in each hidden layer."
    )
    activation = param.Selector(default="tanh", objects=HIDDEN_ACTIVATIONS, doc="Activation of the hidden neurons.")
    layer_activations = LayerActivations(
        default=[], item_type=str, bounds=(0, MAX_LAYERS), doc="Per-layer activations; empty entries use `activation`."
    )
    learning_rate = param.Selector(default=0.03, objects=LEARNING_RATES, doc="Step size of each weight update.")
    regularization = param.Selector(default="none", objects=["none", "l1", "l2"], doc="Penalty on large weights.")
    regularization_rate = param.Selector(default=0.0, objects=REGULARIZATION_RATES, doc="Strength of the penalty.")
    optimizer = param.Selector(default="sgd", objects=["sgd", "adam", "rmsprop"], doc="How gradients move weights.")
    loss = param.Selector(default="mse", objects=LOSS_CHOICES, doc="What training minimizes (two classes).")
    keep_weights = param.Boolean(default=True, doc="Keep trained weights when adding or removing neurons.")
    discretize = param.Boolean(default=False, doc="Show the output as classes instead of a gradient.")
    show_test_data = param.Boolean(default=False, doc="Show the test points on the output.")
    network_shows = param.Selector(
        default="weights", objects=["weights", "gradients"], doc="Diagram edges by weight or by dLoss/dw."
    )
    race = RaceChanges(default={}, doc="What the race's second network changes (the Race view trains both).")
    hide = param.ListSelector(
        default=[], objects=[], check_on_set=True, doc="Controls hidden from the student (for lessons)."
    )
    lock = param.ListSelector(
        default=[], objects=[], check_on_set=True, doc="Controls shown but not changeable (for lessons)."
    )

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        if "dataset" in settings:  # watchers do not run during construction
            self._problem_follows_dataset()
        else:
            self._dataset_follows_problem()

    @param.depends("problem", watch=True)
    def _dataset_follows_problem(self):
        if DATASETS[self.dataset].kind != self.problem:
            self.dataset = DEFAULT_DATASET[self.problem]

    @param.depends("dataset", watch=True)
    def _problem_follows_dataset(self):
        self.problem = DATASETS[self.dataset].kind

    # -- URL ----------------------------------------------------------------------------------------

    def to_query(self) -> str:
        """The settings that differ from the defaults as a URL query string, e.g. "noise=10&hidden_layers=3"."""
        return encode_query(self)

    @classmethod
    def from_query(cls, query: str, strict: bool = False) -> tuple[Self, list[str]]:
        """(state, notices) from a query string; bad values keep their defaults, with a notice naming the key (with
        `strict`, settings given in Python: SettingsError naming them instead)."""
        state = cls()
        notices = decode_query(state, query, strict)
        return state, notices

    # -- what the settings build --------------------------------------------------------------------

    @property
    def n_classes(self) -> int:
        """Classes of the current problem; 0 for regression."""
        return DATASETS[self.dataset].n_classes

    @property
    def input_names(self) -> list[str]:
        """The switched-on features in FEATURES order (the model's input columns)."""
        return [name for name in FEATURES if name in self.features]

    def layer_activation(self, layer: int) -> str:
        """The activation of hidden layer `layer`: its own entry in layer_activations, else `activation`."""
        own = self.layer_activations[layer] if layer < len(self.layer_activations) else ""
        return own or self.activation

    def loss_name(self) -> str:
        """The nn_core loss: mse for regression and TFP-style two classes, cross-entropy otherwise."""
        if self.problem == REGRESSION or (self.n_classes == 2 and self.loss == "mse"):
            return "mse"
        return "binary_cross_entropy" if self.n_classes == 2 else "softmax_cross_entropy"

    def model_spec(self) -> dict:
        """The nn_core spec: the features in, one dense layer per hidden width, then the output layer."""
        hidden = [
            {"type": "dense", "units": width, "activation": self.layer_activation(layer)}
            for layer, width in enumerate(self.hidden_layers)
        ]
        loss = self.loss_name()
        output = {"type": "dense", "units": self.n_classes if loss == "softmax_cross_entropy" else 1}
        if loss == "mse":  # TFP's output neuron: tanh for -1/+1 labels, linear for numbers
            output["activation"] = "tanh" if self.problem == CLASSIFICATION else "linear"
        return {"input_shape": [len(self.input_names)], "init": "tfp", "layers": [*hidden, output]}

    def make_data(self) -> Dataset:
        """The Dataset these settings describe (same seed, same points)."""
        return make_dataset(self.dataset, noise=self.noise, train_percent=self.train_percent, seed=self.seed)

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """The model inputs for points (n, 2): the switched-on features, (n, len(input_names))."""
        return feature_matrix(points, self.input_names)

    def targets(self, labels: np.ndarray) -> np.ndarray:
        """What the loss compares the output with, for Dataset labels (n,): (n, 1) floats, or (n,) classes."""
        loss = self.loss_name()
        if loss == "softmax_cross_entropy":
            return np.asarray(labels, dtype=np.int64)
        if loss == "binary_cross_entropy":
            return class_indices(labels, 2).astype(np.float64)[:, None]
        return np.asarray(labels, dtype=np.float64)[:, None]

    def make_loss(self) -> Loss:
        return make_loss(self.loss_name())

    def make_optimizer(self) -> Optimizer:
        """A fresh optimizer with the current learning rate and regularization."""
        regularization = None if self.regularization == "none" else self.regularization
        return make_optimizer(
            self.optimizer,
            learning_rate=self.learning_rate,
            regularization=regularization,
            regularization_rate=self.regularization_rate,
        )

    def accuracy(self) -> Callable[[np.ndarray, np.ndarray], float] | str:
        """The Trainer's accuracy: TFP's sign test for -1/+1 outputs, the loss's default otherwise."""
        return sign_accuracy if self.loss_name() == "mse" and self.problem == CLASSIFICATION else "default"


ACCESS = ["hide", "lock"]  # which controls a student sees and may change
# Every other parameter is a setting, but `race`: what the Race view's second network changes, no control of this one.
SETTINGS = [name for name in PlaygroundState.param if name not in ("name", "race", *ACCESS)]
PlaygroundState.param.hide.objects = PlaygroundState.param.lock.objects = SETTINGS
