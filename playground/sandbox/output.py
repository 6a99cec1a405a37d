"""What the output column shows: the data points over the decision map, the loss curves and the numbers."""

import numpy as np

from nn_core.datasets import FEATURES, Dataset
from playground.core.palette import label_colors
from playground.core.status import TrainingRecord
from playground.sandbox.state import PlaygroundState


def points(data: Dataset, state: PlaygroundState) -> dict[str, list]:
    """The points to draw, a dict of equal-length lists: x1, x2, color, label, split ("train" or "test").

    Test points appear only with state.show_test_data, as in TensorFlow Playground.
    """
    n = len(data.x) if state.show_test_data else data.n_train
    split = np.where(np.arange(n) < data.n_train, "train", "test")
    return {
        "x1": data.x[:n, 0].tolist(),
        "x2": data.x[:n, 1].tolist(),
        "color": label_colors(data.y[:n], data.n_classes).tolist(),
        "label": data.y[:n].tolist(),
        "split": split.tolist(),
    }


def loss_curves(view: TrainingRecord) -> dict[str, list]:
    """The loss curves: step, train and test loss per recorded point (copies of TrainingRecord.history)."""
    return {key: list(values) for key, values in view.history.items()}


def click_labels(n_classes: int) -> dict[str, float]:
    """{what a click adds, as the student reads it: label value} for data of n_classes (0: regression)."""
    if n_classes == 2:
        return {"blue (+1)": 1, "orange (−1)": -1}
    if n_classes > 2:
        return {f"class {k}": k for k in range(n_classes)}
    return {f"{value:+g}": value for value in (1.0, 0.5, 0.0, -0.5, -1.0)}


def label_name(label: float, n_classes: int) -> str:
    """How the student reads a point's label: "blue (+1)", "class 2", or the number of a regression target."""
    names = {value: name for name, value in click_labels(n_classes).items()} if n_classes else {}
    return names.get(label, f"{label:+.2f}")


def node_title(node: str, state: PlaygroundState) -> str:
    """How the views name a diagram node, e.g. "layer 1, neuron 3", "input X₁²", "the output" or, with an output
    per class, "output for class 2"."""
    kind, _, index = node.partition(":")
    if kind == "in":
        return f"input {FEATURES[index].label}"
    if kind == "out":
        return "the output" if state.loss_name() != "softmax_cross_entropy" else f"output for class {index}"
    return f"layer {int(kind[1:]) + 1}, neuron {int(index) + 1}"


def node_label(node: str, state: PlaygroundState) -> str:
    """`node_title` where the column already says what a node is (tables, edges): an input just by its feature."""
    return node_title(node, state).removeprefix("input ")
