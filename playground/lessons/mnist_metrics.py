"""What an MNIST lesson's checks can read: every single-value setting of the lab's registry (MnistState), the
shape of its layer stack, and what training shows. `mnist_state_metrics(state)` gives what the settings alone decide,
`mnist_metrics(session)` every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from playground.lessons.checks import Metric
from playground.lessons.metrics import setting_metric, view_metrics
from playground.mnist.architecture import summarize
from playground.mnist.state import SETTINGS, MnistState

if TYPE_CHECKING:
    from playground.mnist.session import MnistSession

STACK_METRICS = {
    "conv_layers": Metric("number", "Convolution layers in the stack."),
    "filters": Metric("number", "Filters of the first convolution layer (0 without one)."),
    "pooling_layers": Metric("number", "Max- and average-pooling layers in the stack."),
    "hidden_layers": Metric("number", "Dense layers before the output layer."),
    "hidden_units": Metric("number", "Neurons in the dense layers before the output layer, together."),
    "parameters": Metric("number", "Trainable numbers (weights and biases) of the network; 0 if it cannot be built."),
}
TRAINING_METRICS = {
    "epoch": Metric("number", "Passes over the training digits completed.", counter=True),
    "step": Metric("number", "Weight updates applied.", counter=True),
    "train_loss": Metric("number", "Cross-entropy on the training digits (mean of the batches since the last point)."),
    "test_loss": Metric("number", "Cross-entropy on the test digits."),
    "train_accuracy": Metric("number", "Share of (100 of the) training digits recognized, 0 to 1."),
    "test_accuracy": Metric("number", "Share of the test digits recognized, 0 to 1 (300 of them between epochs)."),
    "diverged": Metric("bool", "Training stopped because the weights ran away."),
}
SETTING_METRICS = {name: metric for name in SETTINGS if (metric := setting_metric(MnistState.param[name])) is not None}
MNIST_METRICS = SETTING_METRICS | STACK_METRICS | TRAINING_METRICS
# The metrics the settings alone decide, beyond the settings' own: {metric: the settings it follows}.
STACK_SOURCES = {name: ("layers",) for name in STACK_METRICS} | {"parameters": ("layers", "input_size")}


def mnist_metrics(session: MnistSession, names: Iterable[str] | None = None) -> dict[str, Any]:
    """{metric: value} for an MnistSession; only `names` when given. Figures that do not exist yet are None."""
    names = set(MNIST_METRICS if names is None else names)
    model = session.model
    parameters = 0 if model is None else sum(p.size for _, p, _ in model.named_params())
    values = mnist_state_metrics(session.state, parameters) | view_metrics(session.view)
    return {name: value for name, value in values.items() if name in names}


def mnist_state_metrics(state: MnistState, parameters: int | None = None) -> dict[str, Any]:
    """{metric: value} of what the settings alone decide: the single-value settings and the stack's shape, with
    `parameters` those of the built model (by default counted as the lab's editor counts them)."""
    layers = state.layers
    convolutions = [layer for layer in layers if layer["type"] == "conv2d"]
    dense = [layer for layer in layers if layer["type"] == "dense"][:-1]  # the last one is the output
    return {name: getattr(state, name) for name in SETTING_METRICS} | {
        "conv_layers": len(convolutions),
        "filters": convolutions[0]["filters"] if convolutions else 0,
        "pooling_layers": sum(layer["type"] in ("maxpool2d", "avgpool2d") for layer in layers),
        "hidden_layers": len(dense),
        "hidden_units": sum(layer["units"] for layer in dense),
        "parameters": summarize(layers, state.input_size).total if parameters is None else parameters,
    }
