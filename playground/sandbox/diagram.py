"""Geometry of the network diagram: a column of nodes per layer, an edge per weight.

Edges are as wide as the weight is large and coloured by its sign (blue positive, orange negative), like
TensorFlow Playground's links. Coordinates are in diagram units: layers LAYER_GAP apart along x, nodes
NODE_GAP apart along y, centred on y = 0, each node a NODE_SIZE square whose centre is (x, y).
"""

from collections.abc import Callable

import numpy as np

from playground.core.names import parameter_title
from playground.core.palette import NEGATIVE, POSITIVE
from playground.sandbox.state import PlaygroundState, dense_position

LAYER_GAP = 3.0
NODE_GAP = 1.35
NODE_SIZE = 1.0
MAX_EDGE_WIDTH = 7.0  # pixels, for the largest |w| drawn
MAX_OUTLINE_WIDTH = 6.0  # pixels, for the node with the largest |dLoss/db| in the gradient view


def column_sizes(state: PlaygroundState) -> list[int]:
    """How many nodes each column has: inputs, each hidden layer, outputs (without naming them: the frame's geometry
    asks this several times)."""
    n_outputs = state.n_classes if state.loss_name() == "softmax_cross_entropy" else 1
    return [len(state.input_names), *state.hidden_layers, n_outputs]


def layer_node_ids(state: PlaygroundState) -> list[list[str]]:
    """The node ids of each column: inputs, each hidden layer, outputs (see heatmaps for the id scheme)."""
    n_outputs = column_sizes(state)[-1]
    columns = [[f"in:{name}" for name in state.input_names]]
    columns += [[f"h{layer}:{i}" for i in range(width)] for layer, width in enumerate(state.hidden_layers)]
    return columns + [[f"out:{unit}" for unit in range(n_outputs)]]


def node_positions(state: PlaygroundState) -> dict[str, tuple[float, float]]:
    """{node id: (x, y)}: column c at x = c * LAYER_GAP, its nodes spread evenly around y = 0, first on top."""
    positions = {}
    for column, ids in enumerate(layer_node_ids(state)):
        for row, node in enumerate(ids):
            positions[node] = (column * LAYER_GAP, ((len(ids) - 1) / 2 - row) * NODE_GAP)
    return positions


