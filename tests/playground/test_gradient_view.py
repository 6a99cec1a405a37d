"""The gradient view: edges by dLoss/dw and node outlines by dLoss/db of the last update's batch."""

import copy

import numpy as np
import pytest

from playground.core import palette
from playground.sandbox import diagram
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState
from playground.sandbox.views.network_view import edge_view, node_numbers, node_outlines


def batch_gradients(model, loss, x, y):
    """dLoss/dparam of a copy of model on (x, y), computed here from forward and backward by hand."""
    model = copy.deepcopy(model)
    loss.forward(model.forward(x), y)
    model.backward(loss.backward())
    return {name: grad for name, _, grad in model.named_params()}


def test_the_session_keeps_the_gradients_of_the_last_update_and_forgets_them_on_a_new_network():
    session = Session(PlaygroundState(hidden_layers=[3, 2]))
    assert session.view.grads == {}
    trainer = session.trainer
    x, y = trainer.x_train[: trainer.batch_size], trainer.y_train[: trainer.batch_size]
    expected = batch_gradients(session.model, session.state.make_loss(), x, y)
    session.step_batch()
    assert session.view.grads.keys() == expected.keys()
    for name, grad in expected.items():
        np.testing.assert_allclose(session.view.grads[name], grad, rtol=1e-12)
    session.add_neuron(0)  # the new neuron's weights have no gradient yet
    assert session.view.grads == {}
    session.step_batch()
    assert session.view.grads["0.W"].shape == (2, 4)
    session.reset()
    assert session.view.grads == {}


def test_in_the_gradient_view_the_largest_gradient_is_the_widest_edge_and_outlines_follow_dloss_db():
    state = PlaygroundState(hidden_layers=[3])
    session = Session(state)
    session.step_batch()
    view = session.view
    weights_mode = edge_view(state, view.params, view.grads)
    np.testing.assert_array_equal(weights_mode["width"], diagram.edge_looks(state, view.params)["width"])
    state.network_shows = "gradients"
    shown = edge_view(state, view.params, view.grads)
    grads = diagram.edge_weights(state, view.grads)
    assert shown["width"][np.argmax(np.abs(grads))] == pytest.approx(diagram.MAX_EDGE_WIDTH)
    np.testing.assert_array_equal(shown["color"], palette.sign_colors(grads))
    np.testing.assert_array_equal(shown["weight"], diagram.edge_weights(state, view.params))  # hover: the weight
    np.testing.assert_array_equal(shown["grad"], grads)  # the page writes it out on hover

    nodes = ["in:x", "h0:0", "h0:1", "h0:2", "out:0"]
    outlines = node_outlines(state, nodes, view.grads)
    bias_grads = [view.grads["0.b"][0], view.grads["0.b"][1], view.grads["0.b"][2], view.grads["2.b"][0]]
    assert outlines["outline_width"][0] == 0  # inputs have no bias
    assert max(outlines["outline_width"]) == pytest.approx(diagram.MAX_OUTLINE_WIDTH)
    assert outlines["outline_width"][1 + int(np.argmax(np.abs(bias_grads)))] == pytest.approx(diagram.MAX_OUTLINE_WIDTH)
    np.testing.assert_array_equal(outlines["outline"][1:], palette.sign_colors(bias_grads))
    numbers = node_numbers(nodes, diagram.biases(state, view.params), diagram.biases(state, view.grads))
    assert np.isnan(numbers["bias"][0]) and np.isnan(numbers["grad"][0])  # an input: the page says so on hover
    np.testing.assert_array_equal(numbers["grad"][1:], bias_grads)
    np.testing.assert_array_equal(numbers["bias"][1:4], view.params["0.b"])


def test_without_an_update_the_gradient_view_draws_weights_and_says_so():
    state = PlaygroundState(network_shows="gradients")
    session = Session(state)
    shown = edge_view(state, session.view.params, session.view.grads)
    np.testing.assert_array_equal(shown["width"], diagram.edge_looks(state, session.view.params)["width"])
    assert np.isnan(shown["grad"]).all()  # the page says NO_GRADIENT on hover
    assert not node_outlines(state, ["h0:0"], session.view.grads)["outline_width"].any()
    assert np.isnan(node_numbers(["h0:0"], diagram.biases(state, session.view.params), {})["grad"]).all()


def test_sign_colors_are_the_palettes_blue_and_orange_as_rgba_numbers():
    colors = palette.sign_colors([0.5, -0.5, 0.0, np.nan])
    assert colors.dtype == np.uint32
    blue, orange = (int(c[1:], 16) << 8 | 0xFF for c in (palette.POSITIVE, palette.NEGATIVE))
    assert colors.tolist() == [blue, orange, orange, orange]  # as np.where(values > 0, POSITIVE, NEGATIVE)
