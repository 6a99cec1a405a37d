"""Losses: forward(pred, target) returns a float, backward() returns d loss / d pred.

Every loss is a mean over the examples of the batch, so its gradient carries a 1/N.
"""

from typing import Protocol

import numpy as np

from .layers.activations import sigmoid
from .layers.base import one_of


class Loss(Protocol):
    """What training asks of a loss; the classes below, and any object with these two methods."""

    def forward(self, pred: np.ndarray, target: np.ndarray) -> float: ...

    def backward(self) -> np.ndarray: ...


class MSE:
    """Mean over examples of 1/2 * sum((pred - target)^2); pred, target (N, ...) of one shape."""

    def forward(self, pred, target):
        self.diff = pred - np.asarray(target, dtype=pred.dtype).reshape(pred.shape)
        return float(0.5 * np.sum(self.diff * self.diff) / len(pred))

    def backward(self):
        return self.diff / len(self.diff)


class SoftmaxCrossEntropy:
    """Mean of -log softmax(logits)[label]; logits (N, K), integer labels (N,).

    After forward, `probabilities` (N, K) holds the softmax, for accuracy and views.
    """

    def forward(self, logits, labels):
        self.labels = np.asarray(labels).astype(np.intp, copy=False).reshape(-1)
        # Subtracting the row maximum changes nothing mathematically and keeps exp from overflowing.
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probabilities = np.exp(log_probabilities)
        rows = np.arange(len(logits))
        return float(-log_probabilities[rows, self.labels].mean())

    def backward(self):
        grad = self.probabilities.copy()
        grad[np.arange(len(grad)), self.labels] -= 1
        return grad / len(grad)


class BinaryCrossEntropy:
    """Mean over examples of the summed cross-entropy of sigmoid(logits) with 0/1 targets; (N, ...) each."""

    def forward(self, logits, target):
        self.logits = logits
        self.target = np.asarray(target, dtype=logits.dtype).reshape(logits.shape)
        # max(z, 0) - z*t + log(1 + e^-|z|) equals -t*log(s) - (1-t)*log(1-s) without overflow or log(0).
        per_element = np.maximum(logits, 0) - logits * self.target + np.log1p(np.exp(-np.abs(logits)))
        return float(per_element.sum() / len(logits))

    def backward(self):
        return (sigmoid(self.logits) - self.target) / len(self.logits)


LOSSES = {
    "mse": MSE,
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "binary_cross_entropy": BinaryCrossEntropy,
}


def make_loss(name):
    """A fresh loss from its spec/UI name: one of LOSSES."""
    return LOSSES[one_of("loss", name, list(LOSSES))]()
