"""Dense, activation, flatten and dropout layers: what they compute and that backward matches it."""

import numpy as np
import pytest

from nn_core import (
    ELU,
    Dense,
    Dropout,
    Flatten,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Softplus,
    Swish,
    Tanh,
)

ACTIVATION_CASES = {
    "relu": (ReLU, lambda x: np.maximum(x, 0)),
    "leaky_relu": (lambda: LeakyReLU(0.1), lambda x: np.where(x > 0, x, 0.1 * x)),
    "tanh": (Tanh, np.tanh),
    "sigmoid": (Sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "linear": (Linear, lambda x: x),
    "elu": (lambda: ELU(0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    "swish": (Swish, lambda x: x / (1 + np.exp(-x))),
    "softplus": (Softplus, lambda x: np.log(1 + np.exp(x))),
}


@pytest.mark.parametrize("name", ACTIVATION_CASES)
def test_activation_computes_its_formula_and_its_gradient(check_layer, name):
    make_layer, formula = ACTIVATION_CASES[name]
    x = np.linspace(-4, 4, 17).reshape(1, 17)
    np.testing.assert_allclose(make_layer().forward(x), formula(x), rtol=1e-12, atol=1e-15)
    check_layer(make_layer(), (2, 3, 3))


@pytest.mark.parametrize("make_layer", [Sigmoid, Softplus, Swish, ELU, Tanh])
def test_activations_stay_finite_and_quiet_for_huge_inputs(make_layer):
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is harmless
        layer = make_layer()
        y = layer.forward(np.array([[-1000.0, 1000.0]]))
        grad_x = layer.backward(np.ones((1, 2)))
    assert np.isfinite(y).all() and np.isfinite(grad_x).all()


def test_dense_computes_x_W_plus_b_with_W_shaped_inputs_by_units():
    layer = Dense(3)
    Sequential([layer], (2,))
    assert layer.params["W"].shape == (2, 3) and layer.params["b"].shape == (3,)
    x = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + layer.params["b"])


def test_dense_gradients(check_layer):
    report = check_layer(Dense(4), (5,))
    assert set(report.errors) == {"0.W", "0.b", "input"}


def test_backward_assigns_gradients_rather_than_accumulating():
    layer = Dense(2)
    Sequential([layer], (3,))
    x, grad_y = np.ones((4, 3)), np.ones((4, 2))
    layer.forward(x)
    layer.backward(grad_y)
    first = layer.grads["W"].copy()
    layer.backward(grad_y)
    np.testing.assert_array_equal(layer.grads["W"], first)


def test_flatten_joins_per_example_axes_and_restores_them_backward(check_layer):
    layer = Flatten()
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    assert layer.forward(x).shape == (2, 12)
    assert layer.output_shape((3, 2, 2)) == (12,)
    check_layer(Flatten(), (3, 2, 2))


def test_dropout_is_the_identity_in_inference_mode():
    model = Sequential([Dropout(0.5)], (10,)).eval()
    x = np.random.default_rng(0).standard_normal((4, 10))
    np.testing.assert_array_equal(model.forward(x), x)
    np.testing.assert_array_equal(model.backward(x), x)


def test_dropout_zeroes_about_rate_of_the_inputs_and_keeps_the_mean():
    model = Sequential([Dropout(0.25)], (1000,), seed=3)
    y = model.forward(np.ones((20, 1000)))
    assert abs(np.mean(y == 0) - 0.25) < 0.01
    assert abs(y.mean() - 1) < 0.02
    assert set(np.unique(y)) == {0.0, 1 / 0.75}


def test_dropout_gradient_uses_the_forward_mask(check_layer):
    # gradcheck replays the layer from a copy, so the same mask is drawn for every evaluation.
    check_layer(Dropout(0.4), (6,), training=True)
