"""Training that is stuck without diverging, Panel-free: saturated tanh and sigmoid neurons, dead ReLUs, and a loss
that has stopped going down while the accuracy is low. A session checks its training points (or a sample) every
so often, with the forward pass it makes anyway for its numbers (the sandbox at its first refresh in each new epoch,
the MNIST lab at every point of its curves), and shows the warning this gives as its banner, in a student's words;
the warning goes away when the checks no longer find the problem.

What counts, per neuron (a channel of an image layer counts as one neuron, over all its positions), on the sample:
- dead: a ReLU that gives 0 for every point; no gradient passes through it, so its weights never change again;
- saturated: a tanh beyond ±SATURATION on at least SATURATED_SHARE of the points, where its slope is below 2% of
  its largest, so its weights hardly move (a sigmoid s counts as the tanh 2s - 1: within 0.005 of 0 or 1);
- stuck: beyond STUCK_LEVEL at the same end on at least STUCK_SHARE of the points: its output is nearly the same
  for every point (a large learning rate leaves output neurons there, between -1 and -0.97 on every point).

Two findings make a warning:
- a blocked layer: every neuron of a layer (the output's tanh included) is dead or stuck, at PERSIST checks in a
  row. Nothing that depends on the points passes through it, so the network answers the same for every point and
  cannot learn any more;
- a stall: over the last PLATEAU_CHECKS checks the loss stayed within PLATEAU_CHANGE of its largest value (a
  plateau, not the ups and downs of a large learning rate), the accuracy is under `low_accuracy`, and most of some
  layer's neurons (more than half) are saturated or dead. Once shown, a stall stays while the accuracy is low and
  such a layer remains, even when the loss moves again for a while.
A warning on the page goes when the accuracy reaches `low_accuracy` or after PERSIST checks without a finding (a
neuron on the edge of stuck would make it blink otherwise).

Cost: the layers' outputs come from the caller's forward pass; per check one partial sort (`np.partition`, half the
time of a sort in Pyodide) of each tanh or sigmoid layer's outputs along the points (two when a stall is possible) and
a maximum per ReLU layer.
"""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nn_core.model import Sequential

SATURATION = 0.99  # |tanh| above this (|2 sigmoid - 1| for a sigmoid): the slope is under 2% of its largest
SATURATED_SHARE = 0.95  # a neuron is saturated when it is so on at least this share of the points
STUCK_LEVEL = 0.95  # a neuron is stuck when beyond this at the same end ...
STUCK_SHARE = 0.99  # ... on at least this share of the points
PERSIST = 5  # checks in a row a blocked layer must show before the warning (a large rate can free one in 4)
PLATEAU_CHECKS = 10  # a stall: over this many checks ...
PLATEAU_CHANGE = 0.05  # ... the loss moved by less than this fraction of its largest value
LOW_ACCURACY = 0.75  # ... and the accuracy is below this (two classes; the MNIST lab passes its own)
WATCHED = ("relu", "tanh", "sigmoid")  # the activations whose neurons can die or saturate
ENDS = {"tanh": ("-1", "+1"), "sigmoid": ("0", "1")}


@dataclass(frozen=True)
class LayerHealth:
    """How many neurons of the activation layer at `position` are dead, stuck or saturated on the sample."""

    position: int  # the model layer
    activation: str  # "relu", "tanh" or "sigmoid"
    units: int  # neurons (channels of an image layer)
    image: bool  # whether the layer's outputs are images (neurons are channels)
    dead: int = 0  # ReLU: 0 for every point
    stuck: int = 0  # dead, or saturated at the same end for (nearly) every point
    saturated: int = 0  # dead, or saturated at either end for almost every point
    end: str = ""  # when every neuron is stuck at the same end: that value ("+1", "-1", "0", "1")
    dead_units: tuple[int, ...] = field(default=(), compare=False)  # ReLU: which neurons are dead (from 0)

    @property
    def blocked(self) -> bool:
        """Every neuron is dead or stuck: the layer's output is the same for every point."""
        return self.stuck == self.units

    @property
    def poor(self) -> bool:
        """Most neurons (more than half) are saturated or dead."""
        return 2 * self.saturated > self.units


