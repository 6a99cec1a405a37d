"""Vanishing and exploding gradients, Panel-free: how large each weight matrix's gradient is, epoch after epoch, and
whether the first layer's is out of all proportion to the output's.

Backprop multiplies the output's error by every layer's weights and activation slopes on its way to the first layer.
Where the slopes are small (sigmoids, saturated tanh) the product shrinks layer after layer and the first layers
barely learn (vanishing); where weights are large it grows (exploding). So the finding compares the norms of the
first and the last weight gradients: at most 1/RATIO or at least RATIO times, at the last PERSIST epochs in a row.

A session records the gradients of each epoch's last update (`record`: a dot product per weight matrix, once an
epoch, so training pays nothing measurable); one batch is noisy, but a factor of RATIO held PERSIST epochs is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nn_core.model import Sequential
from playground.core.weight_history import every_other

RATIO = 1000.0  # first layer's gradient norm against the output layer's: beyond this factor either way, a finding
PERSIST = 3  # epochs in a row
MAX_EPOCHS = 400  # recorded epochs kept; past it every other one is dropped (the first and the latest stay)


def squared_gradient_norms(model: Sequential) -> dict[str, float]:
    """{weight name ("0.W"): the squared Euclidean norm of its gradient from the last backward pass} of every weight
    matrix with one."""
    return {name: float(np.vdot(grad, grad)) for name, _, grad in model.named_params() if name.endswith(".W")
            and grad is not None}  # fmt: skip


@dataclass
class GradientHistory:
    """The gradient norm of each weight matrix at each recorded epoch's last update."""

    epochs: list[int] = field(default_factory=list)
    norms: dict[str, list[float]] = field(default_factory=dict)  # weight name -> one norm per recorded epoch

    def record(self, epoch: int, model: Sequential) -> None:
        """The gradient norms of `model`'s last update (the epoch's last batch) as those of `epoch`; not recorded when a
        network edit changed the weights' names since the first record."""
        squared = squared_gradient_norms(model)
        if not squared or (self.norms and squared.keys() != self.norms.keys()) or epoch in self.epochs[-1:]:
            return
        self.epochs.append(epoch)
        for name, value in squared.items():
            self.norms.setdefault(name, []).append(math.sqrt(value))
        if len(self.epochs) > MAX_EPOCHS:
            keep = every_other(len(self.epochs))
            self.epochs = [self.epochs[k] for k in keep]
            self.norms = {name: [values[k] for k in keep] for name, values in self.norms.items()}

    def forget_after(self, epoch: int) -> None:
        """Drops the records of epochs after `epoch` (training went back to it: a Restore)."""
        kept = sum(recorded <= epoch for recorded in self.epochs)
        self.epochs = self.epochs[:kept]
        self.norms = {name: values[:kept] for name, values in self.norms.items()}


@dataclass(frozen=True)
class GradientFinding:
    """Vanishing ("vanishing") or exploding ("exploding") gradients: the first layer's norm is `ratio` times the
    output layer's."""

    kind: str
    ratio: float


def gradient_finding(history: GradientHistory) -> GradientFinding | None:
    """The finding of the last PERSIST epochs, or None (also for a network with one weight matrix). A gradient of
    exactly 0 gives no ratio and so no finding: no error reaches that layer at all (its neurons, or the next layer's,
    are dead: the doctor's dead and blocked diagnoses), which is neither vanishing nor exploding."""
    if len(history.norms) < 2 or len(history.epochs) < PERSIST:
        return None
    names = list(history.norms)  # recorded in the model's order: first layer first, output last
    first, last = history.norms[names[0]][-PERSIST:], history.norms[names[-1]][-PERSIST:]
    if not all(a > 0 and b > 0 and math.isfinite(a / b) for a, b in zip(first, last, strict=True)):
        return None
    ratios = [a / b for a, b in zip(first, last, strict=True)]
    if all(ratio <= 1 / RATIO for ratio in ratios):
        return GradientFinding("vanishing", ratios[-1])
    if all(ratio >= RATIO for ratio in ratios):
        return GradientFinding("exploding", ratios[-1])
    return None
