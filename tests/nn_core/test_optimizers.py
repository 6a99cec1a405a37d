"""Optimizers and regularization against closed forms computed by hand."""

import numpy as np
import pytest

from nn_core import SGD, Adam, RMSprop, make_optimizer


def run(optimizer, param, grads, name="0.W"):
    """Applies optimizer steps with the given successive gradients to a copy of param; returns the history."""
    param = np.array(param, dtype=float)
    history = []
    for grad in grads:
        optimizer.step([(name, param, np.array(grad, dtype=float))])
        history.append(param.copy())
    return history


def test_sgd_steps_against_the_gradient():
    assert run(SGD(0.1), [1.0, -2.0], [[0.5, -1.0]])[0] == pytest.approx([0.95, -1.9])


def test_sgd_momentum_two_steps_by_hand():
    # v1 = 0.5, p1 = 1 - 0.1*0.5 = 0.95; v2 = 0.9*0.5 + 0.25 = 0.7, p2 = 0.95 - 0.1*0.7 = 0.88
    assert run(SGD(0.1, momentum=0.9), [1.0], [[0.5], [0.25]]) == pytest.approx(np.array([[0.95], [0.88]]))


def test_sgd_nesterov_two_steps_by_hand():
    # p1 = 1 - 0.1*(0.5 + 0.9*0.5) = 0.905; v2 = 0.7, p2 = 0.905 - 0.1*(0.25 + 0.9*0.7) = 0.817
    assert run(SGD(0.1, momentum=0.9, nesterov=True), [1.0], [[0.5], [0.25]]) == pytest.approx(
        np.array([[0.905], [0.817]])
    )


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
def test_adam_first_step_is_learning_rate_times_sign_whatever_the_gradient_scale(scale):
    # Bias correction divides m and v by (1 - beta^1), so m_hat / sqrt(v_hat) = g / |g|.
    grad = scale * np.array([2.0, -0.5, 3.0])
    np.testing.assert_allclose(run(Adam(0.01), np.zeros(3), [grad])[0], -0.01 * np.sign(grad), rtol=1e-4)


def test_adam_second_step_by_hand():
    g1, g2, lr, b1, b2 = 1.0, -2.0, 0.1, 0.9, 0.999
    m = (1 - b1) * g1 * b1 + (1 - b1) * g2
    v = (1 - b2) * g1**2 * b2 + (1 - b2) * g2**2
    expected = -lr - lr * (m / (1 - b1**2)) / (np.sqrt(v / (1 - b2**2)) + 1e-8)
    assert run(Adam(lr), [0.0], [[g1], [g2]])[1] == pytest.approx([expected])


def test_rmsprop_one_step_by_hand():
    # s = 0.1 * g^2, so the step is lr * g / (sqrt(0.1) * |g|)
    assert run(RMSprop(0.01, rho=0.9), [0.0], [[4.0]])[0] == pytest.approx([-0.01 / np.sqrt(0.1)])


def test_state_is_per_parameter_name_and_restarts_when_the_shape_changes():
    adam = Adam(0.1)
    run(adam, [0.0], [[1.0], [1.0]], name="0.W")
    assert adam.state["0.W"]["steps"] == 2
    grown = run(adam, [0.0, 0.0], [[1.0, -1.0]], name="0.W")[0]  # surgery added a unit
    np.testing.assert_allclose(grown, [-0.1, 0.1])
    assert adam.state["0.W"]["steps"] == 1


def test_l2_shrinks_weights_by_their_value_before_the_update():
    # gradient step: 2 - 0.1*1 = 1.9; then L2: 1.9 - 0.1*0.5*2 (the weight before) = 1.8
    sgd = SGD(0.1, regularization="l2", regularization_rate=0.5)
    assert run(sgd, [2.0], [[1.0]])[0] == pytest.approx([1.8])


def test_l1_moves_weights_toward_zero_by_a_constant_and_stops_at_zero():
    sgd = SGD(0.1, regularization="l1", regularization_rate=0.5)  # each step moves 0.05 toward 0
    assert run(sgd, [-1.0, 0.02], [[0.0, 0.0]])[0] == pytest.approx([-0.95, 0.0])  # 0.02 would cross to -0.03


def test_l1_does_not_zero_a_weight_that_the_gradient_itself_moved_across_zero():
    # gradient step: 0.01 - 0.1 = -0.09; the penalty (sign of 0.01) then gives -0.14, no crossing there
    sgd = SGD(0.1, regularization="l1", regularization_rate=0.5)
    assert run(sgd, [0.01], [[1.0]])[0] == pytest.approx([-0.14])


def test_with_tfp_freezing_a_weight_l1_stopped_at_zero_stays_dead():
    # step 1: 0.02 crosses zero under the penalty and stops there; step 2's gradient would move it to 0.5
    # (the penalty's sign(0) is 0)
    sgd = SGD(0.1, regularization="l1", regularization_rate=0.5, freeze_dead_weights=True)
    assert run(sgd, [0.02, 1.0], [[0.0, 0.0], [-5.0, 0.0]])[1] == pytest.approx([0.0, 0.9])
    unfrozen = SGD(0.1, regularization="l1", regularization_rate=0.5)
    assert run(unfrozen, [0.02, 1.0], [[0.0, 0.0], [-5.0, 0.0]])[1] == pytest.approx([0.5, 0.9])


def test_regularization_leaves_biases_alone():
    sgd = SGD(0.1, regularization="l2", regularization_rate=0.5)
    assert run(sgd, [2.0], [[0.0]], name="0.b")[0] == pytest.approx([2.0])


def test_make_optimizer_builds_by_name_and_rejects_unknown_names():
    adam = make_optimizer("adam", learning_rate=0.03, regularization="l1", regularization_rate=0.001)
    assert isinstance(adam, Adam) and adam.learning_rate == 0.03
    assert isinstance(make_optimizer("sgd", learning_rate=0.1, momentum=0.9), SGD)
    with pytest.raises(ValueError, match="'sgd', 'adam', 'rmsprop'"):
        make_optimizer("lbfgs", learning_rate=1)
    with pytest.raises(ValueError, match="'l1', 'l2'"):
        SGD(0.1, regularization="l3")
