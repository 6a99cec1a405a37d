"""What the trainer reports to views: plain, immutable records carrying copies, never live engine arrays."""

from dataclasses import dataclass

import numpy as np

# The names a view may ask `Trainer.steps(want=...)` for, and what each adds to a StepEvent.
WANTS = {
    "train": "train_loss and train_accuracy over the whole training set",
    "test": "test_loss and test_accuracy over the whole test set",
    "activations": "activations and activation_grads of every layer for the probe batch",
    "params": "params and param_grads, keyed by dotted names like '0.W'",
}


@dataclass(frozen=True)
class StepEvent:
    """One applied update; the optional fields are filled only when asked for through `want`."""

    step: int  # updates applied so far, this one included
    epoch: int  # index of the epoch this batch came from, counted from 0
    epoch_end: bool  # whether this batch was the last of its epoch
    batch_loss: float  # loss of this batch before the update
    train_loss: float | None = None
    train_accuracy: float | None = None  # None when the task has no accuracy (regression)
    test_loss: float | None = None
    test_accuracy: float | None = None
    activations: list[np.ndarray] | None = None  # layer i's output for the probe batch
    activation_grads: list[np.ndarray] | None = None  # dLoss/d(layer i's output) for the probe batch
    params: dict[str, np.ndarray] | None = None  # after the update
    param_grads: dict[str, np.ndarray] | None = None  # the gradients this update used


@dataclass(frozen=True)
class DivergedEvent:
    """Training blew up at `step` (the update that would have been `step`); `reason` says how."""

    step: int
    epoch: int
    reason: str


@dataclass(frozen=True)
class StoppedEvent:
    """A stop condition holds; `reason` is "max_steps", "max_epochs" or "target_loss"."""

    step: int
    epoch: int
    reason: str
