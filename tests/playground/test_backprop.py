"""The step-by-step backprop walk-through: its numbers are the engine's, and its gradients match finite
differences of the loss."""

import copy

import numpy as np
import pytest

from playground.sandbox.backprop import node_names, walkthrough
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState, activation_position, dense_position

SETUPS = [
    {},
    {"loss": "cross_entropy", "activation": "relu"},
    {"dataset": "spiral3", "hidden_layers": [3]},
    {"problem": "regression", "activation": "sigmoid"},
]


def setup(settings, steps=30):
    session = Session(PlaygroundState(**settings))
    session.play()
    session.tick(steps)
    return session, session.trainer.x_train[3], session.trainer.y_train[3]


def table(stage, caption):
    return next(t for t in stage.tables if t.caption == caption)


def loss_of(model, loss, x, y):
    return loss.forward(model.forward(x[None, :]), np.asarray(y)[None, ...])


@pytest.mark.parametrize("settings", SETUPS)
def test_forward_and_delta_numbers_are_the_engines(settings):
    session, x, y = setup(settings)
    model, loss = copy.deepcopy(session.model), session.state.make_loss()
    outputs = model.forward_trace(x[None, :])
    loss_value = loss.forward(outputs[-1], np.asarray(y)[None, ...])
    output_grads = model.backward_trace(loss.backward())
    stages = walkthrough(session.model, loss, x, y, session.state)
    forward = [s for s in stages if s.title.startswith("Forward")]
    for k, stage in enumerate(forward):  # hidden layer k (the last: the output, maybe without an activation)
        neurons = table(stage, "each neuron").values
        np.testing.assert_allclose(neurons[:, 0], outputs[dense_position(k)][0], rtol=1e-12)
        if neurons.shape[1] == 2:
            np.testing.assert_allclose(neurons[:, 1], outputs[activation_position(k)][0], rtol=1e-12)
    assert next(s for s in stages if s.title.startswith("Loss")).title == f"Loss: {loss_value:.6g}"
    backward = [s for s in stages if s.title.startswith("Backward")][::-1]  # first layer first
    for k, stage in enumerate(backward):
        delta = stage.tables[0].values[:, -1]
        np.testing.assert_allclose(delta, output_grads[dense_position(k)][0], rtol=1e-12, atol=1e-15)
    assert [s.column for s in stages][: len(forward) + 1] == list(range(len(forward) + 1))


@pytest.mark.parametrize("settings", SETUPS)
def test_every_weight_gradient_matches_a_finite_difference_of_the_loss(settings):
    session, x, y = setup(settings)
    loss = session.state.make_loss()
    gradients = walkthrough(session.model, loss, x, y, session.state)[-1]
    eps = 1e-6
    for k, grad_table in enumerate(gradients.tables):
        for name, rows in (("W", slice(0, -1)), ("b", -1)):
            analytic = grad_table.values[rows]
            numeric = np.zeros_like(analytic)
            for index in np.ndindex(analytic.shape):
                shifted = []
                for sign in (1, -1):
                    model = copy.deepcopy(session.model)
                    model.layers[dense_position(k)].params[name][index] += sign * eps
                    shifted.append(loss_of(model, loss, x, y))
                numeric[index] = (shifted[0] - shifted[1]) / (2 * eps)
            np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_a_weights_gradient_is_its_input_times_the_delta_it_feeds_and_the_live_model_is_untouched():
    session, x, y = setup({})
    grads_before = {name: grad.copy() for name, grad in session.view.grads.items()}
    stages = walkthrough(session.model, session.state.make_loss(), x, y, session.state)
    first_forward, first_delta = stages[1], [s for s in stages if s.title.startswith("Backward")][-1]
    a_in = table(first_forward, "inputs a of this layer").values[:, 0]
    np.testing.assert_allclose(stages[-1].tables[0].values[:-1], np.outer(a_in, first_delta.tables[0].values[:, -1]))
    for name, _, grad in session.model.named_params():
        np.testing.assert_array_equal(grad, grads_before[name])


def test_tables_name_inputs_neurons_and_classes():
    state = PlaygroundState(dataset="spiral3", hidden_layers=[2], features=["x", "sinY"])
    classes = ["output for class 0", "output for class 1", "output for class 2"]
    assert node_names(state) == [["X₁", "sin(X₂)"], ["layer 1, neuron 1", "layer 1, neuron 2"], classes]
    assert node_names(PlaygroundState(hidden_layers=[]))[-1] == ["the output"]
