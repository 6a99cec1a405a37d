"""A training session of the MNIST lab: the digits, model and Trainer an MnistState describes. No Panel here.

Test metrics during training come from a fixed subset of the test digits (fast), the whole test set at the end
of every epoch, whose predictions are kept for the views of the test results; the train loss is the mean batch loss
since the last point of the curves. Each point of the curves is also a stall check on the training subset
(`core/detectors.py`). A setting that builds a new model keeps training running if it was.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import param

from nn_core import SpecError, make_loss
from nn_core.datasets import load_mnist
from nn_core.events import StepEvent
from nn_core.trainer import Trainer
from playground.core.model_files import ModelFiles
from playground.core.site_data import mnist_data
from playground.core.status import Status, TrainingRecord
from playground.core.training import TrainingSession
from playground.mnist import model_files
from playground.mnist.architecture import build, layer_titles
from playground.mnist.evaluation import PREDICT_BATCH, predict, probabilities
from playground.mnist.representations import layer_outputs
from playground.mnist.state import LEARNING_RATES, LIVE_SETTINGS, SETTINGS, MnistState

if TYPE_CHECKING:
    from nn_core.export_notebook import TrainingSetup

TEST_SUBSET = 300  # test digits evaluated for each point of the curves
TRAIN_SUBSET = 100  # training digits for the train accuracy
EVALUATE_EVERY = 50  # steps between points of the curves: evaluation costs about 8% of training
SUBSET_STREAM = 1  # the subsets are drawn from a Generator seeded with (seed, SUBSET_STREAM)


def _history() -> dict[str, list]:
    return {"step": [], "train": [], "test": [], "train_accuracy": [], "test_accuracy": []}


@dataclass
class MnistRecord(TrainingRecord):
    """TrainingRecord plus accuracy curves and how many test digits the last test figures cover."""

    history: dict = field(default_factory=_history)
    test_digits: int = 0


class MnistSession(TrainingSession, ModelFiles):
    """Owns the data, model and Trainer for an MnistState and keeps `view` up to date.

    Play, pause, stepping, `tick(n)`, reset, restoring after a divergence, the live settings, the curves and the
    weight histories (of this run and of the one before) come from TrainingSession; the model files (.npz, Python,
    PyTorch, notebook) from ModelFiles.
    """

    learning_rates = LEARNING_RATES
    other_fix = "try Adam or a smaller batch"
    high_learning_rate = 0.01  # Adam from 0.01 on can kill the ReLUs of the presets
    other_stall_fix = "Try a smaller learning rate or another activation, then press Reset."
    check_unit = "step"  # a check at every point of the curves: every EVALUATE_EVERY steps and at epoch ends
    low_accuracy = 0.5  # ten classes: chance is 10%

    def __init__(self, state: MnistState) -> None:
        self.state = state
        self.view = MnistRecord()
        self._predictions = (None, None)  # ((structure, step), (probabilities, digits)) of the test digits
        self._build()
        state.param.watch(self._on_settings, SETTINGS)

    def _build(self) -> None:
        state, view = self.state, self.view
        self._start_build()
        view.train_loss = view.test_loss = view.train_accuracy = view.test_accuracy = None
        self._batch_losses = []  # those of the network before: its train loss goes with the rest of its curves
        self.x_train, self.y_train = load_mnist("train", state.input_size, data=mnist_data())
        self.x_test, self.y_test = load_mnist("test", state.input_size, data=mnist_data())
        rng = np.random.default_rng([state.seed, SUBSET_STREAM])
        self.test_subset = np.sort(rng.choice(len(self.x_test), TEST_SUBSET, replace=False))
        self.train_subset = np.sort(rng.choice(len(self.x_train), TRAIN_SUBSET, replace=False))
        view.structure += 1
        self._new_weight_history()
        try:
            self.model = build(state.layers, state.input_size, seed=state.seed)
        except SpecError as error:
            self.model = self.trainer = None
            self._build_failed(error)
            return
        self._own_code_again()
        self.trainer = Trainer(
            self.model,
            make_loss("softmax_cross_entropy"),
            state.make_optimizer(),
            self.x_train,
            self.y_train,
            batch_size=state.batch_size,
            rng=np.random.default_rng(state.seed),
        )
        view.status = Status.READY
        self._evaluate(full_test=False)
        self._record_weights(0)

    def _layer_titles(self) -> dict[int, str]:
        return layer_titles(self.state.layers)

    def _on_settings(self, *events: param.parameterized.Event) -> None:
        names = {event.name for event in events}
        if names <= LIVE_SETTINGS and self.trainer is not None:
            self._apply_live_settings()
        elif names != {"preset"}:  # a preset arrives as its new layers
            self._rebuild()

    def _on_step(self, event: StepEvent) -> None:
        self._batch_losses.append(event.batch_loss)
        if event.epoch_end:
            self._evaluate(full_test=True)
            self._record_weights(self.trainer.epoch)
        elif event.step % EVALUATE_EVERY == 0:
            self._evaluate(full_test=False)

    def _refresh(self) -> None:
        self.view.step, self.view.epoch = self.trainer.step, self.trainer.epoch

    def _after_restore(self) -> None:
        self._batch_losses = []  # those of the run-away steps
        self._evaluate(full_test=False)

    def _evaluate(self, full_test: bool) -> None:
        """A new point of the curves: test loss and accuracy on the subset or every test digit."""
        view, trainer = self.view, self.trainer
        if full_test:  # the predictions are kept for the test results
            logits = self.model.predict(self.x_test, batch_size=PREDICT_BATCH)
            view.test_loss = float(trainer.loss.forward(logits, self.y_test))
            view.test_accuracy = trainer.accuracy(logits, self.y_test)
            self._predictions = ((view.structure, trainer.step), probabilities(logits))
        else:
            test = self.test_subset
            view.test_loss, view.test_accuracy = trainer.evaluate(self.x_test[test], self.y_test[test], PREDICT_BATCH)
        view.test_digits = len(self.y_test) if full_test else len(self.test_subset)
        train = self.train_subset
        train_loss, view.train_accuracy = self._check_training(self.x_train[train], self.y_train[train])
        view.train_loss = float(np.mean(self._batch_losses)) if self._batch_losses else train_loss
        self._batch_losses = []
        self._refresh()
        self._record()

    def _record(self) -> None:
        """The view's figures as a point of the curves; the full test replaces a subset's point of the same step."""
        view = self.view
        point = {
            "step": view.step,
            "train": view.train_loss,
            "test": view.test_loss,
            "train_accuracy": view.train_accuracy,
            "test_accuracy": view.test_accuracy,
        }
        self._add_point(point, replace=True)

    def test_predictions(self) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities (2000, 10), predicted digits (2000,)) for every test digit, computed once per step.

        While training runs they are those of the last epoch end (see `predictions_step`), so that the test results
        cost no extra predictions; otherwise those of the current weights.
        """
        key = (self.view.structure, self.trainer.step)
        kept = self._predictions[0] is not None and self._predictions[0][0] == self.view.structure
        if self._predictions[0] != key and not (kept and self.view.status == Status.RUNNING):
            self._predictions = (key, predict(self.model, self.x_test))
        return self._predictions[1]

    @property
    def predictions_step(self) -> int | None:
        """The step of the weights `test_predictions()` last returned (None before any)."""
        return None if self._predictions[0] is None else self._predictions[0][1]

    def training_setup(self) -> "TrainingSetup":
        """How this session trains (loss, optimizer, batch size) with a sample of its digits, for the notebook."""
        from nn_core.export_notebook import TrainingSetup

        digits = model_files.sample_digits(self.state.input_size)
        return TrainingSetup.of(self.trainer, digits, epochs=model_files.NOTEBOOK_EPOCHS)

    def demo_inputs(self) -> tuple[np.ndarray, str]:
        """The first test digits, for the PyTorch script's demo."""
        return self.x_test, "test digits"

    def subset_outputs(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """Outputs of layer `layer` for the test subset, (TEST_SUBSET, *layer shape), with their true digits."""
        subset = self.test_subset
        return layer_outputs(self.model, self.x_test[subset], layer), self.y_test[subset]