def layer_health(model: Sequential, trace: list[np.ndarray], saturation: bool = True) -> list[LayerHealth]:
    """The health of every ReLU, tanh and sigmoid layer of `model`, from `trace` = model.forward_trace(sample).

    Shares of the points come from order statistics: "at least 99% of the points above 0.95" is "the third smallest
    of 250 values is above 0.95", one partial sort per layer. Without `saturation` the saturated neurons are not
    counted (`saturated` then counts the stuck ones only), which saves one per layer when no stall is possible.
    """
    found = []
    for position, (layer, output) in enumerate(zip(model.layers, trace, strict=True)):
        kind = layer.type_name
        if kind not in WATCHED or output.ndim < 2 or len(output) == 0:
            continue
        units, image = output.shape[1], output.ndim > 2
        # (points, neurons): an image layer's channel counts every position of every point as a point
        values = np.moveaxis(output, 1, -1).reshape(-1, units) if image else output
        if kind == "relu":
            dead_units = tuple(int(unit) for unit in np.flatnonzero(values.max(axis=0) <= 0))
            dead = len(dead_units)
            end = "0" if dead == units else ""
            found.append(LayerHealth(position, kind, units, image, dead, dead, dead, end, dead_units))
            continue
        if kind == "sigmoid":
            values = 2 * values - 1  # the tanh it is a scaled copy of
        n = len(values)
        outside = _allowed_outside(n, STUCK_SHARE)
        ordered = np.partition(values, [outside, n - 1 - outside], axis=0)  # those two rows as in a sort
        stuck_high = ordered[outside] > STUCK_LEVEL  # every point but `outside` of them above the level
        stuck_low = ordered[n - 1 - outside] < -STUCK_LEVEL
        stuck_mask = stuck_low | stuck_high
        saturated_mask = stuck_mask
        if saturation:
            outside = _allowed_outside(n, SATURATED_SHARE)
            saturated_mask = saturated_mask | (np.partition(np.abs(values), outside, axis=0)[outside] > SATURATION)
        ends = ENDS[kind]
        end = ends[0] if stuck_low.all() else ends[1] if stuck_high.all() else ""
        stuck, saturated = int(np.count_nonzero(stuck_mask)), int(np.count_nonzero(saturated_mask))
        found.append(LayerHealth(position, kind, units, image, 0, stuck, saturated, end))
    return found


def _allowed_outside(n: int, share: float) -> int:
    """How many of n points may miss a condition that must hold on at least `share` of them."""
    return min(n - 1, int(round(n * (1 - share), 9)))


@dataclass(frozen=True)
class Finding:
    """What a check found: the layer at fault, and for a stall the loss's and accuracy's story."""

    layer: LayerHealth
    stalled: bool = False  # a stall (the loss on a plateau); otherwise the layer is blocked
    accuracy: float | None = None  # of a stall
    span: int = 0  # of a stall: how long the plateau has lasted, in the caller's `when` (epochs, steps)


class StallDetector:
    """Check by check, the Finding that calls for a warning (None while training is healthy).

    `low_accuracy` is what a stall needs the accuracy to be under. `shown` tells the detector that its last finding
    is on the page: a blocked layer then keeps it without waiting PERSIST checks again (after `restart`).
    """

    def __init__(self, low_accuracy: float = LOW_ACCURACY) -> None:
        self.low_accuracy = low_accuracy
        self.shown = False
        self.finding = None  # the last check's
        self.health = []  # the last check's LayerHealth of each watched layer (the failure doctor reads it)
        self.restart()

    def restart(self) -> None:
        """Forgets the losses and counts so far (new data, an edited network): the next checks start afresh."""
        self._losses = deque(maxlen=PLATEAU_CHECKS + 1)  # (when, loss) of the last checks
        self._blocked_checks = {}  # layer position -> checks in a row it was blocked
        self._quiet = 0  # checks in a row without a finding while a warning is shown
        self.health = []

    def check(
        self, model: Sequential, trace: list[np.ndarray], loss: float, accuracy: float | None, when: int = 0
    ) -> Finding | None:
        """One check of `model` from `trace` = model.forward_trace(sample), the sample's loss and accuracy (None for
        regression), at time `when` (an epoch or step count: a stall says how long it has lasted in it). Saturated
        neurons are counted only when a stall is possible (a low accuracy on a plateau)."""
        stall_possible = accuracy is not None and accuracy < self.low_accuracy
        stall_possible = stall_possible and (self._plateau(loss) or self._showing_stall())
        return self.judge(layer_health(model, trace, saturation=stall_possible), loss, accuracy, when)

    def judge(self, health: list[LayerHealth], loss: float, accuracy: float | None, when: int = 0) -> Finding | None:
        """`check` once the layers' health is known."""
        self.health = health
        self._losses.append((when, loss))
        finding = self._check(health, accuracy)
        shown = self.finding if self.shown else None
        if finding is None and shown is not None:  # keep the warning on the page until it has clearly ended
            self._quiet += 1
            if self._quiet < PERSIST and (accuracy is None or accuracy < self.low_accuracy):
                return shown
        self._quiet = 0
        if shown is not None and finding is not None and _same(shown, finding):
            return shown  # the same trouble: the page keeps its words (not a new accuracy at every check)
        self.finding = finding
        return finding

    def _showing_stall(self) -> bool:
        return self.shown and self.finding is not None and self.finding.stalled

    def _check(self, health, accuracy):
        self._blocked_checks = {
            layer.position: self._blocked_checks.get(layer.position, 0) + 1 for layer in health if layer.blocked
        }
        was_shown = self.shown and self.finding is not None
        for layer in health:
            if layer.blocked and (self._blocked_checks[layer.position] >= PERSIST or was_shown):
                return Finding(layer)
        poor = [layer for layer in health if layer.poor]
        if accuracy is None or accuracy >= self.low_accuracy or not poor:
            return None
        if not (self._plateau() or self._showing_stall()):
            return None
        worst = max(poor, key=lambda layer: (layer.saturated / layer.units, -layer.position))
        return Finding(worst, True, accuracy, self._losses[-1][0] - self._losses[0][0])

    def _plateau(self, loss: float | None = None) -> bool:
        """Over the last PLATEAU_CHECKS checks (with `loss` as the next one, if given) the loss moved by less than
        PLATEAU_CHANGE of its largest value."""
        losses = [loss for _, loss in self._losses] + ([] if loss is None else [loss])
        losses = losses[-(PLATEAU_CHECKS + 1) :]
        if len(losses) <= PLATEAU_CHECKS or not np.all(np.isfinite(losses)):
            return False
        return max(losses) - min(losses) <= PLATEAU_CHANGE * max(losses)


