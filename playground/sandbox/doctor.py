"""The failure doctor, Panel-free: what is wrong with the sandbox's training, in words naming the layer and neurons,
the one-click remedies that fit, and the lesson that explains it.

It gathers what the session's checks already know, computing nothing new: dead ReLUs (the stall check's health of
each layer, once an epoch on the training points, `core/detectors.py`), the blocked layer or stall that the banner
words, and vanishing or exploding gradients (`core/gradient_health.py`). `views/doctor_view.py` shows the diagnoses
and applies the remedies with `apply`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from playground.core.gradient_health import gradient_finding

if TYPE_CHECKING:
    from playground.sandbox.session import Session

RELUS = ("relu", "leaky_relu")  # a vanishing gradient through these comes from dead units, not small slopes
REMEDIES = {  # the buttons' names
    "reinitialize": "Reinitialise the dead neurons",
    "lower_rate": "Lower the learning rate ten times",
    "restart_slower": "Lower the learning rate ten times and Reset",
    "to_relu": "Switch the hidden layers to ReLU",
    "add_features": "Add features",
}
CHANGES = {  # the settings each remedy changes: none is offered while a lesson locks or hides one of them
    "reinitialize": (),
    "lower_rate": ("learning_rate",),
    "restart_slower": ("learning_rate",),
    "to_relu": ("activation", "layer_activations"),
    "add_features": ("features",),
}
HELPFUL_FEATURES = {  # the features that make a data set easy for a small network (lesson 5)
    "circle": ("xSquared", "ySquared"),
    "xor": ("xTimesY",),
    "spiral": ("sinX", "sinY"),
}
LESSONS = {  # each diagnosis's lesson, by its page name on the site
    "dead": ("lesson-15-the-failure-doctor.html", "Lesson 15: the failure doctor"),
    "blocked": ("lesson-15-the-failure-doctor.html", "Lesson 15: the failure doctor"),
    "stalled": ("lesson-15-the-failure-doctor.html", "Lesson 15: the failure doctor"),
    "vanishing": ("lesson-03-activation-functions.html", "Lesson 3: activation functions"),
    "exploding": ("lesson-13-the-loss-landscape.html", "Lesson 13: the loss landscape and the learning rate"),
}
GRADIENT_WORDS = {
    "vanishing": (
        "Vanishing gradients. The first layer's weights get a gradient {ratio} times smaller than the output "
        "layer's, so they hardly learn: on its way back, the error is multiplied by each layer's activation slope, "
        "and {activation}'s are small. Try ReLU, or fewer layers."
    ),
    "vanishing, relu": (
        "Vanishing gradients. The first layer's weights get a gradient {ratio} times smaller than the output "
        "layer's, so they hardly learn: ReLUs that give 0 pass no gradient back. Lower the learning rate and press "
        "Reset, or use fewer layers."
    ),
    "exploding": (
        "Exploding gradients. The first layer's weights get a gradient {ratio} times larger than the output "
        "layer's: each layer on the way back makes the error larger, and a step that size throws those weights far. "
        "Lower the learning rate, or use fewer layers."
    ),
}


@dataclass(frozen=True)
class Diagnosis:
    """One thing wrong: `kind` ("dead", "blocked", "stalled", "vanishing", "exploding"), a student's words, the
    REMEDIES keys that fit, and the lesson (LESSONS[kind])."""

    kind: str
    words: str
    remedies: tuple[str, ...]

    @property
    def lesson(self) -> tuple[str, str]:
        """(page name, title) of the lesson that explains it."""
        return LESSONS[self.kind]


def dead_counts(session: Session) -> dict[int, tuple[int, int]]:
    """{hidden layer (from 0): (dead neurons, neurons)} for the layers with dead ReLU neurons."""
    widths = [layer.params["b"].size for layer in session.model.layers if "b" in layer.params]
    return {layer: (len(neurons), widths[layer]) for layer, neurons in session.dead_neurons().items()}


def diagnoses(session: Session) -> list[Diagnosis]:
    """Everything the doctor finds in `session`'s training now, the most urgent first."""
    found = []
    trouble = session.trouble()
    if trouble is not None:
        found.append(_trouble(session, *trouble))
    dead = _dead(session)
    if dead is not None:
        found.append(dead)
    gradients = _gradients(session)
    if gradients is not None:
        found.append(gradients)
    fixed = {*session.state.lock, *session.state.hide}
    return [replace(diagnosis, remedies=_free(diagnosis.remedies, fixed)) for diagnosis in found]


