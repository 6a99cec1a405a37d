"""gradcheck: passes correct gradients, catches wrong ones, and leaves the model alone."""

import numpy as np
import pytest

from nn_core import MSE, BatchNorm, Dense, Dropout, Sequential, Tanh, gradcheck


class WrongTanh(Tanh):
    """A deliberate bug: forgets the square in 1 - y^2."""

    def backward(self, grad_y):
        return grad_y * (1 - self.y)


def data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((4, 3)), rng.standard_normal((4, 2))


def test_report_gives_a_small_error_per_parameter_and_for_the_input():
    x, y = data()
    report = gradcheck(Sequential([Dense(4), Tanh(), Dense(2)], (3,)), MSE(), x, y)
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "input"}
    assert report.max_error < 1e-7
    assert "0.W" in str(report)


def test_a_wrong_backward_is_caught_in_the_parameters_before_it():
    x, y = data()
    report = gradcheck(Sequential([Dense(4), WrongTanh(), Dense(2)], (3,)), MSE(), x, y)
    assert report.errors["2.W"] < 1e-7  # after the bug: unaffected
    assert report.errors["0.W"] > 1e-4 and report.errors["input"] > 1e-4


def test_training_mode_layers_see_the_same_randomness_at_every_evaluation():
    # Also a zero gradient: BatchNorm subtracts the batch mean, so the loss ignores the first bias "0.b".
    x, y = data()
    model = Sequential([Dense(4), BatchNorm(), Dropout(0.5), Dense(2)], (3,))
    before = model.state_dict()
    assert gradcheck(model, MSE(), x, y, directions=2).max_error < 1e-6
    for name, array in model.state_dict().items():  # running statistics and params untouched
        np.testing.assert_array_equal(array, before[name])


def test_float32_models_are_refused():
    with pytest.raises(ValueError, match="float64"):
        gradcheck(Sequential([Dense(2)], (3,), dtype="float32"), MSE(), *data())
