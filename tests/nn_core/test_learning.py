"""Learning outcomes: small networks reach high test accuracy on the classic playground problems."""

import numpy as np
import pytest

from nn_core import Adam, BinaryCrossEntropy, build_model


def xor(n, rng):
    """Points in [-5, 5]^2 kept 0.3 away from the axes; label 1 where x*y > 0."""
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    return points, (points[:, 0] * points[:, 1] > 0).astype(float)


def circle(n, rng):
    """Label 1 inside radius 2, 0 on a ring of radius 3 to 5, at uniform angles."""
    radius = np.where(np.arange(n) % 2 == 0, rng.uniform(0, 2, n), rng.uniform(3, 5, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), (radius < 2.5).astype(float)


def spiral(n, rng):
    """Two interleaved arms of radius up to 5, turning 1.75 times; label = arm."""
    label = np.arange(n) % 2
    t = rng.uniform(0, 1, n)
    angle = 1.75 * 2 * np.pi * t + np.pi * label
    return np.column_stack([5 * t * np.sin(angle), 5 * t * np.cos(angle)]), label.astype(float)


def accuracy_after_training(problem, hidden, steps, learning_rate=0.03, seed=0):
    """Trains a tanh MLP with Adam on 200 points, full batch; returns accuracy on 200 fresh points."""
    rng = np.random.default_rng(seed)
    x_train, y_train = problem(200, rng)
    x_test, y_test = problem(200, rng)
    layers = [{"type": "dense", "units": units, "activation": "tanh"} for units in hidden]
    model = build_model({"input_shape": [2], "init": "glorot", "layers": [*layers, {"type": "dense", "units": 1}]})
    loss, optimizer = BinaryCrossEntropy(), Adam(learning_rate)
    for _ in range(steps):
        loss.forward(model.forward(x_train), y_train[:, None])
        model.backward(loss.backward())
        optimizer.step(model.named_params())
    return np.mean((model.predict(x_test)[:, 0] > 0) == y_test)


@pytest.mark.parametrize("problem", [xor, circle])
def test_one_hidden_layer_learns_xor_and_circle(problem):
    assert accuracy_after_training(problem, hidden=[8], steps=300) >= 0.95


def test_two_hidden_layers_learn_the_two_arm_spiral():
    assert accuracy_after_training(spiral, hidden=[16, 16], steps=1000) >= 0.90
