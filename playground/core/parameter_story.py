"""Every number the network uses, explained with its real values: for one weight or bias of a dense layer, how the
forward pass uses it on an example (z = sum of w*a + b), its gradient over the batch (dLoss/dw = sum of delta*a) and
what the next update makes of it (w <- w - lr*g, with the regularization term when on).

The numbers are the engine's: the next training step is run on a copy of the network under `record_step`, and the
story reads the arrays that step's lines produced. The network itself is left as it is.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from nn_core.layers.dense import Dense
from playground.core.code_trace import record_step

MAX_TERMS = 6  # a sum of more terms is shown by its first ones and "… (n more)"


@dataclass(frozen=True)
class ParameterStory:
    """The parameter `name` ("2.W") at `index` of a dense layer, on the batch of the next step: `value` and
    `new_value` (after that step), `gradient`, the forward sum of example `example` (`weights`·`inputs` + `bias` =
    `z`), the gradient's terms over the batch (`batch_inputs`·`deltas`), and the optimizer's `update_rule`."""

    name: str
    index: tuple[int, ...]
    value: float
    new_value: float
    gradient: float
    example: int
    weights: np.ndarray
    inputs: np.ndarray
    bias: float
    z: float
    batch_inputs: np.ndarray  # a of the weight's input for every example (ones for a bias)
    deltas: np.ndarray  # dLoss/dz of the weight's neuron for every example (the loss's 1/N included)
    update_rule: str

    @property
    def is_bias(self) -> bool:
        return self.name.endswith(".b")

    def lines(self) -> list[str]:
        """The three formulas with the real numbers, as a student reads them."""
        neuron, symbol = self.index[-1], "b" if self.is_bias else "w"
        terms = [f"{in_formula(w)}·{in_formula(a)}" for w, a in zip(self.weights, self.inputs, strict=True)]
        forward = (
            f"Forward, example {self.example + 1}: z = Σ w·a + b = {_sum(terms)} + {in_formula(self.bias)} = "
            f"{in_formula(self.z, 4)} (neuron {neuron + 1}, before its activation)"
        )
        if self.is_bias:
            backward_terms = [in_formula(d) for d in self.deltas]
            backward = (
                f"Backward: dLoss/db = Σ δ over the batch = {_sum(backward_terms)} = {in_formula(self.gradient, 4)}"
            )
        else:
            backward_terms = [
                f"{in_formula(a)}·{in_formula(d)}" for a, d in zip(self.batch_inputs, self.deltas, strict=True)
            ]
            backward = (
                f"Backward: dLoss/dw = Σ a·δ over the batch = {_sum(backward_terms)} = {in_formula(self.gradient, 4)}"
            )
        backward += f" (δ = dLoss/dz; the loss's 1/{len(self.deltas)} for the batch's mean is inside it)"
        update = f"Update: {symbol} ← {self.update_rule} = {in_formula(self.new_value, 6)}"
        return [forward, backward, update]


def parameter_story(model, loss, optimizer, x, y, name: str, index: tuple[int, ...], example: int = 0):
    """The ParameterStory of parameter `name` at `index` on the batch x, y (the next step's); None when `name` is not
    a dense layer's weight or bias."""
    position, _, kind = name.partition(".")
    layer_index = int(position)
    if not isinstance(model.layers[layer_index], Dense) or kind not in ("W", "b"):
        return None
    twin_model, twin_loss, twin_optimizer = copy.deepcopy((model, loss, optimizer))
    stages = record_step(twin_model, twin_loss, twin_optimizer, x, y)
    inputs = _call_value(stages, "forward", layer_index, "x")
    z = _returned(stages, "forward", layer_index)
    deltas = _call_value(stages, "backward_params", layer_index, "grad_y")
    layer, twin = model.layers[layer_index], twin_model.layers[layer_index]
    neuron = index[-1]
    weights, bias = layer.params["W"][:, neuron], float(layer.params["b"][neuron])
    value = float(layer.params[kind][index])
    gradient = float(twin.grads[kind][index])
    batch_inputs = np.ones(len(deltas)) if kind == "b" else inputs[:, index[0]]
    return ParameterStory(
        name, tuple(index), value, float(twin.params[kind][index]), gradient, example, weights.copy(),
        inputs[example].copy(), bias, float(z[example, neuron]), batch_inputs, deltas[:, neuron],
        _update_rule(optimizer, kind, value, gradient),
    )  # fmt: skip


def _update_rule(optimizer, kind: str, value: float, gradient: float) -> str:
    """The optimizer's rule for this parameter with its numbers: SGD's in full, the others' named."""
    rate = optimizer.learning_rate
    if type(optimizer).__name__ == "SGD" and not optimizer.momentum:
        rule = f"{in_formula(value, 4)} − {rate:g}·{in_formula(gradient, 4)}"
    else:
        step = f"the {type(optimizer).__name__} step, from this gradient and the earlier ones"
        rule = f"{in_formula(value, 4)} − {rate:g}·({step})"
    if kind == "W" and optimizer.regularization and optimizer.regularization_rate:
        term = in_formula(value, 4) if optimizer.regularization == "l2" else f"sign({in_formula(value, 4)})"
        rule += f" − {rate:g}·{optimizer.regularization_rate:g}·{term} ({optimizer.regularization.upper()})"
    return rule


def _call_value(stages, method: str, layer: int, argument: str) -> np.ndarray:
    """What the layer's `method` was called with (the engine's or a student's version of it)."""
    return next(s.values[argument] for s in stages if s.call and s.source.code.co_name == method and s.layer == layer)


def _returned(stages, method: str, layer: int) -> np.ndarray:
    return next(s.values["returns"] for s in stages if "returns" in s.values and s.source.code.co_name == method
                and s.layer == layer)  # fmt: skip


def _sum(terms: list[str]) -> str:
    shown = " + ".join(terms[:MAX_TERMS])
    return shown if len(terms) <= MAX_TERMS else f"{shown} + … ({len(terms) - MAX_TERMS} more)"


def in_formula(value: float, digits: int = 3) -> str:
    """A number in a formula: `digits` significant digits, a negative one in brackets with a real minus sign."""
    text = f"{abs(value):.{digits}g}"
    return f"(−{text})" if value < 0 else text
