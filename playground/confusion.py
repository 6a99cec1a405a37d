"""Confusion matrices: how many examples of each true class got each prediction, and for the 2-D playground the
classes its model predicts, named and coloured as the data points are."""

import numpy as np

from nn_core.datasets import class_indices

from .output import click_labels
from .palette import label_colors


def confusion_matrix(labels, predicted, n_classes):
    """counts[true, predicted]: how many examples of each true class got each prediction; (n_classes, n_classes)."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels), np.asarray(predicted)), 1)
    return counts


def predicted_classes(outputs, loss_name):
    """Class indices (N,) the playground's model outputs (N, units) stand for: the larger logit with softmax
    cross-entropy, else the sign of the one output (-1/+1 labels: tanh or a sigmoid's logit), as class 0 or 1."""
    if loss_name == "softmax_cross_entropy":
        return np.asarray(outputs).argmax(axis=1)
    return (np.asarray(outputs)[:, 0] > 0).astype(np.int64)


def classes(n_classes):
    """[(name, colour)] of each class index of the playground's data: orange (−1) and blue (+1), or class k."""
    names = {value: name for name, value in click_labels(n_classes).items()}
    values = sorted(names)  # -1 before +1 (class indices 0 and 1), or 0, 1, 2, ...
    return [(names[value], str(color)) for value, color in zip(values, label_colors(values, n_classes), strict=True)]


def playground_confusion(session, split):
    """counts[true, predicted] of the session's model on its "train" or "test" points; None for regression."""
    state, data = session.state, session.data
    if not data.n_classes:
        return None
    points, labels = (data.x_train, data.y_train) if split == "train" else (data.x_test, data.y_test)
    outputs = session.model.predict(state.inputs(points))
    return confusion_matrix(
        class_indices(labels, data.n_classes), predicted_classes(outputs, state.loss_name()), data.n_classes
    )


def cells(counts, class_list):
    """What a confusion matrix figure draws per cell, row i (true class i) on top: x (predicted), y, count text,
    the predicted class's colour and an alpha from the share of the row's examples, so a good model shows a
    strong diagonal whatever the class sizes."""
    n = len(counts)
    true, predicted = np.divmod(np.arange(n * n), n)
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1)
    share = (counts / totals).ravel()
    return {
        "x": predicted.astype(np.float64),
        "y": (n - 1 - true).astype(np.float64),
        "count": counts.ravel(),
        "text": [str(c) for c in counts.ravel()],
        "color": [class_list[j][1] for j in predicted],
        "alpha": 0.08 + 0.82 * share,
        "share": [f"{100 * s:.0f}% of the true {class_list[i][0]} points" for i, s in zip(true, share, strict=True)],
    }


def accuracy(counts):
    """The share of examples on the diagonal, or None without examples."""
    total = counts.sum()
    return None if total == 0 else float(np.trace(counts) / total)
