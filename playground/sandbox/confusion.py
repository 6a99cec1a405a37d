"""The sandbox's confusion matrices: the classes its model predicts, named and coloured as the data points are."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nn_core.datasets import class_indices
from playground.core.confusion import confusion_matrix
from playground.core.palette import label_colors
from playground.sandbox.output import click_labels

if TYPE_CHECKING:
    from playground.sandbox.session import Session


def predicted_classes(outputs: np.ndarray, loss_name: str) -> np.ndarray:
    """Class indices (N,) the playground's model outputs (N, units) stand for: the larger logit with softmax
    cross-entropy, else the sign of the one output (-1/+1 labels: tanh or a sigmoid's logit), as class 0 or 1."""
    if loss_name == "softmax_cross_entropy":
        return np.asarray(outputs).argmax(axis=1)
    return (np.asarray(outputs)[:, 0] > 0).astype(np.int64)


def classes(n_classes: int) -> list[tuple[str, str]]:
    """[(name, colour)] of each class index of the playground's data: orange (−1) and blue (+1), or class k."""
    names = {value: name for name, value in click_labels(n_classes).items()}
    values = sorted(names)  # -1 before +1 (class indices 0 and 1), or 0, 1, 2, ...
    return [(names[value], str(color)) for value, color in zip(values, label_colors(values, n_classes), strict=True)]


def playground_confusion(session: Session, split: str) -> np.ndarray | None:
    """counts[true, predicted] of the session's model on its "train" or "test" points; None for regression and
    before the first update (the matrices wait for training: "train to fill")."""
    state, data = session.state, session.data
    if not data.n_classes or session.view.step == 0:
        return None
    points, labels = (data.x_train, data.y_train) if split == "train" else (data.x_test, data.y_test)
    outputs = session.model.predict(state.inputs(points))
    return confusion_matrix(
        class_indices(labels, data.n_classes), predicted_classes(outputs, state.loss_name()), data.n_classes
    )
