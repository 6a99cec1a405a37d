"""Mini-batch training: `train_step`, the textbook lines of one step of gradient descent, and the Trainer that
runs it under its guards, a generator of events that views pull a few steps per tick (training never calls a
view).

Divergence rule (DivergenceGuard): a step diverges when its batch loss is NaN or infinite, when the batch loss
exceeds EXPLODE_FACTOR times the lowest batch loss seen so far (losses below LOSS_FLOOR count as LOSS_FLOOR, so
a perfectly fitted batch does not make ordinary noise look like an explosion), when a gradient is not finite,
or when the update leaves a parameter that is not finite. The first three are checked before the update is
applied. The trainer then yields a DivergedEvent and stops.

Last good weights: a loss rarely jumps from sane to a million times its best in one step; it usually grows for a
few steps first, and the weights grow with it. So the Trainer keeps a checkpoint of the last weights that were
still sane: weights whose batch loss (computed before their update) was at most GOOD_FACTOR times the reference,
the lowest epoch-mean loss of the last REFERENCE_EPOCHS epochs (the first batch's loss until an epoch has ended;
at least LOSS_FLOOR). `restore_last_good()` goes back to it: weights, buffers, the step and epoch counts and the
place in the epoch, and it clears the optimizer's state (momentum, moment estimates) that the run-away gradients
filled. Taking it costs nothing beyond the `state_dict()` copy made before every step, which it keeps.
"""

import copy
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from .events import DivergedEvent, StepEvent, StoppedEvent
from .losses import BinaryCrossEntropy, Loss, SoftmaxCrossEntropy
from .model import Sequential
from .optimizers import Optimizer

EXPLODE_FACTOR = 1e6
LOSS_FLOOR = 1e-3
GOOD_FACTOR = 10.0  # weights whose batch loss is at most this times the reference are a checkpoint to go back to
REFERENCE_EPOCHS = 100  # the reference is the lowest epoch-mean loss of this many last epochs
EVALUATION_BATCH_SIZE = 1024  # large batches are faster; this bounds the memory of one evaluation pass


class Diverged(Exception):
    """Raised by a guard to stop a training step; the message says what went wrong."""


class Guard:
    """The checks train_step makes between its lines; this one lets everything pass.

    A check that fails raises Diverged, which stops the step where it is: after the loss no parameter has
    changed (BatchNorm's running statistics have), after the gradients no parameter has moved yet either.
    """

    def check_loss(self, batch_loss: float) -> None:
        """After the forward pass and the loss, before any gradient."""

    def check_gradients(self, model: Sequential) -> None:
        """After the backward pass, before the update."""

    def check_parameters(self, model: Sequential) -> None:
        """After the update."""


NO_GUARD = Guard()


def train_step(
    model: Sequential, loss: Loss, optimizer: Optimizer, x: np.ndarray, y: np.ndarray, guard: Guard = NO_GUARD
) -> float:
    """One step of gradient descent on the batch x (N, ...), y (N, ...); returns the batch loss before the update.

    `guard` checks between the lines (the Trainer's stops a run that diverges); by default nothing is checked.
    """
    prediction = model.forward(x)  # forward: the network's outputs for the batch
    batch_loss = float(loss.forward(prediction, y))  # loss: how far they are from the targets, as one number
    guard.check_loss(batch_loss)
    model.backward(loss.backward(), input_grad=False)  # backward: dLoss/dp for every parameter p
    guard.check_gradients(model)
    optimizer.step(model.named_params())  # update: every parameter a small step against its gradient
    guard.check_parameters(model)
    return batch_loss


def _first_not_finite(named_arrays: Iterable[tuple[str, np.ndarray]]) -> str | None:
    """The name of the first array holding a NaN or an infinity, or None.

    First one sum over all their values, put in one array, the only check a healthy step pays: a NaN or an infinity
    anywhere makes the sum one too. (Checking each array on its own took twice as long in Pyodide, and summing each
    on its own three to six times as long as copying them all into one array and summing that: per array, numpy's
    call costs more than a small network's values.) Only when the sum is not finite, which finite values far past
    the largest float also do, is each array checked."""
    named_arrays = list(named_arrays)
    if not named_arrays or math.isfinite(np.concatenate([array.ravel() for _, array in named_arrays]).sum()):
        return None
    return next((name for name, array in named_arrays if not np.all(np.isfinite(array))), None)


