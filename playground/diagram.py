"""Geometry of the network diagram: a column of nodes per layer, an edge per weight.

Edges are as wide as the weight is large and coloured by its sign (blue positive, orange negative), like
TensorFlow Playground's links. Coordinates are in diagram units: layers LAYER_GAP apart along x, nodes
NODE_GAP apart along y, centred on y = 0, each node a NODE_SIZE square whose centre is (x, y).
"""

import numpy as np

from .palette import sign_color

LAYER_GAP = 3.0
NODE_GAP = 1.35
NODE_SIZE = 1.0
MAX_EDGE_WIDTH = 7.0  # pixels, for the largest |w| drawn


def layer_node_ids(state):
    """The node ids of each column: inputs, each hidden layer, outputs (see heatmaps for the id scheme)."""
    n_outputs = state.n_classes if state.loss_name() == "softmax_cross_entropy" else 1
    columns = [[f"in:{name}" for name in state.input_names]]
    columns += [[f"h{layer}:{i}" for i in range(width)] for layer, width in enumerate(state.hidden_layers)]
    return columns + [[f"out:{unit}" for unit in range(n_outputs)]]


def node_positions(state):
    """{node id: (x, y)}: column c at x = c * LAYER_GAP, its nodes spread evenly around y = 0, first on top."""
    positions = {}
    for column, ids in enumerate(layer_node_ids(state)):
        for row, node in enumerate(ids):
            positions[node] = (column * LAYER_GAP, ((len(ids) - 1) / 2 - row) * NODE_GAP)
    return positions


def edges(state, params):
    """Every weight as an edge, a dict of equal-length lists: x0, y0, x1, y1, weight, width, color, source, target,
    and where the weight lives: param (its dotted name), i and j (its row and column).

    `params` maps dotted names to arrays (SessionView.params); column c's weights are "<2c>.W" of shape
    (nodes in column c, nodes in column c + 1). Edges run centre to centre; the nodes are drawn over them.
    """
    columns, positions = layer_node_ids(state), node_positions(state)
    rows = {key: [] for key in ("x0", "y0", "x1", "y1", "weight", "source", "target", "param", "i", "j")}
    for column, (sources, targets) in enumerate(zip(columns, columns[1:], strict=False)):
        weights = params[f"{2 * column}.W"]
        for i, source in enumerate(sources):
            for j, target in enumerate(targets):
                (x0, y0), (x1, y1) = positions[source], positions[target]
                values = (x0, y0, x1, y1, weights[i, j], source, target, f"{2 * column}.W", i, j)
                for key, value in zip(rows, values, strict=True):
                    rows[key].append(value)
    magnitude = np.abs(np.array(rows["weight"], dtype=np.float64))
    largest = max(1.0, float(magnitude.max(initial=0.0)))
    rows["width"] = list(0.5 + (MAX_EDGE_WIDTH - 0.5) * magnitude / largest)
    rows["color"] = [sign_color(w) for w in rows["weight"]]
    return rows


def biases(state, params):
    """{node id: bias} of every hidden and output node."""
    columns = layer_node_ids(state)
    return {
        node: float(params[f"{2 * (c - 1)}.b"][i]) for c in range(1, len(columns)) for i, node in enumerate(columns[c])
    }
