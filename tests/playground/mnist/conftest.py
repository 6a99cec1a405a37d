"""Small models with known answers for the MNIST lab's computations."""

import numpy as np
import pytest

from nn_core import build_model


@pytest.fixture
def linear_model():
    """flatten -> dense(10) on 1x6x6 digits, float64, with weights from a seeded Generator and zero biases:
    class scores are exactly x.ravel() @ W."""
    layers = [{"type": "flatten"}, {"type": "dense", "units": 10}]
    model = build_model({"input_shape": [1, 6, 6], "dtype": "float64", "layers": layers})
    model.layers[1].params["W"][...] = np.random.default_rng(1).standard_normal((36, 10))
    model.layers[1].params["b"][...] = 0
    return model


@pytest.fixture
def small_cnn():
    """conv 3@3x3 same, relu, maxpool 2, flatten, dense 10 on 1x6x6, float64, seed 0."""
    layers = [
        {"type": "conv2d", "filters": 3, "kernel_size": 3, "padding": "same"},
        {"type": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 10},
    ]
    return build_model({"input_shape": [1, 6, 6], "dtype": "float64", "init": "he", "layers": layers}, seed=0)
