"""What each heatmap shows: values of every feature, hidden neuron and the output over the [-6, 6]^2 view.

Rows go up in x2 and columns right in x1 (nn_core.grid's convention), so row 0 is the bottom of the picture.
Node ids: "in:<feature>", "h<layer>:<neuron>" (hidden layer counted from 0) and "out:<unit>".
One forward pass over the fine grid gives every map (`Maps.compute`); the diagram's small pictures take every
`node_stride(...)`-th row and column of it, as many as the node has pixels on screen. When they take every 4th, the
pass is over every other point only (`grid_stride`): the decision map and a node's closer look are filled in between
(`upsample`), and the small pictures are the same.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Self

import numpy as np

from nn_core.datasets import FEATURES, VIEW_LIMIT
from nn_core.grid import grid_points, neuron_grids
from nn_core.layers.activations import sigmoid
from nn_core.model import Sequential
from playground.core.palette import class_rgba, diverging_rgba
from playground.sandbox.state import PlaygroundState, activation_position

VIEW = (-VIEW_LIMIT, VIEW_LIMIT)
OUTPUT_RESOLUTION = 100  # the large decision map
NODE_STRIDES = (4, 2)  # the diagram's node pictures: every 4th row and column (25 x 25) or every other (50 x 50)
BOUNDED = ("tanh", "sigmoid")  # activations whose values lie in [-1, 1] already: their maps are not scaled
OUTPUT_FADE = 0.4  # the decision map is paler than the points drawn on it


def scaled(values: np.ndarray) -> np.ndarray:
    """values divided by their largest magnitude when it exceeds 1 (ReLU, features), so they fit [-1, 1]."""
    return values / max(1.0, float(np.max(np.abs(values), initial=0.0)))


def feature_maps(resolution: int = OUTPUT_RESOLUTION) -> dict[str, np.ndarray]:
    """{"in:<feature>": (resolution, resolution) values in [-1, 1]} for every feature, switched on or not."""
    return dict(_feature_maps(resolution))


@lru_cache(maxsize=4)
def _feature_maps(resolution):
    """Computed once per resolution (they never change), read-only."""
    x1, x2 = grid_points(VIEW, VIEW, resolution, resolution)
    maps = {f"in:{name}": scaled(feature.compute(x1, x2)) for name, feature in FEATURES.items()}
    for values in maps.values():
        values.flags.writeable = False
    return maps


def prediction(output: np.ndarray, loss: str) -> np.ndarray:
    """What the output layer's grids (units, ny, nx) predict: (ny, nx) in [-1, 1] (-1/+1 classes, regression
    clipped), or (classes, ny, nx) probabilities when the loss is softmax cross-entropy."""
    if loss == "softmax_cross_entropy":
        shifted = np.exp(output - output.max(axis=0))
        return shifted / shifted.sum(axis=0)
    if loss == "binary_cross_entropy":
        return 2 * sigmoid(output[0]) - 1
    return np.clip(output[0], -1, 1)


def grid_stride(pixels: float, resolution: int = OUTPUT_RESOLUTION) -> int:
    """Every how many rows and columns of the grid the maps' forward pass takes for nodes `pixels` wide: every other
    one when the node pictures take every 4th (`node_stride`), else every one. The forward pass over the whole grid
    took 37 ms of an 8 x 16 tanh network's frame in Pyodide (tanh and the products on 10,000 points by 16)."""
    return 2 if node_stride(pixels, resolution) == 4 and resolution % 2 == 0 else 1


def upsample(coarse: np.ndarray, size: int) -> np.ndarray:
    """(..., size, size) values of the grid from those on its every other point (rows and columns 0, 2, ...; `size`
    even): a point between two takes their mean, the last row and column their neighbour's values."""
    for _ in range(2):  # the last axis, then (swapped) the one before
        fine = np.empty((*coarse.shape[:-1], size), coarse.dtype)
        fine[..., 0::2] = coarse
        fine[..., 1:-1:2] = (coarse[..., :-1] + coarse[..., 1:]) / 2
        fine[..., -1] = coarse[..., -1]
        coarse = fine.swapaxes(-1, -2)
    return coarse


