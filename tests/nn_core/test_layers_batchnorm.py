"""BatchNorm: batch statistics while training, running statistics at inference, correct gradients."""

import numpy as np
import pytest

from nn_core import BatchNorm, Sequential


@pytest.mark.parametrize("input_shape", [(4,), (3, 4, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradients(check_layer, input_shape, training):
    report = check_layer(BatchNorm(), input_shape, batch=5, training=training)
    assert set(report.errors) == {"0.gamma", "0.beta", "input"}


def test_training_output_has_zero_mean_and_unit_variance_per_channel():
    model = Sequential([BatchNorm()], (3, 4, 4))
    x = 5 + 3 * np.random.default_rng(0).standard_normal((8, 3, 4, 4))
    y = model.forward(x)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-3)


def test_running_statistics_are_buffers_not_params_and_drive_inference():
    layer = BatchNorm(momentum=0.5)
    model = Sequential([layer], (2,))
    assert set(layer.params) == {"gamma", "beta"} and set(layer.buffers) == {"running_mean", "running_var"}
    x = np.array([[1.0, 10.0], [3.0, 30.0]])
    model.forward(x)  # running = 0.5 * initial + 0.5 * batch
    np.testing.assert_allclose(layer.buffers["running_mean"], [1.0, 10.0])
    np.testing.assert_allclose(layer.buffers["running_var"], [1.0, 50.5])
    model.eval()
    expected = (x - [1.0, 10.0]) / np.sqrt(np.array([1.0, 50.5]) + layer.eps)
    np.testing.assert_allclose(model.forward(x), expected)
    np.testing.assert_allclose(layer.buffers["running_mean"], [1.0, 10.0])  # inference leaves them alone
