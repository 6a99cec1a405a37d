"""Backpropagation for one example, stage by stage, with the engine's numbers: what the step-by-step panel shows.

The stages run forward through every layer (each neuron's weighted sum z and activation a), then the loss, then
backward: the output's delta dLoss/dz, each hidden layer's delta from the deltas above it, and finally every
weight's and bias's gradient. Every number comes from nn_core's `forward_trace` and `backward_trace` on a copy of
the model (so the live model's gradients, which the gradient view shows, stay those of the last update).
"""

import copy
from dataclasses import dataclass

import numpy as np

from nn_core.losses import Loss
from nn_core.model import Sequential
from playground.sandbox.diagram import layer_node_ids
from playground.sandbox.output import node_label
from playground.sandbox.state import PlaygroundState

LOSS_WORDS = {
    "mse": "loss = ½ × (prediction − target)²; its slope dLoss/dprediction = prediction − target",
    "binary_cross_entropy": (
        "probability p = sigmoid(z); loss = −[t·log p + (1 − t)·log(1 − p)] with t = 1 for blue, 0 for orange; "
        "its slope dLoss/dz = p − t"
    ),
    "softmax_cross_entropy": (
        "probabilities p = softmax(z); loss = −log p[true class]; its slope dLoss/dz = p − (1 for the true class, "
        "else 0)"
    ),
}


@dataclass(frozen=True)
class Table:
    """Numbers with named rows and columns: values (len(rows), len(columns))."""

    caption: str
    rows: list
    columns: list
    values: np.ndarray


@dataclass(frozen=True)
class Stage:
    """One step of the walk-through: what it computes (in words), the diagram column it is about and its tables."""

    title: str
    words: str
    column: int  # diagram column: 0 the inputs, then each hidden layer, then the output
    tables: list


def node_names(state: PlaygroundState) -> list[list[str]]:
    """Per diagram column, what the tables call its nodes (`output.node_label`): "X₁", "layer 1, neuron 2", "the
    output" or "output for class k" (one output per class)."""
    return [[node_label(node, state) for node in column] for column in layer_node_ids(state)]


def walkthrough(
    model: Sequential, loss: Loss, x: np.ndarray, y: np.ndarray | float, state: PlaygroundState
) -> list[Stage]:
    """The stages of one forward and backward pass of `model` for one example: x (n_inputs,) and target y as the
    Trainer sees it ((1,) float, or a class index)."""
    model = copy.deepcopy(model).eval()
    x = np.asarray(x, dtype=np.float64)[None, :]
    y = np.asarray(y)[None, ...]
    outputs = model.forward_trace(x)
    loss_value = loss.forward(outputs[-1], y)
    output_grads = model.backward_trace(loss.backward())
    grads = {name: grad for name, _, grad in model.named_params()}
    names = node_names(state)
    columns = _columns(model, x, outputs, output_grads)
    stages = [Stage("Inputs", "The point's features, as the network receives them.", 0, [_input_table(names, x)])]
    for c, column in enumerate(columns, start=1):
        stages.append(_forward_stage(c, column, names, model, state))
    stages.append(_loss_stage(state, columns[-1], y, loss_value, names[-1], len(columns)))
    for c in range(len(columns), 0, -1):
        stages.append(_delta_stage(c, columns[c - 1], names, len(columns)))
    stages.append(_gradient_stage(columns, grads, names))
    return stages


@dataclass(frozen=True)
class _Column:
    """One dense layer's numbers for the example: its input a_in, z, activation a (None: none), dLoss/da, delta,
    f'(z) and its weights and bias."""

    dense: int  # the layer index of its dense layer
    a_in: np.ndarray
    z: np.ndarray
    a: np.ndarray | None
    activation: str | None
    grad_a: np.ndarray | None
    delta: np.ndarray
    slope: np.ndarray | None
    weight: np.ndarray
    bias: np.ndarray


