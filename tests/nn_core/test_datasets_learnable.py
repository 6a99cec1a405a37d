"""Every generated classification problem is learnable: a small tanh MLP reaches 90% test accuracy."""

import numpy as np
import pytest

from nn_core import Adam, BinaryCrossEntropy, SoftmaxCrossEntropy, build_model
from nn_core.datasets import CLASSIFICATION, DATASETS, class_indices, feature_matrix, make_dataset

# name: (hidden layer sizes, full-batch Adam steps, input features), about the least that reliably works;
# the checkerboard is the one set meant for the sin features.
SETTINGS = {
    "circle": ([8], 200, ["x", "y"]),
    "xor": ([8], 200, ["x", "y"]),
    "gauss": ([4], 100, ["x", "y"]),
    "spiral": ([16, 16], 500, ["x", "y"]),
    "moons": ([8], 150, ["x", "y"]),
    "checkerboard": ([8], 300, ["sinX", "sinY"]),
    "spiral3": ([16, 16], 500, ["x", "y"]),
    "spiral5": ([16, 16], 500, ["x", "y"]),
    "blobs4": ([8], 150, ["x", "y"]),
}


def test_every_classification_set_has_settings():
    assert set(SETTINGS) == {name for name, info in DATASETS.items() if info.kind == CLASSIFICATION}


@pytest.mark.parametrize("name", SETTINGS)
def test_small_mlp_reaches_90_percent_test_accuracy(name):
    hidden, steps, features = SETTINGS[name]
    data = make_dataset(name, seed=0)  # TFP's defaults: 500 points, no noise, half for training
    binary = data.n_classes == 2
    dense_tanh = [layer for units in hidden for layer in ({"type": "dense", "units": units}, {"type": "tanh"})]
    output = {"type": "dense", "units": 1 if binary else data.n_classes}
    model = build_model({"input_shape": [len(features)], "init": "glorot", "layers": [*dense_tanh, output]})
    x_train, x_test = (feature_matrix(x, features) for x in (data.x_train, data.x_test))
    y_train, y_test = (class_indices(y, data.n_classes) for y in (data.y_train, data.y_test))
    loss = BinaryCrossEntropy() if binary else SoftmaxCrossEntropy()
    target = y_train[:, None] if binary else y_train
    optimizer = Adam(0.03)
    for _ in range(steps):
        loss.forward(model.forward(x_train), target)
        model.backward(loss.backward())
        optimizer.step(model.named_params())
    scores = model.predict(x_test)
    predicted = (scores[:, 0] > 0).astype(np.int64) if binary else scores.argmax(axis=1)
    assert np.mean(predicted == y_test) >= 0.9
