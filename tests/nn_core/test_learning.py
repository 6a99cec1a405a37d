"""Learning outcomes: small networks reach high test accuracy on the classic playground problems."""

import numpy as np
import pytest

from nn_core import Adam, BinaryCrossEntropy, build_model
from nn_core.datasets import class_indices, make_dataset


def accuracy_after_training(problem, hidden, steps, learning_rate=0.03, seed=0):
    """Trains a tanh MLP with Adam on 200 of TFP's points, full batch; returns accuracy on the other 200."""
    data = make_dataset(problem, n_points=400, train_percent=50, seed=seed)
    x_train, y_train = data.x_train, class_indices(data.y_train, 2)
    x_test, y_test = data.x_test, class_indices(data.y_test, 2)
    layers = [{"type": "dense", "units": units, "activation": "tanh"} for units in hidden]
    model = build_model({"input_shape": [2], "init": "glorot", "layers": [*layers, {"type": "dense", "units": 1}]})
    loss, optimizer = BinaryCrossEntropy(), Adam(learning_rate)
    for _ in range(steps):
        loss.forward(model.forward(x_train), y_train[:, None])
        model.backward(loss.backward())
        optimizer.step(model.named_params())
    return np.mean((model.predict(x_test)[:, 0] > 0) == y_test)


@pytest.mark.parametrize("problem", ["xor", "circle"])
def test_one_hidden_layer_learns_xor_and_circle(problem):
    assert accuracy_after_training(problem, hidden=[8], steps=300) >= 0.95


def test_two_hidden_layers_learn_the_two_arm_spiral():
    assert accuracy_after_training("spiral", hidden=[16, 16], steps=1000) >= 0.90