def _free(remedies: tuple[str, ...], fixed: set[str]) -> tuple[str, ...]:
    """The remedies that change none of the `fixed` settings (a lesson's locked and hidden ones)."""
    return tuple(remedy for remedy in remedies if fixed.isdisjoint(CHANGES[remedy]))


def apply(session: Session, remedy: str) -> None:
    """Does what the button of REMEDIES[remedy] says."""
    state = session.state
    if remedy == "reinitialize":
        session.reinitialize_dead_neurons()
    elif remedy in ("lower_rate", "restart_slower"):
        rates = session.smaller_rates()
        state.learning_rate = rates[-1] if rates else session.learning_rates[0]
        if remedy == "restart_slower":
            session.reset()
    elif remedy == "to_relu":
        state.param.update(activation="relu", layer_activations=[])
    elif remedy == "add_features":
        extra = HELPFUL_FEATURES.get(state.dataset, ())
        state.features = [*state.features, *(name for name in extra if name not in state.features)]
    else:
        raise ValueError(f"no remedy called {remedy!r}")


def _dead(session: Session) -> Diagnosis | None:
    """Dead ReLU neurons, layer by layer, named by number as the diagram's hover names them (from 1)."""
    parts, counts = [], dead_counts(session)
    for layer, neurons in session.dead_neurons().items():
        dead, width = counts[layer]
        numbers = ", ".join(str(neuron + 1) for neuron in neurons)
        were = "neuron is" if dead == 1 else "neurons are"
        parts.append(f"in hidden layer {layer + 1}, {dead} of {width} {were} dead (number{'s' * (dead > 1)} {numbers})")
    if not parts:
        return None
    words = (
        f"Dead ReLUs. {'; '.join(parts)[:1].upper()}{'; '.join(parts)[1:]}. A dead ReLU gives 0 for every training "
        "point, so no gradient passes through it and its incoming weights never change again: it is lost to the "
        "network. A large learning rate kills them with one big step; new weights bring them back."
    )
    remedies = ("reinitialize", "lower_rate") if session.smaller_rates() else ("reinitialize",)
    return Diagnosis("dead", words, remedies)


def _trouble(session: Session, finding, words: str) -> Diagnosis:
    """The banner's blocked layer or stall, with the remedies that fit its layer, rate and data set."""
    state, layer = session.state, finding.layer
    remedies = []
    if session.smaller_rates() and state.learning_rate >= session.high_learning_rate:
        remedies.append("restart_slower")
    hidden = layer.position < len(session.model.layers) - 1
    if hidden and layer.activation in ("tanh", "sigmoid"):
        remedies.append("to_relu")
    if any(name not in state.features for name in HELPFUL_FEATURES.get(state.dataset, ())):
        remedies.append("add_features")
    return Diagnosis("stalled" if finding.stalled else "blocked", words, tuple(remedies))


def _gradients(session: Session) -> Diagnosis | None:
    """Vanishing or exploding gradients over the last epochs."""
    finding = gradient_finding(session.gradients)
    if finding is None:
        return None
    relu = session.state.activation in RELUS
    ratio = finding.ratio if finding.kind == "exploding" else 1 / finding.ratio
    key = f"{finding.kind}, relu" if finding.kind == "vanishing" and relu else finding.kind
    words = GRADIENT_WORDS[key].format(ratio=f"{ratio:,.0f}", activation=session.state.activation)
    remedies = {"vanishing": ("to_relu",), "vanishing, relu": ("restart_slower",), "exploding": ("lower_rate",)}[key]
    return Diagnosis(finding.kind, words, remedies)
