"""View models: for a state and session, the data each figure shows (heatmaps, diagram, points, curves, status)."""

import numpy as np
import pytest

from playground import diagram, heatmaps, output, palette
from playground.session import Session
from playground.state import PlaygroundState


def unpack(pixel):
    return tuple(int(pixel) >> shift & 255 for shift in (0, 8, 16, 24))


def test_the_diverging_scale_runs_orange_grey_blue():
    pixels = palette.diverging_rgba(np.array([-1.0, 0.0, 1.0, 5.0]))
    assert [unpack(p)[:3] for p in pixels] == [
        palette.rgb(palette.NEGATIVE),
        palette.rgb(palette.NEUTRAL),
        palette.rgb(palette.POSITIVE),
        palette.rgb(palette.POSITIVE),
    ]
    assert {unpack(p)[3] for p in pixels} == {255}
    assert unpack(palette.diverging_rgba(-1.0, fade=1.0))[:3] == (255, 255, 255)


def test_neuron_maps_cover_every_hidden_neuron_at_the_requested_resolution():
    session = Session(PlaygroundState(hidden_layers=[3, 2]))
    maps = heatmaps.neuron_maps(session.model, session.state, resolution=40)
    assert sorted(maps) == ["h0:0", "h0:1", "h0:2", "h1:0", "h1:1"]
    assert all(m.shape == (40, 40) and np.abs(m).max() <= 1 for m in maps.values())


def test_a_neuron_map_is_that_neurons_activation_over_the_view():
    state = PlaygroundState(hidden_layers=[1], features=["x"])
    session = Session(state)
    w, b = session.model.layers[0].params["W"][0, 0], session.model.layers[0].params["b"][0]
    values = heatmaps.neuron_maps(session.model, state, resolution=5)["h0:0"]
    x1 = np.linspace(-6, 6, 5)
    assert np.allclose(values[0], np.tanh(w * x1 + b))  # bottom row; every row alike (x2 is not an input)
    assert np.allclose(values, values[0])


def test_feature_maps_show_every_feature_scaled_into_the_colour_range():
    maps = heatmaps.feature_maps(PlaygroundState(), resolution=9)
    assert "in:sinX" in maps and "in:xSquared" in maps
    assert maps["in:x"][0, 0] == -1 and maps["in:x"][0, -1] == 1 and maps["in:y"][-1, 0] == 1
    assert maps["in:xSquared"].min() == 0


def test_the_output_map_follows_training_and_discretize():
    state = PlaygroundState(learning_rate=0.3, hidden_layers=[6])
    session = Session(state)
    session.play()
    for _ in range(10):
        session.tick(50)
    values = heatmaps.output_values(session.model, state, resolution=21)
    assert values.shape == (21, 21)
    assert values[10, 10] > 0.3 and values[0, 0] < -0.3  # circle: blue inside, orange in the corners
    state.discretize = True
    pixels = {unpack(p)[:3] for p in heatmaps.output_image(session.model, state, resolution=21).ravel()}
    assert pixels == {unpack(palette.diverging_rgba(v, fade=heatmaps.OUTPUT_FADE))[:3] for v in (-1.0, 1.0)}


def test_three_classes_give_probabilities_and_class_colours():
    state = PlaygroundState(dataset="spiral3")
    session = Session(state)
    values = heatmaps.output_values(session.model, state, resolution=8)
    assert values.shape == (3, 8, 8) and np.allclose(values.sum(axis=0), 1)
    assert heatmaps.output_image(session.model, state, resolution=8).shape == (8, 8)


def test_the_diagram_has_a_column_per_layer_and_an_edge_per_weight():
    state = PlaygroundState(features=["x", "y", "xSquared"], hidden_layers=[4, 2])
    session = Session(state)
    positions = diagram.node_positions(state)
    assert [len(c) for c in diagram.layer_node_ids(state)] == [3, 4, 2, 1]
    assert positions["in:x"] == (0.0, diagram.NODE_GAP) and positions["out:0"] == (3 * diagram.LAYER_GAP, 0.0)
    edges = diagram.edges(state, session.view.params)
    assert len(edges["weight"]) == 3 * 4 + 4 * 2 + 2
    assert len({len(column) for column in edges.values()}) == 1
    assert edges["weight"][0] == session.view.params["0.W"][0, 0]
    assert sorted(diagram.biases(state, session.view.params)) == sorted(
        ["h0:0", "h0:1", "h0:2", "h0:3", "h1:0", "h1:1", "out:0"]
    )


def test_edges_are_wider_for_larger_weights_and_coloured_by_sign():
    state = PlaygroundState(hidden_layers=[])
    params = {"0.W": np.array([[0.1], [-0.8]]), "0.b": np.array([0.0])}
    edges = diagram.edges(state, params)
    assert edges["color"] == [palette.POSITIVE, palette.NEGATIVE]
    assert edges["width"][1] > edges["width"][0]


@pytest.mark.parametrize("show_test", [False, True])
def test_points_show_training_data_and_test_data_on_request(show_test):
    state = PlaygroundState(show_test_data=show_test)
    data = state.make_data()
    shown = output.points(data, state)
    assert len(shown["x1"]) == (len(data.x) if show_test else data.n_train)
    assert set(shown["split"]) == ({"train", "test"} if show_test else {"train"})
    assert set(shown["color"]) == {palette.POSITIVE, palette.NEGATIVE}


def test_loss_curves_and_status_follow_the_session():
    session = Session(PlaygroundState())
    session.play()
    session.tick(25)
    curves = output.loss_curves(session.view)
    assert curves["step"] == [0, 25] and len(curves["train"]) == len(curves["test"]) == 2
    attributes = output.status_attributes(session.view)
    assert attributes["data-state"] == "running" and attributes["data-epoch"] == "1"
    assert float(attributes["data-test-loss"]) == pytest.approx(session.view.test_loss, abs=1e-6)
    assert "test accuracy" in output.status_text(session.view)


def test_every_diagram_node_has_a_map():
    for settings in ({}, {"dataset": "spiral3", "features": ["x", "y", "sinX"]}, {"hidden_layers": []}):
        state = PlaygroundState(**settings)
        session = Session(state)
        maps = (
            heatmaps.feature_maps(state)
            | heatmaps.neuron_maps(session.model, state)
            | heatmaps.output_node_maps(session.model, state)
        )
        assert set(diagram.node_positions(state)) <= set(maps)
