"""What every training page's session shares, Panel-free: play, pause, step a batch or an epoch, restore after a
divergence and `tick(n)` for the periodic callback; reset, the live settings (optimizer, learning rate, batch size),
rebuilds that keep training running, the divergence advice, the stall warnings (`playground/core/detectors.py`),
the curves' history and the weight-distribution records.

A page's session subclasses TrainingSession. It sets `state` (TrainingSettings), `view` (a TrainingRecord),
`model`, `trainer`, the class attributes `learning_rates` (its learning-rate menu), `other_fix` (the advice when
no rate on it is small enough), `high_learning_rate` and `other_stall_fix` (the stall advice below that rate),
`check_unit` (what a stall's length is told in) and `low_accuracy`, and supplies the hooks `_build()` (a
new model and Trainer from the state), `_refresh()` (the view from the trainer), `_layer_name(layer)` and
`_layer_titles()` (how the page names its layers, for the weight distributions); it calls
`_rebuild()` when a setting needs a new model and `_check_training(x, y)` every so often while training; it may
override `_on_step(event)` (each applied update), `_apply_live_settings()` (more live settings),
`_after_restore()` and `_fix_sentence(fix)` (how the advice is worded).

Banners: `view.message` shows one text at a time. The session's own notes (the stall warning, the note after a
Restore) replace each other and go away by themselves, but never replace another message (a divergence, an error,
a refused file), which stays until the action that made it is undone.
"""

import bisect
import math
import time
from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

import numpy as np

