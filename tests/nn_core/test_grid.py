"""neuron_grids: every flat layer's output over a 2-D grid, equal to evaluating each point on its own."""

import numpy as np
import pytest

from nn_core import build_model
from nn_core.grid import grid_points, neuron_grids

SPEC = {
    "input_shape": [3],
    "layers": [
        {"type": "dense", "units": 4},
        {"type": "tanh"},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 2},
        {"type": "relu"},
        {"type": "dense", "units": 1},
    ],
}


def features(x1, x2):
    """TFP-style inputs: x1, x2 and x1*x2, each (n,) -> (n, 3)."""
    return np.stack([x1, x2, x1 * x2], axis=1)


def test_rows_go_up_in_x2_and_columns_go_right_in_x1():
    x1, x2 = grid_points((-1, 1), (0, 4), nx=3, ny=5)
    assert x1.shape == x2.shape == (5, 3)
    np.testing.assert_array_equal(x1[0], [-1, 0, 1])
    np.testing.assert_array_equal(x2[:, 0], [0, 1, 2, 3, 4])


def test_each_neuron_grid_equals_evaluating_each_point_alone_in_eval_mode():
    model = build_model(SPEC, seed=3)
    grids = neuron_grids(model, features, x1_range=(-2, 2), x2_range=(-1, 3), nx=4, ny=3)

    assert {index: grid.shape for index, grid in grids.items()} == {
        0: (4, 3, 4),
        1: (4, 3, 4),
        2: (4, 3, 4),
        3: (2, 3, 4),
        4: (2, 3, 4),
        5: (1, 3, 4),
    }
    x1, x2 = grid_points((-2, 2), (-1, 3), nx=4, ny=3)
    model.eval()
    for row in range(3):
        for column in range(4):
            point = features(x1[row, column : column + 1], x2[row, column : column + 1])
            for index, output in enumerate(model.forward_trace(point)):
                np.testing.assert_allclose(grids[index][:, row, column], output[0], rtol=0, atol=1e-14)


def test_precomputed_features_give_the_same_grids_and_the_model_stays_in_training_mode():
    model = build_model(SPEC, seed=3)
    x1, x2 = grid_points((-6, 6), (-6, 6), nx=5, ny=5)
    from_callable = neuron_grids(model, features, nx=5, ny=5)
    from_matrix = neuron_grids(model, features(x1.ravel(), x2.ravel()), nx=5, ny=5)
    for index in from_callable:
        np.testing.assert_array_equal(from_callable[index], from_matrix[index])
    assert all(layer.training for layer in model.layers)
    with pytest.raises(ValueError, match="expected nx \\* ny = 25"):
        neuron_grids(model, np.zeros((24, 3)), nx=5, ny=5)
