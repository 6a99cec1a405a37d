"""A training session of the MNIST lab: the digits, model and Trainer an MnistState describes. No Panel here.

Test metrics during training come from a fixed subset of the test digits (fast), the whole test set at the end
of every epoch, whose predictions are kept for the views of the test results; the train loss is the mean batch loss
since the last point of the curves.
"""

from dataclasses import dataclass, field

import numpy as np

from nn_core import SpecError, make_loss
from nn_core.datasets import load_mnist
from nn_core.trainer import Trainer
from playground.core.site_data import mnist_data
from playground.core.status import TrainingRecord
from playground.core.training import TrainingSession
from playground.core.weight_history import WeightHistory
from playground.mnist.architecture import build
from playground.mnist.evaluation import PREDICT_BATCH, predict, probabilities
from playground.mnist.representations import layer_outputs
from playground.mnist.state import LEARNING_RATES, LIVE_SETTINGS, SETTINGS

TEST_SUBSET = 300  # test digits evaluated for each point of the curves
TRAIN_SUBSET = 100  # training digits for the train accuracy
EVALUATE_EVERY = 50  # steps between points of the curves: evaluation costs about 8% of training
MAX_HISTORY = 1000
SUBSET_STREAM = 1  # the subsets are drawn from a Generator seeded with (seed, SUBSET_STREAM)


def _history():
    return {"step": [], "train": [], "test": [], "train_accuracy": [], "test_accuracy": []}


@dataclass
class MnistRecord(TrainingRecord):
    """TrainingRecord plus accuracy curves and how many test digits the last test figures cover."""

    history: dict = field(default_factory=_history)
    test_digits: int = 0


class MnistSession(TrainingSession):
    """Owns the data, model and Trainer for an MnistState and keeps `view` up to date."""

    def __init__(self, state):
        self.state = state
        self.view = MnistRecord()
        self.model = self.trainer = None
        self.weights = self.previous_weights = None  # WeightHistory of this run and of the one before
        self._batch_losses = []
        self._predictions = (None, None)  # ((structure, step), (probabilities, digits)) of the test digits
        self._build()
        state.param.watch(self._on_settings, SETTINGS)

    def reset(self):
        """The initial weights again (same seed), counters and history cleared."""
        self._build()

    def _build(self):
        state, view = self.state, self.view
        view.status, view.message, view.step, view.epoch = "loading", "", 0, 0
        view.history, view.train_loss, view.test_loss = _history(), None, None
        view.train_accuracy = view.test_accuracy = None
        self.x_train, self.y_train = load_mnist("train", state.input_size, data=mnist_data())
        self.x_test, self.y_test = load_mnist("test", state.input_size, data=mnist_data())
        rng = np.random.default_rng([state.seed, SUBSET_STREAM])
        self.test_subset = np.sort(rng.choice(len(self.x_test), TEST_SUBSET, replace=False))
        self.train_subset = np.sort(rng.choice(len(self.x_train), TRAIN_SUBSET, replace=False))
        if self.weights is not None and self.weights.epochs:
            self.previous_weights = self.weights
        self.weights = WeightHistory(f"run {view.structure + 1}")
        view.structure += 1
        try:
            self.model = build(state.layers, state.input_size, seed=state.seed)
        except SpecError as error:
            self.model = self.trainer = None
            view.status, view.message = "error", f"Cannot build this network: {error}"
            return
        self.trainer = Trainer(
            self.model,
            make_loss("softmax_cross_entropy"),
            state.make_optimizer(),
            self.x_train,
            self.y_train,
            batch_size=state.batch_size,
            rng=np.random.default_rng(state.seed),
        )
        view.status = "ready"
        self._evaluate(full_test=False)
        self.weights.record(0, self.params())

    def _on_settings(self, *events):
        names = {event.name for event in events}
        if names <= LIVE_SETTINGS and self.trainer is not None:
            state, trainer = self.state, self.trainer
            if type(trainer.optimizer).__name__.lower() != state.optimizer:
                trainer.optimizer = state.make_optimizer()
            trainer.optimizer.learning_rate = state.learning_rate
            trainer.batch_size = state.batch_size
        elif names != {"preset"}:  # a preset arrives as its new layers
            self._build()

    def _on_step(self, event):
        self._batch_losses.append(event.batch_loss)
        if event.epoch_end:
            self._evaluate(full_test=True)
            self.weights.record(self.trainer.epoch, self.params())
        elif event.step % EVALUATE_EVERY == 0:
            self._evaluate(full_test=False)

    def _refresh(self):
        self.view.step, self.view.epoch = self.trainer.step, self.trainer.epoch

    def _evaluate(self, full_test):
        """A new point of the curves: test loss and accuracy on the subset or every test digit."""
        view, trainer = self.view, self.trainer
        if full_test:  # the predictions are kept for the test results
            logits = self.model.predict(self.x_test, batch_size=PREDICT_BATCH)
            view.test_loss = float(trainer.loss.forward(logits, self.y_test))
            view.test_accuracy = trainer.accuracy(logits, self.y_test)
            self._predictions = ((view.structure, trainer.step), probabilities(logits))
        else:
            test = self.test_subset
            view.test_loss, view.test_accuracy = trainer.evaluate(self.x_test[test], self.y_test[test])
        view.test_digits = len(self.y_test) if full_test else len(self.test_subset)
        train = self.train_subset
        train_loss, view.train_accuracy = trainer.evaluate(self.x_train[train], self.y_train[train])
        view.train_loss = float(np.mean(self._batch_losses)) if self._batch_losses else train_loss
        self._batch_losses = []
        self._refresh()
        self._record()

    def _record(self):
        view, history = self.view, self.view.history
        if history["step"] and history["step"][-1] == view.step:  # the full test replaces a subset's point
            for values in history.values():
                values.pop()
        values = (view.step, view.train_loss, view.test_loss, view.train_accuracy, view.test_accuracy)
        for key, value in zip(history, values, strict=True):
            history[key].append(value)
            if len(history[key]) > MAX_HISTORY:
                del history[key][1::2]

    def test_predictions(self):
        """(probabilities (2000, 10), predicted digits (2000,)) for every test digit, computed once per step.

        While training runs they are those of the last epoch end (see `predictions_step`), so that the test results
        cost no extra predictions; otherwise those of the current weights.
        """
        key = (self.view.structure, self.trainer.step)
        kept = self._predictions[0] is not None and self._predictions[0][0] == self.view.structure
        if self._predictions[0] != key and not (kept and self.view.status == "running"):
            self._predictions = (key, predict(self.model, self.x_test))
        return self._predictions[1]

    @property
    def predictions_step(self):
        """The step of the weights `test_predictions()` last returned (None before any)."""
        return None if self._predictions[0] is None else self._predictions[0][1]

    def subset_outputs(self, layer):
        """Outputs of layer `layer` for the test subset, (TEST_SUBSET, *layer shape), with their true digits."""
        subset = self.test_subset
        return layer_outputs(self.model, self.x_test[subset], layer), self.y_test[subset]

    def params(self):
        """Copies of the model's parameters by dotted name."""
        return {name: param.copy() for name, param, _ in self.model.named_params()}

    def _divergence_advice(self, event):
        smaller = [rate for rate in LEARNING_RATES if rate <= self.state.learning_rate / 10]
        fix = f"try a learning rate of {smaller[-1]:g}" if smaller else "try Adam or a smaller batch"
        return (
            f"Training diverged at step {event.step}: {event.reason}. {fix.capitalize()}, "
            "then press Restore to go back to the last good weights."
        )