class DivergenceGuard(Guard):
    """The divergence rule of this module's docstring; `best_loss` is the lowest batch loss of a completed step."""

    def __init__(self):
        self.best_loss = np.inf
        self.last_loss = np.nan  # the batch loss of the last step checked, also of one that diverged

    def check_loss(self, batch_loss: float) -> None:
        self.last_loss = batch_loss
        if not np.isfinite(batch_loss):
            raise Diverged(f"the loss is no longer a number ({batch_loss})")
        if batch_loss > EXPLODE_FACTOR * max(self.best_loss, LOSS_FLOOR):
            raise Diverged(
                f"the loss of a batch reached {batch_loss:.3g}, more than {EXPLODE_FACTOR:,.0f} times its lowest "
                f"value so far ({self.best_loss:.3g})"
            )

    def check_gradients(self, model: Sequential) -> None:
        bad_grad = _first_not_finite((name, grad) for name, _, grad in model.named_params())
        if bad_grad is not None:
            raise Diverged(f"the gradient of {bad_grad} is not finite (too large for a number)")

    def check_parameters(self, model: Sequential) -> None:
        bad_param = _first_not_finite((name, param) for name, param, _ in model.named_params())
        if bad_param is not None:
            raise Diverged(f"the update made {bad_param} not finite (too large for a number)")


def argmax_accuracy(logits, labels):
    """Fraction of rows whose largest score is the label; logits (N, classes), integer labels (N,)."""
    return float(np.mean(logits.argmax(axis=1) == np.asarray(labels).reshape(-1)))


def threshold_accuracy(logits, target):
    """Fraction of logits on their 0/1 target's side of 0 (sigmoid above or below 1/2); both (N, ...)."""
    return float(np.mean((logits > 0) == (np.asarray(target).reshape(logits.shape) > 0.5)))


def sign_accuracy(pred, target):
    """TensorFlow Playground's: fraction of outputs with the sign of their ±1 label; pred, target (N, 1)."""
    return float(np.mean((pred >= 0) == (target >= 0)))


def default_accuracy(loss):
    """The accuracy that fits a loss: argmax for softmax, threshold for binary; None (no accuracy) for MSE."""
    if isinstance(loss, SoftmaxCrossEntropy):
        return argmax_accuracy
    if isinstance(loss, BinaryCrossEntropy):
        return threshold_accuracy
    return None


@contextmanager
def evaluation_mode(model):
    """Runs the block with the model in eval mode (dropout off, BatchNorm on running stats), then restores it."""
    was_training = any(layer.training for layer in model.layers)
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


