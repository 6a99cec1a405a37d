"""What a 2-D lesson's checks can read: every scalar setting of PlaygroundState, plus what training shows.

The settings' metrics derive from the registry (a Selector of words becomes a string metric with those
choices, a ListSelector a list, Integer and number menus numbers, Boolean a bool); `TRAINING_METRICS` adds
the session's counters, losses, the network's shape and the gradient check, and makes `activation` the one every
hidden layer uses (each layer has a menu of its own). `state_metrics(state)` gives what the settings alone decide,
`lesson_metrics(session)` every value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import param

from nn_core import gradcheck
from playground.core.status import Status
from playground.core.student_code import StudentCodeError
from playground.lessons.checks import Metric
from playground.sandbox import doctor
from playground.sandbox.state import SETTINGS, PlaygroundState

if TYPE_CHECKING:
    from playground.core.status import TrainingRecord
    from playground.sandbox.session import Session

GRADCHECK_POINTS = 8  # training points the gradient check runs on
GRADCHECK_TOLERANCE = 1e-5  # largest relative error of a passing check (float64 backprop gives ~1e-9)
SATURATING = ("tanh", "sigmoid")  # the activations whose neurons saturate (ReLUs die instead)

TRAINING_METRICS = {
    "epoch": Metric("number", "Passes over the training points completed.", counter=True),
    "step": Metric("number", "Weight updates applied.", counter=True),
    "train_loss": Metric("number", "Loss on the training points."),
    "test_loss": Metric("number", "Loss on the test points."),
    "train_accuracy": Metric("number", "Share of training points classified right, 0 to 1 (classification)."),
    "test_accuracy": Metric("number", "Share of test points classified right, 0 to 1 (classification)."),
    "loss_gap": Metric("number", "test_loss minus train_loss: how much worse the model does on unseen points."),
    "diverged": Metric("bool", "Training stopped because the weights ran away."),
    "depth": Metric("number", "Number of hidden layers."),
    "hidden_neurons": Metric("number", "Neurons in all hidden layers together."),
    "widest_layer": Metric("number", "Neurons in the widest hidden layer (0 without hidden layers)."),
    "activations": Metric(
        "strings", "The activation of each hidden layer.", tuple(PlaygroundState.param.activation.objects)
    ),
    "activation": Metric(
        "string",
        "The activation every hidden layer uses (none while they differ; without hidden layers, the menu's).",
        tuple(PlaygroundState.param.activation.objects),
    ),
    "gradcheck_passed": Metric("bool", "Backprop's gradients agree with finite differences right now.", costly=True),
    "gradcheck_error": Metric("number", "Largest relative error of backprop against finite differences.", costly=True),
    "own_code": Metric("bool", "The network runs the student's own layer code (the glass box's editor)."),
}


# The failure doctor's findings (sandbox/doctor.py), as it reads them: from each epoch's check of the training points.
DOCTOR_METRICS = {
    "dead_neurons": Metric("number", "Dead ReLU neurons in the hidden layers, as the failure doctor counts them."),
    "saturated": Metric(
        "bool", "The doctor finds a layer of tanh or sigmoid neurons stuck or saturated, so it has stopped learning."
    ),
    "plateaued": Metric(
        "bool", "The doctor finds training stalled: the loss on a plateau for 10 epochs while few points are right."
    ),
    "diagnoses": Metric("strings", "What the failure doctor finds now, by kind.", tuple(doctor.LESSONS)),
}


def setting_metric(parameter: param.Parameter) -> Metric | None:
    """The Metric a setting of the registry stands for, or None for list settings (read through the shape)."""
    doc = parameter.doc or ""
    if isinstance(parameter, param.Boolean):
        return Metric("bool", doc)
    if isinstance(parameter, param.Integer | param.Number):
        return Metric("number", doc)
    if isinstance(parameter, param.ListSelector):
        return Metric("strings", doc, tuple(parameter.objects))
    if isinstance(parameter, param.Selector):
        objects = list(parameter.objects)
        if all(isinstance(item, int | float) for item in objects):
            return Metric("number", doc)
        return Metric("string", doc, tuple(objects))
    return None


SETTING_METRICS = {
    name: metric for name in SETTINGS if (metric := setting_metric(PlaygroundState.param[name])) is not None
}
SANDBOX_METRICS = SETTING_METRICS | TRAINING_METRICS | DOCTOR_METRICS
# The metrics the settings alone decide, beyond the settings' own: {metric: the settings it follows}.
SHAPE_SOURCES = {
    "depth": ("hidden_layers",),
    "hidden_neurons": ("hidden_layers",),
    "widest_layer": ("hidden_layers",),
    "activations": ("hidden_layers", "activation", "layer_activations"),
    "activation": ("hidden_layers", "activation", "layer_activations"),
}


def lesson_metrics(session: Session, names: Iterable[str] | None = None) -> dict[str, Any]:
    """{metric: value} for a playground Session; only `names` when given (the gradient check costs most).

    Values that do not exist now (accuracy of a regression, losses of a network that failed to build) are None.
    """
    names = set(SANDBOX_METRICS if names is None else names)
    view = session.view
    shape = state_metrics(session.state)
    values = {name: shape.pop(name) for name in SETTING_METRICS} | view_metrics(view)  # settings, then training
    values |= {
        "loss_gap": None if None in (view.train_loss, view.test_loss) else view.test_loss - view.train_loss,
        **shape,
        "own_code": session.own_code is not None,
    }
    if names & DOCTOR_METRICS.keys():
        values |= doctor_metrics(session)
    if names & {"gradcheck_passed", "gradcheck_error"}:
        error = gradient_error(session)
        values["gradcheck_error"] = error
        values["gradcheck_passed"] = error is not None and error < GRADCHECK_TOLERANCE
    return {name: value for name, value in values.items() if name in names}


def state_metrics(state: PlaygroundState) -> dict[str, Any]:
    """{metric: value} of what the settings alone decide: every single-value setting and the network's shape."""
    widths = list(state.hidden_layers)
    activations = [state.layer_activation(layer) for layer in range(len(widths))]
    shared = set(activations) if activations else {state.activation}
    return {name: getattr(state, name) for name in SETTING_METRICS} | {
        "depth": len(widths),
        "hidden_neurons": sum(widths),
        "widest_layer": max(widths, default=0),
        "activations": activations,
        "activation": shared.pop() if len(shared) == 1 else None,
    }