def node_stride(pixels: float, resolution: int = OUTPUT_RESOLUTION) -> int:
    """The coarsest of NODE_STRIDES whose pictures have at least as many pixels across as a node `pixels` wide on
    screen (the diagram at full size): 25 x 25 for the 18-pixel nodes of 8 layers of 16, 50 x 50 for the default
    network's 64 (the finest: a picture with fewer pixels than its node, as 50 in 64, looks as sharp at larger sizes).
    An 8 x 16 network's 137 pictures then cost its frame, and the page, a quarter of the pixels."""
    return next((stride for stride in NODE_STRIDES if len(range(0, resolution, stride)) >= pixels), NODE_STRIDES[-1])


@dataclass(frozen=True)
class Maps:
    """Every diagram node's values over the view and the prediction, from one forward pass of the model."""

    nodes: dict  # node id -> (n, n) in [-1, 1]: the grid's every `stride`-th point, n = resolution / stride
    prediction: np.ndarray  # (resolution, resolution), or (classes, resolution, resolution) probabilities
    stride: int = 1

    @classmethod
    def compute(
        cls, model: Sequential, state: PlaygroundState, resolution: int = OUTPUT_RESOLUTION, stride: int = 1
    ) -> Self:
        """The maps over a resolution x resolution grid, the forward pass over every `stride`-th row and column of
        it (1 or 2, `grid_stride`)."""
        x1, x2 = (values[::stride, ::stride] for values in grid_points(VIEW, VIEW, resolution, resolution))
        n = len(x1)
        inputs = state.inputs(np.column_stack([x1.ravel(), x2.ravel()]))
        grids = neuron_grids(model, inputs, VIEW, VIEW, n, n)
        nodes = {node: values[::stride, ::stride] for node, values in feature_maps(resolution).items()}
        for layer in range(len(state.hidden_layers)):
            activations = grids[activation_position(layer)]  # (units, n, n)
            if state.layer_activation(layer) not in BOUNDED:  # as `scaled`, one neuron at a time
                activations = activations / np.maximum(1.0, np.abs(activations).max(axis=(1, 2)))[:, None, None]
            nodes |= {f"h{layer}:{neuron}": values for neuron, values in enumerate(activations)}
        predicted = prediction(grids[len(model.layers) - 1], state.loss_name())
        if predicted.ndim == 2:
            nodes["out:0"] = predicted
        else:  # each class's probability stretched from 0..1 to -1..1
            nodes |= {f"out:{unit}": 2 * probability - 1 for unit, probability in enumerate(predicted)}
        return cls(nodes, predicted if stride == 1 else upsample(predicted, resolution), stride)

    def node_pictures(self, node_ids: Sequence[str], stride: int = NODE_STRIDES[-1]) -> np.ndarray:
        """The diagram's pictures of node_ids, every `stride`-th pixel of the grid (a multiple of the maps' own
        stride): (len(node_ids), n, n) uint32."""
        step = stride // self.stride
        stacked = np.stack([self.nodes[node][::step, ::step] for node in node_ids])
        return diverging_rgba(stacked)

    def output_image(self, state: PlaygroundState) -> np.ndarray:
        """The decision map's pixels (resolution, resolution) uint32, discretized to classes when state.discretize."""
        values = self.prediction
        if values.ndim == 3:
            confidence = values.max(axis=0)
            return class_rgba(values.argmax(axis=0), 1.0 if state.discretize else confidence)
        if state.discretize and state.problem == "classification":
            values = np.where(values >= 0, 1.0, -1.0)
        return diverging_rgba(values, fade=OUTPUT_FADE)

    def node_image(self, node: str) -> np.ndarray:
        """One diagram node's map as decision-map pixels (resolution, resolution) uint32, for a closer look."""
        values = self.nodes[node]
        if self.stride > 1:
            values = upsample(values, self.prediction.shape[-1])
        return diverging_rgba(values, fade=OUTPUT_FADE)