def edges(state: PlaygroundState, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every weight as an edge, a dict of equal-length arrays: x0, y0, x1, y1, source, target, and where the
    weight lives: param (its dotted name), i and j (its row and column); plus its weight, width and color
    (`edge_looks`).

    `params` maps dotted names to arrays (TrainingRecord.params); column c's weights are those of the dense layer
    they feed, "<dense_position(c)>.W", of shape (nodes in column c, nodes in column c + 1), listed row by row.
    Edges run centre to centre; the nodes are drawn over them.
    """
    columns, positions = layer_node_ids(state), node_positions(state)
    parts = []
    for column, (sources, targets) in enumerate(zip(columns, columns[1:], strict=False)):
        i, j = np.divmod(np.arange(len(sources) * len(targets)), len(targets))
        start = np.array([positions[node] for node in sources])[i]
        end = np.array([positions[node] for node in targets])[j]
        names = np.array(sources)[i], np.array(targets)[j], np.full(len(i), f"{dense_position(column)}.W")
        parts.append((start[:, 0], start[:, 1], end[:, 0], end[:, 1], *names, i, j))
    keys = ("x0", "y0", "x1", "y1", "source", "target", "param", "i", "j")
    rows = {key: np.concatenate([part[k] for part in parts]) for k, key in enumerate(keys)}
    return rows | edge_looks(state, params)


def edge_weights(state: PlaygroundState, params: dict[str, np.ndarray]) -> np.ndarray:
    """Every weight of the diagram in edge order (see `edges`): (n_edges,)."""
    n_columns = len(column_sizes(state))
    return np.concatenate([np.ravel(params[f"{dense_position(column)}.W"]) for column in range(n_columns - 1)])


def sign_names(values: np.ndarray) -> np.ndarray:
    """POSITIVE's name where a value is > 0, else NEGATIVE's (matplotlib's colours; the page's: palette.sign_colors)."""
    return np.where(values > 0, POSITIVE, NEGATIVE)


def edge_looks(
    state: PlaygroundState,
    params: dict[str, np.ndarray],
    floor: float = 1.0,
    colors: Callable[[np.ndarray], np.ndarray] = sign_names,
) -> dict[str, np.ndarray]:
    """{"weight", "width", "color"} of every edge, coloured by sign (`colors` of the values) and as wide as
    abs(value) is large next to the largest one, or to `floor` when every value is smaller (weights: 1, so small
    weights stay thin; gradients: 0, so the largest gradient is always drawn widest). `params` may hold gradients
    instead."""
    weights = edge_weights(state, params).astype(np.float64)
    magnitude = np.abs(np.nan_to_num(weights))
    largest = max(floor, float(magnitude.max(initial=0.0)), np.finfo(np.float64).tiny)
    width = 0.5 + (MAX_EDGE_WIDTH - 0.5) * magnitude / largest
    return {"weight": weights, "width": width, "color": colors(weights)}


def biases(state: PlaygroundState, params: dict[str, np.ndarray]) -> dict[str, float]:
    """{node id: bias} of every hidden and output node (from gradients: {node id: dLoss/db}, the node's delta
    summed over the batch)."""
    columns = layer_node_ids(state)
    return {
        node: float(params[f"{dense_position(c - 1)}.b"][i])
        for c in range(1, len(columns))
        for i, node in enumerate(columns[c])
    }


def node_outlines(
    node_ids: list[str], values: dict[str, float], colors: Callable[[np.ndarray], np.ndarray] = sign_names
) -> dict[str, np.ndarray]:
    """{"outline", "outline_width"} of each node for `values` {node id: dLoss/db}: coloured by sign (`colors` of the
    values), 1 to MAX_OUTLINE_WIDTH pixels wide as abs(value) is large next to the largest; nodes without a value get
    none."""
    magnitude = np.array([abs(values.get(node, 0.0)) for node in node_ids], dtype=np.float64)
    magnitude = np.nan_to_num(magnitude)
    largest = max(float(magnitude.max(initial=0.0)), np.finfo(np.float64).tiny)
    width = np.where([node in values for node in node_ids], 1.0 + (MAX_OUTLINE_WIDTH - 1.0) * magnitude / largest, 0.0)
    signs = np.array([values.get(node, 0.0) for node in node_ids], dtype=np.float64)
    return {"outline": colors(signs), "outline_width": width}


def layer_titles(n_hidden: int) -> dict[int, str]:
    """{model layer of each dense layer: its name on the page} of a network with `n_hidden` hidden layers: the
    layer controls' "layer 1", "layer 2", ..., then "output"."""
    return {dense_position(k): f"layer {k + 1}" for k in range(n_hidden)} | {dense_position(n_hidden): "output"}


def weight_joins(state: PlaygroundState) -> dict[str, str]:
    """{each weight matrix's name on the page: the columns it joins}, e.g. {"Layer 1 weights": "inputs → layer 1"}."""
    titles = layer_titles(len(state.hidden_layers))
    names = ["inputs", *titles.values()]
    return {parameter_title(f"{p}.W", titles): f"{names[c]} → {names[c + 1]}" for c, p in enumerate(titles)}


def column_pictures(state: PlaygroundState, pictures: np.ndarray, dw: float, dh: float) -> dict[str, list]:
    """The node pictures (n_nodes, p, p) uint32, in `layer_node_ids` order, as one picture per column for Bokeh's
    image_rgba: {"image", "x", "y", "dw", "dh"}, a row per column, each node's picture over its node (dw x dh data
    units, centred on it) and transparent between them. One picture per column instead of per node: an 8 x 16
    network's patch carried 137 arrays, each serialized in Python and copied to a canvas by the page on its own.

    A column picture's rows are NODE_GAP / pitch data units high, pitch = NODE_GAP / dh * p rounded to whole rows, so
    every node's picture starts on a row: each node sits exactly in place, its picture at most half a row taller or
    shorter than dh."""
    positions, columns = node_positions(state), layer_node_ids(state)
    side = pictures.shape[-1]
    pitch = max(side, round(NODE_GAP / dh * side))
    row = NODE_GAP / pitch  # data units per picture row
    bounds = np.cumsum([0] + [len(ids) for ids in columns])
    images, xs, ys = [], [], []
    for ids, start, end in zip(columns, bounds, bounds[1:], strict=False):
        column = np.zeros(((len(ids) - 1) * pitch + side, side), np.uint32)  # 0: transparent
        # The bottom node first: a picture's row 0 is drawn lowest.
        for k, picture in enumerate(pictures[start:end][::-1]):
            column[k * pitch : k * pitch + side] = picture
        x, y = positions[ids[-1]]
        images.append(column)
        xs.append(x - dw / 2)
        ys.append(y - side * row / 2)
    return {"image": images, "x": xs, "y": ys, "dw": [dw] * len(images), "dh": [len(image) * row for image in images]}
