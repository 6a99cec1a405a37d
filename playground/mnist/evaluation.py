"""How a trained network does on test digits: predictions, the confusion matrix and its cells, a gallery per digit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nn_core.model import Sequential

if TYPE_CHECKING:
    from numpy.typing import ArrayLike  # annotations only: numpy.typing is not a start-up import

# Digits per forward pass when predicting many. Convolutions are fastest on small batches (their im2col columns stay
# in cache): 2,000 test digits through the small CNN took 223 ms in batches of 32 against 328 ms of 500 and 431 ms of
# 1,024 in Pyodide (Černý & Kopecká's 2.8 against 5.5 s; the MLP the same at any size); in CPython 61 against 121 ms.
PREDICT_BATCH = 32


def predict(model: Sequential, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities (N, 10), predicted digits (N,)) for digits x (N, 1, S, S), in eval mode."""
    return probabilities(model.predict(x, batch_size=PREDICT_BATCH))


def probabilities(logits: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(softmax probabilities (N, 10), predicted digits (N,)) of class scores (N, 10)."""
    logits = np.asarray(logits, dtype=np.float64)
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    return probabilities, probabilities.argmax(axis=1)


def cell_indices(labels: ArrayLike, predicted: ArrayLike, true_class: int, predicted_class: int) -> np.ndarray:
    """Indices of the digits of one confusion-matrix cell: labelled true_class, predicted predicted_class."""
    return np.flatnonzero((np.asarray(labels) == true_class) & (np.asarray(predicted) == predicted_class))


def gallery(labels: ArrayLike, predicted: ArrayLike, digit: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(correct, misclassified) indices of test digits labelled `digit`, at most `count` of each, in order."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    of_digit = labels == digit
    correct = np.flatnonzero(of_digit & (predicted == digit))
    return correct[:count], np.flatnonzero(of_digit & (predicted != digit))[:count]


def test_digits_phrase(count: int, total: int) -> str:
    """Which test digits a figure covers, the same words in every view: "all 2,000 test digits", or for the fixed
    subset the lab evaluates between epoch ends, "300 of the 2,000 test digits"."""
    return f"all {total:,d} test digits" if count == total else f"{count:,d} of the {total:,d} test digits"
