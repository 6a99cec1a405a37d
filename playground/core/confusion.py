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


SPLIT_TITLES = {"train": "Training data", "test": "Test data"}


def matrix_title(split: str, counts: np.ndarray | None, unit: str = "points") -> str:
    """A matrix's title, the same from the start: "Training data (250 points): 88.0% right", or while there is
    nothing to count yet (an untrained network: counts None) "Training data: train to fill"."""
    if counts is None:
        return f"{SPLIT_TITLES[split]}: train to fill"
    rate = accuracy(counts)
    return f"{SPLIT_TITLES[split]} ({counts.sum():,d} {unit})" + ("" if rate is None else f": {100 * rate:.1f}% right")
