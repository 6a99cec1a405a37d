"""Helpers shared by the engine tests."""

import math

import numpy as np
import pytest

from nn_core import Sequential, gradcheck, kernels
from nn_core.layers import conv, dense

TOLERANCE = 1e-6  # float64 central differences agree with correct backprop to ~1e-9


class Projection:
    """Loss sum(pred * target): its gradient is `target` itself, a random upstream gradient (not all ones)."""

    def forward(self, pred, target):
        self.target = target
        return float(np.sum(pred * target))

    def backward(self):
        return self.target


@pytest.fixture
def check_model():
    """Asserts that a model's input and parameter gradients match finite differences; returns the report.

    Without a loss, the loss is a random projection of the output (a random upstream gradient).
    """

    def check(model, x, loss=None, target=None, seed=0):
        if loss is None:
            loss = Projection()
            target = np.random.default_rng(seed + 2).standard_normal((len(x), *model.output_shape))
        report = gradcheck(model, loss, x, target, seed=seed)
        assert report.max_error < TOLERANCE, f"{model.summary()}\n{report}"
        return report

    return check


@pytest.fixture
def check_layer(check_model):
    """Asserts that a single layer's input and parameter gradients match finite differences."""

    def check(layer, input_shape, batch=3, training=True, seed=0):
        model = Sequential([layer], input_shape, seed=seed).train(training)
        x = np.random.default_rng(seed + 1).standard_normal((batch, *input_shape))
        return check_model(model, x, seed=seed)

    return check


@pytest.fixture(params=["@", "einsum"])
def formulation(request, monkeypatch):
    """kernels.by_shape, and the dense and convolution layers' matmul, made to use one formulation for every size."""
    monkeypatch.setattr(kernels, "einsum_from", math.inf if request.param == "@" else 0)
    monkeypatch.setattr(kernels, "einsum_width", 0)
    for layer_module in (dense, conv):
        monkeypatch.setattr(layer_module, "matmul", kernels.by_shape)
    return request.param
