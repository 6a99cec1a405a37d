"""What each heatmap shows: values of every feature, hidden neuron and the output over the [-6, 6]^2 view.

Rows go up in x2 and columns right in x1 (nn_core.grid's convention), so row 0 is the bottom of the picture.
Node ids: "in:<feature>", "h<layer>:<neuron>" (hidden layer counted from 0) and "out:<unit>".
"""

import numpy as np

from nn_core.datasets import FEATURES, VIEW_LIMIT
from nn_core.grid import grid_points, neuron_grids
from nn_core.layers.activations import sigmoid

from .palette import class_rgba, diverging_rgba

VIEW = (-VIEW_LIMIT, VIEW_LIMIT)
NEURON_RESOLUTION = 40  # small maps in the network diagram
OUTPUT_RESOLUTION = 100  # the large decision map
OUTPUT_FADE = 0.4  # the decision map is paler than the points drawn on it


def grid_inputs(state, resolution):
    """The model inputs at every grid point: (resolution^2, len(state.input_names))."""
    x1, x2 = grid_points(VIEW, VIEW, resolution, resolution)
    return state.inputs(np.column_stack([x1.ravel(), x2.ravel()]))


def scaled(values):
    """values divided by their largest magnitude when it exceeds 1 (ReLU, features), so they fit [-1, 1]."""
    return values / max(1.0, float(np.max(np.abs(values), initial=0.0)))


def feature_maps(state, resolution=NEURON_RESOLUTION):
    """{"in:<feature>": (resolution, resolution) values in [-1, 1]} for every feature, switched on or not."""
    x1, x2 = grid_points(VIEW, VIEW, resolution, resolution)
    return {f"in:{name}": scaled(feature.compute(x1, x2)) for name, feature in FEATURES.items()}


def neuron_maps(model, state, resolution=NEURON_RESOLUTION):
    """{"h<k>:<i>": (resolution, resolution) values in [-1, 1]}: each hidden neuron's activation over the view."""
    grids = neuron_grids(model, grid_inputs(state, resolution), VIEW, VIEW, resolution, resolution)
    maps = {}
    for layer in range(len(state.hidden_layers)):
        for neuron, values in enumerate(grids[2 * layer + 1]):  # the activation after hidden dense layer k
            maps[f"h{layer}:{neuron}"] = scaled(values)
    return maps


def output_values(model, state, resolution=OUTPUT_RESOLUTION):
    """The prediction over the view: (resolution, resolution) in [-1, 1] (-1/+1 classes, regression clipped),
    or (classes, resolution, resolution) probabilities when there are three or more classes."""
    grids = neuron_grids(model, grid_inputs(state, resolution), VIEW, VIEW, resolution, resolution)
    output = grids[len(model.layers) - 1]
    loss = state.loss_name()
    if loss == "softmax_cross_entropy":
        shifted = np.exp(output - output.max(axis=0))
        return shifted / shifted.sum(axis=0)
    if loss == "binary_cross_entropy":
        return 2 * sigmoid(output[0]) - 1
    return np.clip(output[0], -1, 1)


def output_node_maps(model, state, resolution=NEURON_RESOLUTION):
    """{"out:<unit>": (resolution, resolution) in [-1, 1]}: the prediction, or each class's probability
    stretched from 0..1 to -1..1, for the output nodes of the diagram."""
    values = output_values(model, state, resolution)
    if values.ndim == 2:
        return {"out:0": values}
    return {f"out:{unit}": 2 * probability - 1 for unit, probability in enumerate(values)}


def output_image(model, state, resolution=OUTPUT_RESOLUTION):
    """The decision map's pixels (resolution, resolution) uint32, discretized to classes when state.discretize."""
    values = output_values(model, state, resolution)
    if values.ndim == 3:
        confidence = values.max(axis=0)
        return class_rgba(values.argmax(axis=0), 1.0 if state.discretize else confidence)
    if state.discretize and state.problem == "classification":
        values = np.where(values >= 0, 1.0, -1.0)
    return diverging_rgba(values, fade=OUTPUT_FADE)


def node_image(model, state, node, resolution=OUTPUT_RESOLUTION):
    """One diagram node's map as decision-map pixels (resolution, resolution) uint32, for a closer look."""
    maps = feature_maps(state, resolution) if node.startswith("in:") else {}
    if node.startswith("h"):
        maps = neuron_maps(model, state, resolution)
    elif node.startswith("out:"):
        maps = output_node_maps(model, state, resolution)
    return diverging_rgba(maps[node], fade=OUTPUT_FADE)