def _columns(model, x, outputs, output_grads):
    columns, a_in, index = [], x[0], 0
    while index < len(model.layers):
        dense = model.layers[index]
        has_activation = index + 1 < len(model.layers) and not model.layers[index + 1].params
        act = model.layers[index + 1] if has_activation else None
        z = outputs[index][0]
        columns.append(
            _Column(
                dense=index,
                a_in=a_in,
                z=z,
                a=outputs[index + 1][0] if act else None,
                activation=act.type_name if act else None,
                grad_a=output_grads[index + 1][0] if act else None,
                delta=output_grads[index][0],
                slope=act.backward(np.ones_like(outputs[index]))[0] if act else None,  # f'(z), elementwise
                weight=dense.params["W"],
                bias=dense.params["b"],
            )
        )
        a_in = outputs[index + 1][0] if act else z
        index += 2 if act else 1
    return columns


def _input_table(names, x):
    return Table("inputs", names[0], ["value"], x[0][:, None])


def _forward_stage(c, column, names, model, state):
    last = c == len(layer_node_ids(state)) - 1
    title = "Forward: the output" if last else f"Forward: layer {c}"
    words = "Each neuron adds up its inputs times their weights, plus its bias: z = Σ aᵢ·wᵢ + b"
    values, heads = [column.z], ["z"]
    if column.activation:
        words += f"; then its activation: a = {column.activation}(z)."
        values.append(column.a)
        heads.append(f"a = {column.activation}(z)")
    else:
        words += "; the loss turns z into a probability."
    weights = Table(
        "weights w (a row per input, a column per neuron) and biases b",
        [*names[c - 1], "bias b"],
        names[c],
        np.vstack([column.weight, column.bias]),
    )
    inputs = Table("inputs a of this layer", names[c - 1], ["a"], column.a_in[:, None])
    return Stage(title, words, c, [inputs, weights, Table("each neuron", names[c], heads, np.column_stack(values))])


def _loss_stage(state, column, y, loss_value, output_names, c):
    loss_name = state.loss_name()
    prediction = column.a if column.a is not None else column.z
    if loss_name == "softmax_cross_entropy":
        shifted = np.exp(column.z - column.z.max())
        probability = shifted / shifted.sum()
        target = np.eye(len(column.z))[int(y[0])]
        table = Table(
            "per class",
            output_names,
            ["z", "probability p", "target", "dLoss/dz"],
            np.column_stack([column.z, probability, target, column.delta]),
        )
    else:
        target = np.asarray(y, dtype=np.float64).reshape(-1)
        head = "dLoss/dz" if column.activation is None else "dLoss/dprediction"
        grad = column.delta if column.activation is None else column.grad_a
        table = Table(
            "the output", output_names, ["prediction", "target", head], np.column_stack([prediction, target, grad])
        )
    return Stage(f"Loss: {loss_value:.6g}", LOSS_WORDS[loss_name] + ".", c, [table])


def _delta_stage(c, column, names, n_columns):
    last = c == n_columns
    title = "Backward: the output's delta" if last else f"Backward: layer {c}'s deltas"
    if last and column.activation is None:
        words = "The output's delta is the loss's slope: δ = dLoss/dz (see the loss)."
        return Stage(title, words, c, [Table("delta", names[c], ["δ = dLoss/dz"], column.delta[:, None])])
    source = "the loss's slope" if last else "Σ over the neurons above of their δ × the weight to them"
    words = (
        f"dLoss/da = {source}; each neuron's delta δ = dLoss/dz = dLoss/da × {column.activation}'(z), "
        "how much the loss changes with its weighted sum."
    )
    heads = ["dLoss/da", f"{column.activation}'(z)", "δ = dLoss/dz"]
    table = Table("each neuron", names[c], heads, np.column_stack([column.grad_a, column.slope, column.delta]))
    return Stage(title, words, c, [table])


def _gradient_stage(columns, grads, names):
    words = (
        "Each weight's gradient is the input it carries times the delta of the neuron it feeds: dLoss/dw = a × δ; "
        "a bias's gradient is its neuron's δ. The update then moves every weight by −learning rate × its gradient."
    )
    tables = []
    for c, column in enumerate(columns, start=1):
        values = np.vstack([grads[f"{column.dense}.W"], grads[f"{column.dense}.b"]])
        caption = f"dLoss/dw into {'the output' if c == len(columns) else f'layer {c}'}, and dLoss/db"
        tables.append(Table(caption, [*names[c - 1], "bias b"], names[c], values))
    return Stage("Gradients of every weight", words, len(columns), tables)