class Trainer:
    """Trains `model` on x_train (N, ...) and y_train (N, ...) in mini-batches, one StepEvent per update.

    Each epoch visits every example once, in an order drawn from `rng` when `shuffle` (in stored order
    otherwise, as TensorFlow Playground does); its last batch holds the remainder when batch_size does not
    divide N. Every update is one `train_step` under a DivergenceGuard. `x_test`, `y_test` are kept for the
    caller's evaluations; training never reads them. `accuracy(pred, target) -> float` defaults to
    `default_accuracy(loss)`. Stop conditions can be changed between calls; `target_loss` is compared at the
    end of each epoch with that epoch's mean batch loss.
    """

    def __init__(
        self,
        model: Sequential,
        loss: Loss,
        optimizer: Optimizer,
        x_train: np.ndarray,
        y_train: np.ndarray,
        *,
        batch_size: int,
        rng: np.random.Generator,
        x_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
        shuffle: bool = True,
        accuracy: Callable[[np.ndarray, np.ndarray], float] | None | str = "default",
        max_steps: int | None = None,
        max_epochs: int | None = None,
        target_loss: float | None = None,
    ):
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.x_train, self.y_train = x_train, y_train
        self.x_test, self.y_test = x_test, y_test
        self.batch_size, self.rng, self.shuffle = batch_size, rng, shuffle
        self.accuracy = default_accuracy(loss) if accuracy == "default" else accuracy
        self.max_steps, self.max_epochs, self.target_loss = max_steps, max_epochs, target_loss
        self.step = 0  # updates applied so far
        self.epoch = 0  # epochs completed so far
        self.diverged = None  # the DivergedEvent that stopped training, until restore_last_good()
        self._order = np.arange(len(x_train))
        self._position = len(x_train)  # past the end: the first step starts a new epoch
        self._epoch_loss_sum = 0.0  # sum over this epoch's batches of batch loss x batch size
        self._last_epoch_loss = np.inf
        self._guard = DivergenceGuard()
        self._epoch_losses = deque(maxlen=REFERENCE_EPOCHS)  # the last epochs' mean losses
        self._first_loss = np.inf  # the first batch's loss: the reference until an epoch has ended
        self._checkpoint = None  # (state_dict, step, epoch, position, order, epoch loss sum) of the last good weights

    @property
    def last_good_step(self) -> int | None:
        """The step of the weights `restore_last_good()` goes back to (the weights after that many updates)."""
        return None if self._checkpoint is None else self._checkpoint[1]

    @property
    def epochs_done(self) -> float:
        """Passes over the training points so far: the completed epochs plus the share of the one under way."""
        under_way = self._position < len(self._order)
        return self.epoch + (self._position / len(self._order) if under_way else 0.0)

    def steps(self, n: int) -> Iterator[StepEvent | DivergedEvent | StoppedEvent]:
        """Runs up to n updates, yielding a StepEvent for each, or a DivergedEvent/StoppedEvent and stopping."""
        for _ in range(n):
            if self.diverged is not None:
                yield self.diverged
                return
            reason = self._stop_reason()
            if reason is not None:
                yield StoppedEvent(self.step, self.epoch, reason)
                return
            # Overflow and NaN are reported as a DivergedEvent, so numpy's warnings would only repeat it.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                event = self._one_step()
            yield event
            if isinstance(event, DivergedEvent):
                return

    def restore_last_good(self) -> int:
        """Goes back to the last good weights (see the module's docstring): parameters, buffers, the step and epoch
        counts and the place in the epoch; clears the optimizer's state and allows training again. Returns the step
        it went back to."""
        if self._checkpoint is not None:
            state, self.step, self.epoch, self._position, self._order, self._epoch_loss_sum = self._checkpoint
            self.model.load_state_dict(state)
            self.optimizer.state.clear()
        self.diverged = None
        return self.step

    def evaluate(
        self, x: np.ndarray, y: np.ndarray, batch_size: int = EVALUATION_BATCH_SIZE
    ) -> tuple[float, float | None]:
        """(mean loss, accuracy or None) over x (N, ...) and y (N, ...), predicted in eval mode batch by batch."""
        pred = self.model.predict(x, batch_size=batch_size)
        loss = float(self.loss.forward(pred, y))
        return loss, (None if self.accuracy is None else self.accuracy(pred, y))

    def _stop_reason(self):
        if self.max_steps is not None and self.step >= self.max_steps:
            return "max_steps"
        if self.max_epochs is not None and self.epoch >= self.max_epochs:
            return "max_epochs"
        if self.target_loss is not None and self._last_epoch_loss <= self.target_loss:
            return "target_loss"
        return None

    def upcoming_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of the batch the next step will train on, without moving on: at an epoch's end the new order is
        drawn from a copy of `rng`, the same one the step will draw."""
        order, position = self._order_from(copy.deepcopy(self.rng))
        indices = order[position : position + self.batch_size]
        return self.x_train[indices], self.y_train[indices]

    def _order_from(self, rng: np.random.Generator) -> tuple[np.ndarray, int]:
        """(order, position) of the next batch: a new order from `rng` when the last one is used up."""
        if self._position < len(self._order):
            return self._order, self._position
        return (rng.permutation(len(self.x_train)) if self.shuffle else self._order), 0

    def _next_batch(self):
        """Indices of the next batch, starting a new epoch (and a new order) when the last one is used up."""
        if self._position >= len(self._order):
            self._order, self._position = self._order_from(self.rng)
            self._epoch_loss_sum = 0.0
        indices = self._order[self._position : self._position + self.batch_size]
        self._position += len(indices)
        return indices

    def _is_good(self, batch_loss: float) -> bool:
        """Whether weights with this batch loss are sane enough to go back to (see the module's docstring)."""
        reference = min(self._epoch_losses) if self._epoch_losses else self._first_loss
        return bool(batch_loss <= GOOD_FACTOR * max(reference, LOSS_FLOOR))  # False for NaN

    def _one_step(self):
        """One train_step on the next batch, then the step and epoch counts; the event to yield."""
        indices = self._next_batch()
        # The weights before the step, taken before forward (which moves BatchNorm's statistics), and where they were.
        before = (self.model.state_dict(), self.step, self.epoch, self._position - len(indices), self._order,
                  self._epoch_loss_sum)  # fmt: skip
        x_batch, y_batch = self.x_train[indices], self.y_train[indices]
        try:
            batch_loss = train_step(self.model, self.loss, self.optimizer, x_batch, y_batch, self._guard)
        except Diverged as diverged:
            if self._checkpoint is None or self._is_good(self._guard.last_loss):
                self._checkpoint = before
            self.diverged = DivergedEvent(self.step, self.epoch, str(diverged), self.last_good_step)
            return self.diverged

        if np.isinf(self._first_loss):
            self._first_loss = batch_loss
        if self._is_good(batch_loss):
            self._checkpoint = before
        self.step += 1
        self._guard.best_loss = min(self._guard.best_loss, batch_loss)
        self._epoch_loss_sum += batch_loss * len(indices)
        epoch = self.epoch
        epoch_end = self._position >= len(self._order)
        if epoch_end:
            self.epoch += 1
            self._last_epoch_loss = self._epoch_loss_sum / len(self._order)
            self._epoch_losses.append(self._last_epoch_loss)
        return StepEvent(step=self.step, epoch=epoch, epoch_end=epoch_end, batch_loss=batch_loss)
