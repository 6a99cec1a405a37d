"""What every training page's session shares, Panel-free: play, pause, step a batch or an epoch, restore after a
divergence and `tick(n)` for the periodic callback; reset, the live settings (optimizer, learning rate, batch size),
the divergence advice, the curves' history and the weight-distribution records.

A page's session subclasses TrainingSession. It sets `state` (TrainingSettings), `view` (a TrainingRecord),
`model`, `trainer`, the class attributes `learning_rates` (its learning-rate menu) and `other_fix` (the advice when
no rate on it is small enough), and supplies the hooks `_build()` (a new model and Trainer from the state) and
`_refresh()` (the view from the trainer); it may override `_on_step(event)` (each applied update),
`_apply_live_settings()` (more live settings) and `_fix_sentence(fix)` (how the advice is worded).
"""

import time
from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

import numpy as np

from nn_core.events import DivergedEvent, StepEvent, StoppedEvent
from nn_core.model import Sequential
from nn_core.optimizers import Optimizer
from nn_core.trainer import Trainer
from playground.core.status import Status, TrainingRecord
from playground.core.weight_history import WeightHistory

MAX_HISTORY = 1000  # points of the curves kept; past it every other one is dropped (the first stays)


class TrainingSettings(Protocol):
    """The settings a TrainingSession reads from a page's state (a PlaygroundState or an MnistState)."""

    optimizer: str
    learning_rate: float
    batch_size: int

    def make_optimizer(self) -> Optimizer: ...