def _same(first: Finding, second: Finding) -> bool:
    """Whether two findings say the same: the same layer in the same state, both blocked or both a stall."""
    return first.layer == second.layer and first.stalled == second.stalled


def describe(finding: Finding, layer_name: Callable[[LayerHealth], str], unit: str, fix: str) -> str:
    """The warning a student reads: what is stuck, in which layer, why it cannot learn, and `fix` (a sentence).

    `layer_name(layer)` names a layer as the page does ("hidden layer 1", "the output neuron"); `unit` is what the
    checks' `when` counts ("epoch", "step").
    """
    what = _what(finding.layer, layer_name(finding.layer))
    if not finding.stalled:
        return f"The network has stopped learning. {what} It now gives every point the same answer. {fix}"
    right = f"{100 * finding.accuracy:.0f}%"
    span = f"{finding.span} {unit}{'' if finding.span == 1 else 's'}"
    return (
        f"Training has stalled: for {span} the loss has hardly changed, and only {right} of the training points are "
        f"right. {what} {fix}"
    )


def _what(layer: LayerHealth, name: str) -> str:
    """The sentence saying what is wrong with the layer called `name`, and why it cannot learn."""
    kind = layer.activation
    if layer.units == 1:
        subject, it, its = name[:1].upper() + name[1:], "it", "its"
    else:
        count = layer.dead if kind == "relu" else layer.stuck if layer.blocked else layer.saturated
        subject, it, its = f"In {name}, {_count(count, layer)}", "them", "their"
    slope = f"where its slope is almost 0, so {its} weights hardly change"
    if kind == "relu":
        dead = "is dead" if layer.units == 1 else "dead"
        return (
            f"{subject} {dead}: {its} ReLU gives 0 for every training point, so no gradient passes through {it} and "
            f"{its} weights no longer change."
        )
    ends = "±1" if kind == "tanh" else "0 or 1"
    if layer.blocked:
        end = layer.end or ends
        verb = "is stuck" if layer.units == 1 else "stuck"
        return f"{subject} {verb} near {end} for every training point: {its} {kind} is saturated there, {slope}."
    verb = "is saturated" if layer.units == 1 else "saturated"
    return f"{subject} {verb}: {its} {kind} is near {ends} for almost every training point, {slope}."


def _count(count: int, layer: LayerHealth) -> str:
    """ "both neurons are", "all 4 neurons are", "3 of 4 neurons are", "1 of 4 channels is" (more than one)."""
    noun = "channels" if layer.image else "neurons"
    if count == layer.units:
        return f"both {noun} are" if count == 2 else f"all {count} {noun} are"
    return f"{count} of {layer.units} {noun} {'is' if count == 1 else 'are'}"
