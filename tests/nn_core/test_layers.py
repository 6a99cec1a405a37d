"""Every layer's backward agrees with finite differences of its forward, for inputs and parameters."""

import pytest

from nn_core import (
    ELU, AvgPool2D, BatchNorm, Conv2D, Dense, Dropout, Flatten, LeakyReLU, Linear, MaxPool2D, ReLU, Sigmoid,
    Softplus, Swish, Tanh,
)


@pytest.mark.parametrize(
    "make_layer", [ReLU, lambda: LeakyReLU(0.1), Tanh, Sigmoid, Linear, ELU, lambda: ELU(0.5), Swish, Softplus]
)
def test_activation_gradients(check_layer, make_layer):
    check_layer(make_layer(), (2, 3, 3))


def test_dense_gradients(check_layer):
    report = check_layer(Dense(4), (5,))
    assert set(report.errors) == {"0.W", "0.b", "input"}
