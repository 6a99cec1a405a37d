"""Helpers shared by the engine tests."""

import numpy as np
import pytest

from nn_core import Sequential, gradcheck

TOLERANCE = 1e-6  # float64 central differences agree with correct backprop to ~1e-9


class Projection:
    """Loss sum(pred * target): its gradient is `target` itself, a random upstream gradient (not all ones)."""

    def forward(self, pred, target):
        self.target = target
        return float(np.sum(pred * target))

    def backward(self):
        return self.target


@pytest.fixture
def check_layer():
    """Asserts that a single layer's input and parameter gradients match finite differences."""

    def check(layer, input_shape, batch=3, training=True, seed=0):
        model = Sequential([layer], input_shape, seed=seed).train(training)
        rng = np.random.default_rng(seed + 1)
        x = rng.standard_normal((batch, *input_shape))
        upstream = rng.standard_normal((batch, *model.output_shape))
        report = gradcheck(model, Projection(), x, upstream)
        assert report.max_error < TOLERANCE, f"{layer}:\n{report}"
        return report

    return check
