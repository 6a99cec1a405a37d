"""A training session of the 2-D playground: the data, model and Trainer a PlaygroundState describes.

No Panel here: the app calls play/pause/step/reset and `tick(n_steps)` from a periodic callback, and draws
`session.view`, a plain record updated from the Trainer's events. Setting changes arrive through param
watchers: the learning rate, regularization, optimizer and batch size apply to the running model; anything
else (data, features, network, activations, loss) builds a new one, as TensorFlow Playground does, and training
goes on if it was running. The first refresh in each new epoch is also a stall check of the training points
(`core/detectors.py`), from the forward pass that gives the training loss anyway.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import param

from nn_core import SpecError, build_model, surgery
from nn_core.datasets import DataError, Dataset, PointSet
from nn_core.events import StepEvent
from nn_core.model import Sequential
from nn_core.optimizers import Optimizer
from nn_core.saving import ModelFileError
from nn_core.trainer import Trainer
from playground.core.detectors import Finding, LayerHealth
from playground.core.gradient_health import GradientHistory
from playground.core.landscape import WeightPath, flat_params
from playground.core.model_files import ModelFiles
from playground.core.status import Status, TrainingRecord
from playground.core.training import TrainingSession
from playground.sandbox import model_files, own_points
from playground.sandbox.diagram import layer_titles
from playground.sandbox.state import (
    LEARNING_RATES,
    MAX_LAYERS,
    MAX_WIDTH,
    SETTINGS,
    PlaygroundState,
    activation_position,
    dense_position,
    hidden_of,
)

if TYPE_CHECKING:
    from nn_core.export_notebook import TrainingSetup

LIVE_SETTINGS = {"learning_rate", "regularization", "regularization_rate", "optimizer", "batch_size"}
VIEW_SETTINGS = {"discretize", "show_test_data", "keep_weights", "network_shows"}
NEW_DATA_SETTINGS = {"problem", "dataset", "noise", "seed"}  # these replace the student's own points
SURGERY_STREAM = 1  # the Generator for new neurons' weights is seeded with (seed, SURGERY_STREAM)


def last_gradients(model: Sequential) -> dict[str, np.ndarray]:
    """Copies of dLoss/dparam of the model's last update by dotted name, or {} when there is none for the current
    network (no update yet, or a network edit since: a layer without gradients or of another shape)."""
    grads = {name: grad for name, param, grad in model.named_params() if grad is not None and grad.shape == param.shape}
    return {name: grad.copy() for name, grad in grads.items()} if len(grads) == len(list(model.named_params())) else {}


class Session(TrainingSession, ModelFiles):
    """Owns the model, data and Trainer for a PlaygroundState and keeps `view` up to date.

    Play, pause, stepping, `tick(n)`, reset, restoring after a divergence, the live settings, the curves and the
    weight histories (of this network and of the one before) come from TrainingSession; the model files (.npz,
    Python, PyTorch, notebook) from ModelFiles.
    """

    learning_rates = LEARNING_RATES
    other_fix = "try fewer layers or another activation"
    high_learning_rate = 1.0  # at 1 and above tanh, sigmoid and ReLU networks can saturate or die on TFP's data
    other_stall_fix = "Try another activation or more neurons, then press Reset."

    def __init__(self, state: PlaygroundState) -> None:
        self.state = state
        self.view = TrainingRecord()
        self.data: Dataset | None = None
        self.start_weights: dict[str, np.ndarray] = {}  # the weights this run started with (`rewind`)
        self.own_data: Dataset | None = None  # the student's own points once they edit or import some
        self._editing = False  # True while the session itself changes the state (surgery)
        self._checked_epoch = 0  # the epoch of the last stall check
        self.path = WeightPath()  # the weights at each epoch's end of this run (the loss landscape draws it)
        self.gradients = GradientHistory()  # each weight matrix's gradient norm per epoch of this run
        self._build()
        state.param.watch(self._on_settings, SETTINGS)

    # -- network edits ------------------------------------------------------------------------------

    def add_neuron(self, layer: int) -> None:
        """One more neuron in hidden layer `layer` (index among the hidden layers)."""
        widths = list(self.state.hidden_layers)
        if widths[layer] < MAX_WIDTH:
            widths[layer] += 1
            self._edit(
                {"hidden_layers": widths}, lambda rng: surgery.add_neuron(self.model, dense_position(layer), rng)
            )

    def remove_neuron(self, layer: int) -> None:
        """One neuron fewer (the last) in hidden layer `layer`; a layer's only neuron goes with its layer."""
        widths = list(self.state.hidden_layers)
        if widths[layer] == 1:
            return self.remove_layer(layer)
        widths[layer] -= 1
        self._edit(
            {"hidden_layers": widths},
            lambda rng: surgery.remove_neuron(self.model, dense_position(layer), widths[layer]),
        )

    def reshape(self, widths: list[int]) -> None:
        """The hidden layers made `widths` as the diagram's controls make them: the last layers removed or new ones
        added (each as wide as the one before), then each layer's neurons added or removed one by one; with
        keep_weights the trained weights stay (a lesson's solution changes `hidden_layers` so, `lesson check
        --verify`)."""
        while len(self.state.hidden_layers) > len(widths):
            self.remove_layer()
        while len(self.state.hidden_layers) < len(widths):
            self.add_layer()
        for layer, width in enumerate(widths):
            while self.state.hidden_layers[layer] < width:
                self.add_neuron(layer)
            while self.state.hidden_layers[layer] > width:
                self.remove_neuron(layer)

    def add_layer(self) -> None:
        """A new last hidden layer as wide as the one before it (2 neurons if it is the first)."""
        widths = list(self.state.hidden_layers)
        if len(widths) < MAX_LAYERS:
            units = widths[-1] if widths else 2
            position, activation = dense_position(len(widths)), self.state.activation
            self._edit(
                {"hidden_layers": [*widths, units]},
                lambda rng: surgery.add_layer(self.model, position, units, activation, rng),
            )

    def remove_layer(self, layer: int = -1) -> None:
        """Removes hidden layer `layer` (the last by default) and its activation."""
        widths = list(self.state.hidden_layers)
        if widths:
            layer %= len(widths)
            del widths[layer]
            activations = list(self.state.layer_activations)
            del activations[layer : layer + 1]
            self._edit(
                {"hidden_layers": widths, "layer_activations": activations},
                lambda rng: surgery.remove_layer(self.model, dense_position(layer), rng),
            )

    def set_layer_activation(self, layer: int, name: str) -> None:
        """Hidden layer `layer` uses activation `name` from now on; with keep_weights its weights stay."""
        state = self.state
        if state.layer_activation(layer) != name:
            activations = list(state.layer_activations) + [""] * (
                len(state.hidden_layers) - len(state.layer_activations)
            )
            activations[layer] = name
            position = activation_position(layer)
            self._edit(
                {"layer_activations": activations}, lambda rng: surgery.set_activation(self.model, position, name)
            )

    def dead_neurons(self) -> dict[int, tuple[int, ...]]:
        """{hidden layer (from 0): its dead ReLU neurons (from 0)} at the last stall check, layers with any only."""
        return {hidden_of(layer.position): layer.dead_units for layer in self.detector.health if layer.dead_units
                and layer.position < len(self.model.layers) - 1}  # fmt: skip

    def trouble(self) -> tuple[Finding, str] | None:
        """The blocked layer or stall the banner words now, and those words; None while there is none."""
        return (self._warned, self._warning) if self._warned is not None and self._warning else None

    def reinitialize_dead_neurons(self) -> None:
        """New incoming weights and biases for the dead ReLU neurons (drawn from the seed's surgery stream), every other
        weight kept, then a check of the training points at once: the doctor sees them alive."""
        dead, model, rng = self.dead_neurons(), self.model, self._surgery_rng()
        if not dead or self.view.status == Status.ERROR:
            return
        for layer, neurons in dead.items():
            model = surgery.reinitialize_neurons(model, dense_position(layer), neurons, rng)
        self._use_edited(model)
        self._checked_epoch = None  # the refresh checks now, not at the next epoch
        self._refresh()

    def set_weight(self, name: str, index: tuple[int, ...], value: float) -> None:
        """Sets parameter `name` (a dotted name like "2.W") at `index` to `value`, as the student typed it."""
        position, key = name.split(".")
        self.model.layers[int(position)].params[key][index] = value
        self._refresh()

    # -- the student's points ----------------------------------------------------------------------

    def add_point(self, x1: float, x2: float, label: int) -> None:
        """A training point at (x1, x2) with `label` joins the data; the model keeps training. Refused, with the
        message saying why, while a lesson locks the data set; nothing happens while the network cannot be built."""
        if self.view.status == Status.ERROR:
            return
        if own_points.data_locked(self.state):
            self.view.message = f"Cannot add that point: {own_points.LOCKED}"
            return
        try:
            self._use_data(own_points.with_point(self.data, x1, x2, label))
        except ValueError as error:
            self.view.message = f"Cannot add that point: {error}"

    def remove_point(self, x1: float, x2: float, radius: float) -> bool:
        """The point nearest (x1, x2), if within radius, leaves the data; returns whether one did. Refused as
        add_point is."""
        if self.view.status == Status.ERROR:
            return False
        if own_points.data_locked(self.state):
            self.view.message = f"Cannot remove that point: {own_points.LOCKED}"
            return False
        try:
            data = own_points.without_nearest(self.data, x1, x2, radius)
        except DataError as error:
            self.view.message = f"Cannot remove that point: {error}"
            return False
        if data is not None:
            self._use_data(data)
        return data is not None

    def import_csv(self, text: str | bytes) -> str:
        """Points from CSV text (x1,x2,label) replace the data, split by train_percent and seed; returns what happened
        in words ("Imported 120 points (96 training, 24 test); ..."). On a bad file, while a lesson locks the data set
        or while the network cannot be built, nothing changes, it returns "" and the message says why."""
        if self.view.status == Status.ERROR:
            return ""
        if own_points.data_locked(self.state):
            self.view.message = f"Cannot import these points: {own_points.LOCKED}"
            return ""
        try:
            points = PointSet.from_csv(text, self.data.kind, self.data.n_classes or 2)
            self._use_data(points.to_dataset(self.state.train_percent, self.state.seed))
        except DataError as error:
            self.view.message = f"Cannot import these points: {error}"
            return ""
        return own_points.imported(self.data)

    def points_csv(self) -> str:
        """The current points (training, then test) as CSV text with the header x1,x2,label."""
        return own_points.to_point_set(self.data).to_csv()

    # -- model files ---------------------------------------------------------------------------------

    def training_setup(self) -> "TrainingSetup":
        """How this session trains (its points, loss, optimizer, batch size, order), for the PyTorch notebook."""
        from nn_core.export_notebook import TrainingSetup

        points = model_files.training_points(self.state, self.data, own=self.own_data is not None)
        return TrainingSetup.of(self.trainer, points, epochs=model_files.NOTEBOOK_EPOCHS)

    def demo_inputs(self) -> tuple[np.ndarray, str]:
        """The test points' inputs, for the PyTorch script's demo."""
        return self.state.inputs(self.data.x_test), "test points (their inputs)"

    def import_model(self, data: bytes) -> str:
        """The weights of a saved model file (.npz bytes) replace the current ones; returns what happened in words.
        On a bad file or another network nothing changes, it returns "" and the message says why (while the network
        cannot be built, or is being built, it returns "" and changes nothing)."""
        if self.view.status in (Status.ERROR, Status.LOADING):
            return ""
        try:
            weights = model_files.weights_for(self.model, data)
        except ModelFileError as error:
            self.view.message = f"Cannot import this model: {error}"
            return ""
        self.model.load_state_dict(weights)
        self.start_weights = self.model.state_dict()  # a rewind starts again from the imported weights
        self._replace_trainer(self.model)  # a diverged trainer would refuse to go on
        if self.view.status == Status.DIVERGED:
            self.view.status = Status.PAUSED
        self.view.message = ""
        self._refresh()
        return model_files.loaded(self.model)

    def _use_data(self, data: Dataset) -> None:
        """Trains on the student's `data` from now on; weights and counters stay."""
        self.own_data, self.data, self.view.message = data, data, ""
        self._replace_trainer(self.model)
        self._refresh()

    # -- internals ----------------------------------------------------------------------------------

    def _build(self) -> None:
        """A new model and Trainer from the state; status ready, or error with the reason."""
        state, view = self.state, self.view
        self._start_build()
        try:
            self.data = self.own_data or state.make_data()
            self.model = build_model(state.model_spec(), seed=state.seed)
            self._own_code_again()
            self.trainer = self._trainer(self.model, state.make_optimizer())
        except (DataError, SpecError, ValueError) as error:
            self._build_failed(error)
            view.structure += 1
            return
        view.structure += 1
        self._start_run()

    def rewind(self) -> None:
        """Starts again from the weights this run started with (`start_weights`), on the same data: a fresh optimizer
        and Trainer (step and epoch 0, the same batch order), the curves and counters cleared, ready."""
        if self.view.status in (Status.ERROR, Status.LOADING):
            return
        self._start_build()
        self.model.load_state_dict(self.start_weights)
        self.trainer = self._trainer(self.model, self.state.make_optimizer())
        self._start_run()

    def _start_run(self) -> None:
        """A run starts from the current weights (a build, a network edit, an imported model, a rewind): they are kept
        as `start_weights`, the weight history starts afresh, and the view is ready."""
        self.start_weights = self.model.state_dict()
        self.view.status = Status.READY
        self._new_weight_history(self.trainer.epoch)
        self._checked_epoch = self.trainer.epoch  # no check of the untrained network
        self._refresh()

    def _on_step(self, event: StepEvent) -> None:
        if event.epoch_end:
            self.gradients.record(event.epoch + 1, self.model)
            self._record_weights(event.epoch + 1)
            self._check_epoch()

    def _check_epoch(self) -> None:
        """The stall check at the end of each epoch, however training is cut into refreshes: on the site a tick trains
        on while the page paints and may end many epochs later, and the failure doctor counts its checks (a stall is
        a plateau over PLATEAU_CHECKS of them), so it would see a stall later the slower the page paints, and later
        than `lesson check --verify`, which refreshes after each epoch (lesson 15's stall)."""
        self._checked_epoch = self.trainer.epoch
        self._check_training(self.trainer.x_train, self.trainer.y_train)

    def _new_weight_history(self, epoch: int | None = None) -> None:
        """A new run: its weight distributions, its path through weight space (the loss landscape draws it) and its
        gradients' sizes per layer."""
        self.path, self.gradients = WeightPath(), GradientHistory()
        super()._new_weight_history(epoch)

    def _record_weights(self, epoch: int) -> None:
        super()._record_weights(epoch)
        self.path.record(epoch, flat_params(self.model))

    def _after_restore(self) -> None:
        self.path.forget_after(self.trainer.epoch)
        self.gradients.forget_after(self.trainer.epoch)
        super()._after_restore()

    def _layer_name(self, layer: LayerHealth) -> str:
        """The layer as the page names it: hidden layers counted from 1 ("hidden layer 1"), as the layer controls do,
        and the output's tanh "the output neuron"."""
        if layer.position == len(self.model.layers) - 1:
            return "the output neuron"
        return f"hidden layer {hidden_of(layer.position) + 1}"

    def _layer_titles(self) -> dict[int, str]:
        """The model's dense layers as the layer controls name them: "layer 1", ..., "output" (after a network edit
        the state may still describe the network before it)."""
        return layer_titles(sum(bool(layer.params) for layer in self.model.layers) - 1)

    def _trainer(self, model: Sequential, optimizer: Optimizer) -> Trainer:
        state, data = self.state, self.data
        return Trainer(
            model,
            state.make_loss(),
            optimizer,
            state.inputs(data.x_train),
            state.targets(data.y_train),
            x_test=state.inputs(data.x_test),
            y_test=state.targets(data.y_test),
            batch_size=state.batch_size,
            rng=np.random.default_rng(state.seed),
            shuffle=False,  # TFP's order: the points are shuffled once, when the data set is made
            accuracy=state.accuracy(),
        )

    def _on_settings(self, *events: param.parameterized.Event) -> None:
        if self._editing:
            return
        names = {event.name for event in events}
        if names & NEW_DATA_SETTINGS:
            self.own_data = None
        if names <= VIEW_SETTINGS:
            return
        if names <= LIVE_SETTINGS and self.trainer is not None:
            self._apply_live_settings()
        else:
            self._rebuild()

    def _apply_live_settings(self) -> None:
        """Learning rate, regularization, optimizer and batch size take effect at the next update."""
        super()._apply_live_settings()
        state, optimizer = self.state, self.trainer.optimizer
        optimizer.regularization = None if state.regularization == "none" else state.regularization
        optimizer.regularization_rate = state.regularization_rate

    def _edit(self, settings: dict, operation: Callable[[np.random.Generator], Sequential]) -> None:
        """Applies the network `settings` (hidden widths, per-layer activations) to the state; with keep_weights,
        `operation(rng)` gives the edited model, otherwise the watcher builds a fresh one."""
        if not self.state.keep_weights or self.view.status == Status.ERROR:
            self.state.param.update(settings)
            return
        self._use_edited(operation(self._surgery_rng()))
        self.start_weights = self.model.state_dict()  # a rewind starts again from the edited network
        self._new_weight_history(self.trainer.epoch)  # layer names ("2.W") may now stand for other layers
        self._refresh()  # before the state changes: views watching the state see the new model
        self._editing = True
        try:
            self.state.param.update(settings)
        finally:
            self._editing = False

    def _surgery_rng(self) -> np.random.Generator:
        """The generator of a network edit's new weights: the seed's, a stream of its own, and the edit's number."""
        return np.random.default_rng([self.state.seed, SURGERY_STREAM, self.view.structure])

    def _use_edited(self, model: Sequential) -> None:
        """Trains `model` from now on (a network edit's); a diverged run is paused again, the diagram laid out anew."""
        self._replace_trainer(model)
        if self.view.status == Status.DIVERGED:
            self.view.status, self.view.message = Status.PAUSED, ""
        self.view.structure += 1

    def _replace_trainer(self, model: Sequential) -> None:
        """A Trainer for `model` on the current data, with the current optimizer, step and epoch; the stall checks
        start afresh."""
        trainer = self._trainer(model, self.trainer.optimizer)
        trainer.step, trainer.epoch = self.trainer.step, self.trainer.epoch
        self.model, self.trainer = model, trainer
        self._own_code_again()
        self.detector.restart()

    def _fix_sentence(self, fix: str) -> str:
        return f"The weights ran away: {fix}"

    def _refresh(self) -> None:
        """Counters, losses, history and parameter copies from the trainer; in a new epoch also a stall check."""
        view, trainer = self.view, self.trainer
        view.step, view.epoch = trainer.step, trainer.epoch
        if trainer.epoch != self._checked_epoch:  # not checked at this epoch (a Restore; neurons reinitialised)
            self._checked_epoch = trainer.epoch
            view.train_loss, view.train_accuracy = self._check_training(trainer.x_train, trainer.y_train)
        else:
            view.train_loss, view.train_accuracy = trainer.evaluate(trainer.x_train, trainer.y_train)
        view.test_loss, view.test_accuracy = trainer.evaluate(trainer.x_test, trainer.y_test)
        view.params = self.params()
        view.grads = last_gradients(self.model)
        point = {"step": view.step, "epoch": trainer.epochs_done, "train": view.train_loss, "test": view.test_loss}
        self._add_point(point)  # once per step