from nn_core.events import DivergedEvent, StepEvent, StoppedEvent
from nn_core.model import Sequential
from nn_core.optimizers import Optimizer
from nn_core.trainer import Trainer, evaluation_mode
from playground.core.detectors import LayerHealth, StallDetector, describe
from playground.core.status import Status, TrainingRecord
from playground.core.student_code import StudentCodeError, swap_in, swap_out
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
    high_learning_rate: ClassVar[float] = math.inf  # from this rate on, a stall is blamed on the learning rate
    other_stall_fix: ClassVar[str] = ""  # the stall advice below that rate (a sentence)
    check_unit: ClassVar[str] = "epoch"  # what a stall's length is told in: "epoch" or "step"
    low_accuracy: ClassVar[float] = 0.75  # a stall needs the training accuracy below this

    state: TrainingSettings
    view: TrainingRecord
    model: Sequential | None = None
    trainer: Trainer | None = None
    weights: WeightHistory | None = None  # the weight distributions of this run (or network)
    previous_weights: WeightHistory | None = None  # and of the one before, once it had a record
    detector: StallDetector | None = None  # watches the training checks for saturated or dead neurons
    _warning = ""  # the stall warning, while the banner shows it
    _warned = None  # the detector's Finding it words
    _restore_note = ""  # the note after a Restore, while the banner shows it
    _diverged_rate: float | None = None  # the learning rate at the last divergence
    own_functions: dict = {}  # noqa: RUF012 - {engine layer class: the student's methods it runs}, set per session
    editor_texts: dict = {}  # noqa: RUF012 - {layer class name: the text the editor starts from}, set by a lesson

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

    def tick(self, n_steps: int, refresh: bool = True) -> None:
        """While running, apply up to n_steps updates and refresh the view (unless told not to: the Ticker trains in
        short slices while the page paints and refreshes once, before it redraws); otherwise do nothing."""
        if self.view.status == Status.RUNNING:
            self._train(n_steps, refresh=refresh)

    def refresh(self) -> None:
        """The view from the trainer: counters, losses, the curves' next point (after ticks without a refresh)."""
        self._refresh()

    def step_batch(self, n: int = 1) -> None:
        """`n` updates (fewer when training diverges), then paused."""
        self._step_while(lambda event: True, n)

    def step_epoch(self) -> None:
        """Updates up to the end of the current epoch, then paused."""
        self._step_while(lambda event: not event.epoch_end, len(self.trainer.x_train))

    def restore_last_good(self) -> None:
        """After a divergence: back to the last good weights (the Trainer's checkpoint from before the loss started
        to grow: weights, step and epoch), paused; the curves forget the steps after it and a note says where
        training went back to."""
        if self.view.status != Status.DIVERGED:
            return
        step = self.trainer.restore_last_good()
        history = self.view.history
        kept = bisect.bisect_right(history["step"], step)
        for values in history.values():
            del values[kept:]
        if self.weights is not None:
            self.weights.forget_after(self.trainer.epoch)
        self.view.status, self.view.message = Status.PAUSED, ""
        note = f"Back to the weights of step {step}, from before the loss started to grow."
        if self._diverged_rate is not None and self.state.learning_rate >= self._diverged_rate:
            note += f" The learning rate is still {self.state.learning_rate:g}: lower it before you press Play."
        else:
            note += " Press Play to train on."
        self._note("_restore_note", note)
        self._after_restore()

    def smaller_rates(self) -> list[float]:
        """The menu's rates at most a tenth of the current one, smallest first (the advice names the last)."""
        return [rate for rate in self.learning_rates if rate <= self.state.learning_rate / 10]

    def params(self) -> dict[str, np.ndarray]:
        """Copies of the model's parameters by dotted name."""
        return {name: param.copy() for name, param, _ in self.model.named_params()}

    # -- training -----------------------------------------------------------------------------------

    def _step_while(self, keep_going: Callable[[StepEvent], bool], limit: int) -> None:
        if self.view.status in (Status.ERROR, Status.DIVERGED, Status.LOADING):
            return
        self.view.status = Status.PAUSED
        self._train(limit, keep_going)

    @property
    def own_code(self) -> str | None:
        """The kind of layer that runs a student's code ("Dense"), or None."""
        return next((cls.__name__ for cls in self.own_functions), None)

    def use_own_code(self, cls: type, functions: dict) -> None:
        """The model's layers of class `cls` run the student's `functions` (compiled by student_code), also in
        every network built later; any other kind goes back to the engine's code."""
        self.own_functions = {cls: functions}
        self._own_code_again()

    def engine_code(self) -> None:
        """Every layer back on the engine's code."""
        self.own_functions = {}
        self._own_code_again()

    def _own_code_again(self) -> None:
        """After a new model (a rebuild, a network edit): the student's code put back into its layers."""
        if self.model is None:
            return
        swap_out(self.model)
        for cls, functions in self.own_functions.items():
            swap_in(self.model, cls, functions)

    def own_code_failed(self, error: StudentCodeError) -> None:
        """A student's code (the glass box's editor) raised: every layer back on the engine's code, paused, and the
        banner says why."""
        self.engine_code()
        if self.view.status == Status.RUNNING:
            self.view.status = Status.PAUSED
        self.view.message = (
            f"Your code stopped training: {error}. The network runs the engine's code again; fix yours and press "
            "Use my code."
        )

    def _train(
        self, n_steps: int, keep_going: Callable[[StepEvent], bool] = lambda event: True, refresh: bool = True
    ) -> None:
        started = time.perf_counter()
        self._note("_restore_note", "")  # training goes on: the note after a Restore has been read
        try:
            steps = self._apply_steps(n_steps, keep_going)
            if steps:
                self.view.seconds_per_step = (time.perf_counter() - started) / steps
            if refresh:
                self._refresh()
        except StudentCodeError as error:  # raised inside a layer running the student's code: the engine's again
            self.own_code_failed(error)
            self._refresh()

    def _apply_steps(self, n_steps: int, keep_going: Callable[[StepEvent], bool]) -> int:
        """Up to n_steps updates, while `keep_going(event)`; returns how many were applied."""
        steps = 0
        for event in self.trainer.steps(n_steps):
            if isinstance(event, DivergedEvent):
                self.view.status, self.view.message = Status.DIVERGED, self._divergence_advice(event)
                self._diverged_rate = self.state.learning_rate
                break
            if isinstance(event, StoppedEvent):
                self.view.status = Status.PAUSED
                break
            steps += 1
            self._on_step(event)
            if not keep_going(event):
                break
        return steps

    def _on_step(self, event: StepEvent) -> None:
        """Called with each StepEvent; nothing by default."""

    def _after_restore(self) -> None:
        """The view after a Restore; by default `_refresh()`."""
        self._refresh()

    # -- stall warnings -----------------------------------------------------------------------------

    def _check_training(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
        """One stall check on the training points x, y (a sample): a forward pass in eval mode, the health of the
        activation layers, and the warning shown or cleared. Returns the sample's (loss, accuracy or None)."""
        model, trainer = self.model, self.trainer
        with evaluation_mode(model), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            trace = model.forward_trace(x)
            loss = float(trainer.loss.forward(trace[-1], y))
            accuracy = None if trainer.accuracy is None else trainer.accuracy(trace[-1], y)
        when = trainer.epoch if self.check_unit == "epoch" else trainer.step
        finding = self.detector.check(model, trace, loss, accuracy, when)
        if finding is None:
            warning = ""
        elif finding is self._warned and self._warning:
            warning = self._warning  # the same trouble keeps its words (and the rate it advised back then)
        else:
            warning = describe(finding, self._layer_name, self.check_unit, self._stall_fix())
        self._note("_warning", warning)
        self._warned = finding
        self.detector.shown = bool(self._warning)
        return loss, accuracy

    def _layer_name(self, layer: LayerHealth) -> str:
        """How the page names the activation layer at `layer.position`, e.g. "hidden layer 1"."""
        return f"layer {layer.position} ({layer.activation})"

    def _stall_fix(self) -> str:
        """What to try about a stall: from `high_learning_rate` on, a ten times smaller rate and Reset (a smaller
        rate alone does not bring saturated or dead neurons back); below it `other_stall_fix`."""
        smaller = self.smaller_rates()
        if self.state.learning_rate >= self.high_learning_rate and smaller:
            return (
                "It rarely recovers by itself, and a smaller learning rate alone will not bring it back: choose a "
                f"smaller one (try {smaller[-1]:g}) and press Reset to start again from the first weights."
            )
        return self.other_stall_fix

    def _note(self, kind: str, text: str) -> None:
        """Shows `text` as the session's note `kind` ("_warning" or "_restore_note"), or clears it with "": only
        over an empty banner or the session's own notes, never over another message."""
        if self.view.message in ("", self._warning, self._restore_note):
            if text or self.view.message == getattr(self, kind):
                self.view.message = text
        setattr(self, kind, text if text and self.view.message == text else "")

    # -- building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        """A new model and Trainer from the state: status ready, or error with the reason."""
        raise NotImplementedError

    def _rebuild(self) -> None:
        """A setting that needs a new model changed: `_build()`, and training goes on if it was running (as in
        TensorFlow Playground, a new data set or network while playing keeps playing)."""
        running = self.view.status == Status.RUNNING
        self._build()
        if running and self.view.status == Status.READY:
            self.view.status = Status.RUNNING

    def _start_build(self) -> None:
        """The view before a build: loading, no message, counters at 0 and empty curves, a new stall detector."""
        view = self.view
        view.status, view.message, view.step, view.epoch = Status.LOADING, "", 0, 0
        view.history = type(view)().history  # a new record's curves: the keys this page draws, no points
        self.detector = StallDetector(self.low_accuracy)
        self._warning, self._warned, self._restore_note = "", None, ""

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
        self.weights = WeightHistory(f"run {self.view.structure}", self._layer_titles())
        if epoch is not None:
            self._record_weights(epoch)

    def _layer_titles(self) -> dict[int, str]:
        """{model layer: how the page names it} of the network being built, e.g. {0: "layer 1", 2: "output"}."""
        raise NotImplementedError

    def _record_weights(self, epoch: int) -> None:
        """The current weights' distributions as those of `epoch` (once per epoch)."""
        self.weights.record(epoch, {name: param for name, param, _ in self.model.named_params()})

    def _divergence_advice(self, event: DivergedEvent) -> str:
        """The banner after a divergence: after which step (as the status line counts) and why, a ten times smaller
        learning rate from the menu (or `other_fix`), then Restore and the step it goes back to."""
        smaller = self.smaller_rates()
        fix = f"try a learning rate of {smaller[-1]:g}" if smaller else self.other_fix
        good = "" if event.last_good_step is None else f" (those of step {event.last_good_step})"
        return (
            f"Training diverged after step {event.step}: {event.reason}. {self._fix_sentence(fix)}, "
            f"then press Restore to go back to the last good weights{good}."
        )

    def _fix_sentence(self, fix: str) -> str:
        """The advice `fix` ("try ...") as the start of a sentence: its first letter capitalized, the rest kept."""
        return fix[:1].upper() + fix[1:]