def view_metrics(view: TrainingRecord) -> dict[str, Any]:
    """What every page's TrainingRecord shows, as metrics: counters, losses, accuracies and divergence."""
    return {
        "epoch": view.epoch,
        "step": view.step,
        "train_loss": view.train_loss,
        "test_loss": view.test_loss,
        "train_accuracy": view.train_accuracy,
        "test_accuracy": view.test_accuracy,
        "diverged": view.status == Status.DIVERGED,
    }


def doctor_metrics(session: Session) -> dict[str, Any]:
    """DOCTOR_METRICS' values: the kinds of the doctor's diagnoses, the dead ReLUs it counts, whether the layer its
    "stopped learning" or "stalled" diagnosis names is a tanh or sigmoid one, and whether it finds a stall."""
    if session.view.status in (Status.ERROR, Status.LOADING) or session.model is None:
        return dict.fromkeys(DOCTOR_METRICS)
    kinds = [diagnosis.kind for diagnosis in doctor.diagnoses(session)]
    trouble = session.trouble()  # the finding behind the doctor's "blocked" or "stalled" diagnosis
    return {
        "dead_neurons": sum(dead for dead, _ in doctor.dead_counts(session).values()),
        "saturated": trouble is not None and trouble[0].layer.activation in SATURATING,
        "plateaued": "stalled" in kinds,
        "diagnoses": kinds,
    }


def gradient_error(session: Session) -> float | None:
    """The gradient check's largest relative error on the first training points, or None without a model."""
    if session.view.status in (Status.ERROR, Status.LOADING) or session.model is None:
        return None
    state, data = session.state, session.data
    x, y = state.inputs(data.x_train[:GRADCHECK_POINTS]), state.targets(data.y_train[:GRADCHECK_POINTS])
    try:
        error = gradcheck(session.model, state.make_loss(), x, y).max_error
    except StudentCodeError:  # the student's layer code fails on these points: no check passes
        return None
    return error if math.isfinite(error) else None
