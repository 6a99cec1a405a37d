"""Mini-batch training as a generator of events: views pull a few steps per tick; training never calls a view.

Divergence rule: a step diverges when its batch loss is NaN or infinite, when the batch loss exceeds
EXPLODE_FACTOR times the lowest batch loss seen so far (losses below LOSS_FLOOR count as LOSS_FLOOR, so a
perfectly fitted batch does not make ordinary noise look like an explosion), when a gradient is not finite,
or when the update leaves a parameter that is not finite. The first three are checked before the update is
applied. The trainer then yields a DivergedEvent and stops; `restore_last_good()` puts back the parameters and
buffers the model had before that step.
"""

from contextlib import contextmanager

import numpy as np

from .events import WANTS, DivergedEvent, StepEvent, StoppedEvent
from .losses import BinaryCrossEntropy, SoftmaxCrossEntropy

EXPLODE_FACTOR = 1e6
LOSS_FLOOR = 1e-3
EVALUATION_BATCH_SIZE = 1024  # large batches are faster; this bounds the memory of one evaluation pass


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


def _first_not_finite(named_arrays):
    """The name of the first array holding a NaN or an infinity, or None."""
    return next((name for name, array in named_arrays if not np.all(np.isfinite(array))), None)


class Trainer:
    """Trains `model` on x_train (N, ...) and y_train (N, ...) in mini-batches, one StepEvent per update.

    Each epoch visits every example once, in an order drawn from `rng` when `shuffle` (in stored order
    otherwise, as TensorFlow Playground does); its last batch holds the remainder when batch_size does not
    divide N. `probe` is the (x, y) batch whose activations and gradients views see (default: the first
    `batch_size` training examples). `accuracy(pred, target) -> float` defaults to `default_accuracy(loss)`.
    Stop conditions can be changed between calls; `target_loss` is compared at the end of each epoch with
    that epoch's mean batch loss.
    """

    def __init__(
        self,
        model,
        loss,
        optimizer,
        x_train,
        y_train,
        *,
        batch_size,
        rng,
        x_test=None,
        y_test=None,
        probe=None,
        shuffle=True,
        accuracy="default",
        max_steps=None,
        max_epochs=None,
        target_loss=None,
    ):
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.x_train, self.y_train = x_train, y_train
        self.x_test, self.y_test = x_test, y_test
        self.batch_size, self.rng, self.shuffle = batch_size, rng, shuffle
        self.probe = probe if probe is not None else (x_train[:batch_size], y_train[:batch_size])
        self.accuracy = default_accuracy(loss) if accuracy == "default" else accuracy
        self.max_steps, self.max_epochs, self.target_loss = max_steps, max_epochs, target_loss
        self.step = 0  # updates applied so far
        self.epoch = 0  # epochs completed so far
        self.diverged = None  # the DivergedEvent that stopped training, until restore_last_good()
        self._order = np.arange(len(x_train))
        self._position = len(x_train)  # past the end: the first step starts a new epoch
        self._epoch_loss_sum = 0.0  # sum over this epoch's batches of batch loss x batch size
        self._last_epoch_loss = np.inf
        self._best_loss = np.inf
        self._last_good = None

    def steps(self, n, *, want=()):
        """Runs up to n updates, yielding a StepEvent for each, or a DivergedEvent/StoppedEvent and stopping."""
        unknown = set(want) - WANTS.keys()
        if unknown:
            raise ValueError(f"unknown want {sorted(unknown)}; choose from {sorted(WANTS)}")
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
                event = self._one_step(want)
            yield event
            if isinstance(event, DivergedEvent):
                return

    def restore_last_good(self):
        """Puts back the parameters and buffers from before the step that diverged, and allows training again."""
        if self._last_good is not None:
            self.model.load_state_dict(self._last_good)
        self.diverged = None

    def evaluate(self, x, y):
        """(mean loss, accuracy or None) over x (N, ...) and y (N, ...), predicted in eval mode batch by batch."""
        pred = self.model.predict(x, batch_size=EVALUATION_BATCH_SIZE)
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

    def _next_batch(self):
        """Indices of the next batch, starting a new epoch (and a new order) when the last one is used up."""
        if self._position >= len(self._order):
            self._order = self.rng.permutation(len(self.x_train)) if self.shuffle else self._order
            self._position = 0
            self._epoch_loss_sum = 0.0
        indices = self._order[self._position : self._position + self.batch_size]
        self._position += len(indices)
        return indices

    def _diverge(self, reason):
        self.diverged = DivergedEvent(self.step + 1, self.epoch, reason)
        return self.diverged

    def _one_step(self, want):
        indices = self._next_batch()
        self._last_good = self.model.state_dict()
        x_batch, y_batch = self.x_train[indices], self.y_train[indices]
        batch_loss = float(self.loss.forward(self.model.forward(x_batch), y_batch))
        if not np.isfinite(batch_loss):
            return self._diverge(f"the batch loss is {batch_loss}")
        if batch_loss > EXPLODE_FACTOR * max(self._best_loss, LOSS_FLOOR):
            return self._diverge(
                f"the batch loss {batch_loss:.3g} exceeds {EXPLODE_FACTOR:g} times the best so far "
                f"({self._best_loss:.3g})"
            )
        self.model.backward(self.loss.backward(), input_grad=False)  # the input gradient is never used here
        named_params = list(self.model.named_params())
        bad_grad = _first_not_finite((name, grad) for name, _, grad in named_params)
        if bad_grad is not None:
            return self._diverge(f"the gradient of {bad_grad} is not finite")
        param_grads = {name: grad.copy() for name, _, grad in named_params} if "params" in want else None
        self.optimizer.step(named_params)
        bad_param = _first_not_finite((name, param) for name, param, _ in named_params)
        if bad_param is not None:
            return self._diverge(f"the update made {bad_param} not finite")

        self.step += 1
        self._best_loss = min(self._best_loss, batch_loss)
        self._epoch_loss_sum += batch_loss * len(indices)
        epoch = self.epoch
        epoch_end = self._position >= len(self._order)
        if epoch_end:
            self.epoch += 1
            self._last_epoch_loss = self._epoch_loss_sum / len(self._order)
        return StepEvent(
            step=self.step,
            epoch=epoch,
            epoch_end=epoch_end,
            batch_loss=batch_loss,
            **self._requested(want),
            param_grads=param_grads,
        )

    def _requested(self, want):
        """The StepEvent fields asked for through `want`, apart from param_grads, all as copies."""
        fields = {}
        for name, x, y in (("train", self.x_train, self.y_train), ("test", self.x_test, self.y_test)):
            if name in want and x is not None:
                fields[f"{name}_loss"], fields[f"{name}_accuracy"] = self.evaluate(x, y)
        if "activations" in want:
            fields["activations"], fields["activation_grads"] = self._probe_trace()
        if "params" in want:
            fields["params"] = {name: param.copy() for name, param, _ in self.model.named_params()}
        return fields

    def _probe_trace(self):
        """Copies of every layer's output and of dLoss/d(that output) on the probe batch, in eval mode."""
        x, y = self.probe
        with evaluation_mode(self.model):
            outputs = self.model.forward_trace(x)
            self.loss.forward(outputs[-1], y)
            output_grads = self.model.backward_trace(self.loss.backward())
        return [output.copy() for output in outputs], [grad.copy() for grad in output_grads]