class TrainingSession:
    """Play/pause/step over `self.trainer`, keeping `self.view.status` and `seconds_per_step` up to date."""

    learning_rates: ClassVar[Sequence[float]] = ()  # the page's menu: the advice names a ten times smaller rate
    other_fix: ClassVar[str] = ""  # the advice when the menu has no such rate

    state: TrainingSettings
    view: TrainingRecord
    model: Sequential | None = None
    trainer: Trainer | None = None
    weights: WeightHistory | None = None  # the weight distributions of this run (or network)
    previous_weights: WeightHistory | None = None  # and of the one before, once it had a record

    # -- controls -----------------------------------------------------------------------------------

    def reset(self) -> None:
        """The initial weights again (same seed), counters and history cleared."""
        self._build()

    def play(self) -> None:
        if self.view.status in (Status.READY, Status.PAUSED):
            self.view.status = Status.RUNNING

    def pause(self) -> None:
        if self.view.status == Status.RUNNING:
            self.view.status = Status.PAUSED

    def toggle(self) -> None:
        """Play when stopped, pause when running (the play button)."""
        self.pause() if self.view.status == Status.RUNNING else self.play()

    def steps_per_epoch(self) -> int:
        """Updates in one pass over the training points (the last batch may be smaller); 1 with no trainer."""
        if self.trainer is None:
            return 1
        return -(-len(self.trainer.x_train) // self.trainer.batch_size)

    def tick(self, n_steps: int) -> None:
        """While running, apply up to n_steps updates and refresh the view; otherwise do nothing."""
        if self.view.status == Status.RUNNING:
            self._train(n_steps)

    def step_batch(self) -> None:
        """One update, then paused."""
        self._step_while(lambda event: False, 1)

    def step_epoch(self) -> None:
        """Updates up to the end of the current epoch, then paused."""
        self._step_while(lambda event: not event.epoch_end, len(self.trainer.x_train))

    def restore_last_good(self) -> None:
        """After a divergence: the weights from before the failing update, paused."""
        if self.view.status == Status.DIVERGED:
            self.trainer.restore_last_good()
            self.view.status, self.view.message = Status.PAUSED, ""
            self._refresh()

    def params(self) -> dict[str, np.ndarray]:
        """Copies of the model's parameters by dotted name."""
        return {name: param.copy() for name, param, _ in self.model.named_params()}

    # -- training -----------------------------------------------------------------------------------

    def _step_while(self, keep_going: Callable[[StepEvent], bool], limit: int) -> None:
        if self.view.status in (Status.ERROR, Status.DIVERGED, Status.LOADING):
            return
        self.view.status = Status.PAUSED
        self._train(limit, keep_going)

    def _train(self, n_steps: int, keep_going: Callable[[StepEvent], bool] = lambda event: True) -> None:
        started, steps = time.perf_counter(), 0
        for event in self.trainer.steps(n_steps):
            if isinstance(event, DivergedEvent):
                self.view.status, self.view.message = Status.DIVERGED, self._divergence_advice(event)
                break
            if isinstance(event, StoppedEvent):
                self.view.status = Status.PAUSED
                break
            steps += 1
            self._on_step(event)
            if not keep_going(event):
                break
        if steps:
            self.view.seconds_per_step = (time.perf_counter() - started) / steps
        self._refresh()

    def _on_step(self, event: StepEvent) -> None:
        """Called with each StepEvent; nothing by default."""

    # -- building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        """A new model and Trainer from the state: status ready, or error with the reason."""
        raise NotImplementedError

    def _start_build(self) -> None:
        """The view before a build: loading, no message, counters at 0 and empty curves."""
        view = self.view
        view.status, view.message, view.step, view.epoch = Status.LOADING, "", 0, 0
        view.history = type(view)().history  # a new record's curves: the keys this page draws, no points

    def _build_failed(self, error: Exception) -> None:
        """The view after a build that failed: error, and why."""
        self.view.status, self.view.message = Status.ERROR, f"Cannot build this network: {error}"

    def _apply_live_settings(self) -> None:
        """The optimizer (a new one when another kind is chosen), learning rate and batch size take effect at the
        next update; the model, its weights and the counters stay."""
        state, trainer = self.state, self.trainer
        if type(trainer.optimizer).__name__.lower() != state.optimizer:
            trainer.optimizer = state.make_optimizer()
        trainer.optimizer.learning_rate = state.learning_rate
        trainer.batch_size = state.batch_size

    # -- what the view shows ------------------------------------------------------------------------

    def _refresh(self) -> None:
        raise NotImplementedError

    def _add_point(self, point: dict[str, float | None], replace: bool = False) -> None:
        """Appends `point` {history key: value} (every key of `view.history`) to the curves. When the last point
        is of the same step, it is kept (`point` dropped) or, with `replace`, replaced. Past MAX_HISTORY points,
        every other one is dropped."""
        history = self.view.history
        if history["step"] and history["step"][-1] == point["step"]:
            if not replace:
                return
            for values in history.values():
                values.pop()
        for key, value in point.items():
            history[key].append(value)
            if len(history[key]) > MAX_HISTORY:
                del history[key][1::2]

    def _new_weight_history(self, epoch: int | None = None) -> None:
        """A new record of the weight distributions, "run <structure>"; the last one becomes the previous when it
        has a record. With `epoch`, the current weights are its first record."""
        if self.weights is not None and self.weights.epochs:
            self.previous_weights = self.weights
        self.weights = WeightHistory(f"run {self.view.structure}")
        if epoch is not None:
            self._record_weights(epoch)

    def _record_weights(self, epoch: int) -> None:
        """The current weights' distributions as those of `epoch` (once per epoch)."""
        self.weights.record(epoch, {name: param for name, param, _ in self.model.named_params()})

    def _divergence_advice(self, event: DivergedEvent) -> str:
        """The banner after a divergence: where and why, a ten times smaller learning rate from the menu (or
        `other_fix`), then Restore."""
        smaller = [rate for rate in self.learning_rates if rate <= self.state.learning_rate / 10]
        fix = f"try a learning rate of {smaller[-1]:g}" if smaller else self.other_fix
        return (
            f"Training diverged at step {event.step}: {event.reason}. {self._fix_sentence(fix)}, "
            "then press Restore to go back to the last good weights."
        )

    def _fix_sentence(self, fix: str) -> str:
        """The advice `fix` ("try ...") as the start of a sentence: capitalized (with str.capitalize)."""
        return fix.capitalize()
