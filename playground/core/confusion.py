"""Confusion matrices: how many examples of each true class got each prediction, and what a figure of one draws
per cell. The sandbox's classes and predictions are in playground/sandbox/confusion.py."""

from collections.abc import Sequence

import numpy as np


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[true, predicted]: how many examples of each true class got each prediction; (n_classes, n_classes)."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels), np.asarray(predicted)), 1)
    return counts


def cells(counts: np.ndarray, class_list: Sequence[tuple[str, str]]) -> dict[str, np.ndarray | list[str]]:
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


def accuracy(counts: np.ndarray) -> float | None:
    """The share of examples on the diagonal, or None without examples."""
    total = counts.sum()
    return None if total == 0 else float(np.trace(counts) / total)
