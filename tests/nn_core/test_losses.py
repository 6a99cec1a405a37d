"""Losses: values against their definitions, stability for extreme logits, and exact gradients."""

import numpy as np
import pytest

from nn_core import MSE, BinaryCrossEntropy, SoftmaxCrossEntropy, make_loss


def numeric_gradient(loss, pred, target, eps=1e-6):
    """Central differences of loss.forward for every element of pred."""
    grad = np.zeros_like(pred)
    for index in np.ndindex(pred.shape):
        step = np.zeros_like(pred)
        step[index] = eps
        grad[index] = (loss.forward(pred + step, target) - loss.forward(pred - step, target)) / (2 * eps)
    return grad


CASES = {
    "mse": (MSE, lambda rng: rng.standard_normal((4, 3))),
    "softmax_cross_entropy": (SoftmaxCrossEntropy, lambda rng: np.array([0, 2, 1, 2])),
    "binary_cross_entropy": (BinaryCrossEntropy, lambda rng: rng.integers(0, 2, (4, 3)).astype(float)),
}


@pytest.mark.parametrize("name", CASES)
def test_loss_gradient_matches_finite_differences(name):
    make, make_target = CASES[name]
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((4, 3)), make_target(rng)
    loss = make()
    loss.forward(pred, target)
    analytic = loss.backward()
    np.testing.assert_allclose(analytic, numeric_gradient(make(), pred, target), rtol=1e-6, atol=1e-10)
    assert isinstance(make_loss(name), make)


def test_mse_is_the_mean_over_examples_of_half_the_squared_error_sum():
    loss = MSE()
    assert loss.forward(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 1.0]])) == 0.5 * (5 + 1) / 2
    np.testing.assert_allclose(loss.backward(), [[0.5, 1.0], [0.0, -0.5]])


def test_softmax_cross_entropy_is_stable_and_exposes_probabilities():
    loss = SoftmaxCrossEntropy()
    value = loss.forward(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert value == pytest.approx(500.0)
    np.testing.assert_allclose(loss.probabilities, [[1, 0], [0, 1]])


def test_binary_cross_entropy_on_logits_is_stable():
    loss = BinaryCrossEntropy()
    assert loss.forward(np.array([[1000.0], [-1000.0]]), np.array([[1.0], [0.0]])) == 0.0
    assert loss.forward(np.array([[-1000.0]]), np.array([[1.0]])) == pytest.approx(1000.0)
    assert np.isfinite(loss.backward()).all()


def test_loss_gradients_keep_the_prediction_dtype():
    pred = np.zeros((2, 1), dtype=np.float32)
    for loss in (MSE(), BinaryCrossEntropy()):
        loss.forward(pred, np.array([[1.0], [0.0]]))
        assert loss.backward().dtype == np.float32


def test_unknown_loss_names_the_choices():
    with pytest.raises(ValueError, match="'mse', 'softmax_cross_entropy', 'binary_cross_entropy'"):
        make_loss("hinge")
