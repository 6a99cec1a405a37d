"""View models: for a state and session, the data each figure shows (heatmaps, diagram, points, curves, status)."""

import math

import numpy as np
import pytest

from nn_core.grid import grid_points, neuron_grids
from playground.core import palette, status
from playground.sandbox import diagram, heatmaps, output
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState, activation_position
from playground.sandbox.views import network_view


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
    session = Session(PlaygroundState(hidden_layers=[3, 2], activation="relu"))
    maps = heatmaps.Maps.compute(session.model, session.state, resolution=40).nodes
    assert sorted(n for n in maps if n.startswith("h")) == ["h0:0", "h0:1", "h0:2", "h1:0", "h1:1"]
    assert all(m.shape == (40, 40) and np.abs(m).max() <= 1 for m in maps.values())


def test_one_forward_pass_gives_every_map_and_the_diagram_takes_every_other_pixel(monkeypatch):
    session = Session(PlaygroundState(hidden_layers=[3]))
    passes = []
    forward_trace = session.model.forward_trace
    monkeypatch.setattr(session.model, "forward_trace", lambda x: passes.append(len(x)) or forward_trace(x))
    maps = heatmaps.Maps.compute(session.model, session.state)
    assert passes == [heatmaps.OUTPUT_RESOLUTION**2]
    pictures = maps.node_pictures(["in:x", "h0:2", "out:0"])
    assert pictures.shape == (3, 50, 50) and pictures.dtype == np.uint32
    assert pictures[1, 3, 7] == palette.diverging_rgba(maps.nodes["h0:2"][6, 14])


def test_node_pictures_have_about_as_many_pixels_across_as_their_node_on_screen():
    assert heatmaps.node_stride(64) == 2 and heatmaps.node_stride(26) == 2  # 50 x 50
    assert heatmaps.node_stride(25) == 4 and heatmaps.node_stride(18) == 4  # 25 x 25
    session = Session(PlaygroundState(hidden_layers=[2]))
    maps = heatmaps.Maps.compute(session.model, session.state)
    coarse = maps.node_pictures(["h0:1"], stride=4)
    assert coarse.shape == (1, 25, 25) and coarse[0, 2, 3] == palette.diverging_rgba(maps.nodes["h0:1"][8, 12])


@pytest.mark.parametrize("activation, scaled", [("tanh", False), ("sigmoid", False), ("relu", True), ("linear", True)])
def test_maps_of_unbounded_activations_are_scaled_into_the_colour_range_others_shown_as_they_are(activation, scaled):
    state = PlaygroundState(hidden_layers=[3], activation=activation)
    session = Session(state)
    session.model.layers[0].params["W"][...] *= 5  # ReLU and linear neurons reach past 1 in the view
    values = heatmaps.Maps.compute(session.model, state, resolution=9).nodes["h0:1"]
    x1, x2 = grid_points(heatmaps.VIEW, heatmaps.VIEW, 9, 9)
    grids = neuron_grids(session.model, state.inputs(np.column_stack([x1.ravel(), x2.ravel()])), nx=9, ny=9)
    raw = grids[activation_position(0)][1]
    expected = raw / max(1.0, np.abs(raw).max()) if scaled else raw
    assert np.array_equal(values, expected) and np.abs(values).max() <= 1
    assert (np.abs(raw).max() > 1) == scaled


def test_small_nodes_maps_come_from_every_other_point_of_the_grid_and_are_filled_in_between(monkeypatch):
    state = PlaygroundState(hidden_layers=[16] * 8, activation="tanh")
    pixels = network_view.node_pixels(state)
    assert heatmaps.node_stride(pixels) == 4 and heatmaps.grid_stride(pixels) == 2
    assert heatmaps.grid_stride(network_view.node_pixels(PlaygroundState())) == 1  # the default network: every point
    session = Session(state)
    passes = []
    forward_trace = session.model.forward_trace
    monkeypatch.setattr(session.model, "forward_trace", lambda x: passes.append(len(x)) or forward_trace(x))
    maps = heatmaps.Maps.compute(session.model, state, stride=2)
    assert passes == [(heatmaps.OUTPUT_RESOLUTION // 2) ** 2]
    exact = heatmaps.Maps.compute(session.model, state)  # the whole grid
    nodes = list(exact.nodes)
    np.testing.assert_array_equal(maps.node_pictures(nodes, 4), exact.node_pictures(nodes, 4))  # the same points
    assert maps.prediction.shape == exact.prediction.shape
    np.testing.assert_allclose(maps.prediction[::2, ::2], exact.prediction[::2, ::2], atol=1e-12)
    assert np.abs(maps.prediction - exact.prediction).max() < 0.05  # in between: the mean of the neighbours
    closer = maps.node_image("h7:3")
    assert closer.shape == exact.node_image("h7:3").shape
    np.testing.assert_array_equal(closer[::2, ::2], exact.node_image("h7:3")[::2, ::2])


def test_upsampling_puts_means_between_the_points_and_keeps_them():
    coarse = np.array([[0.0, 2.0], [4.0, 6.0]])
    np.testing.assert_array_equal(
        heatmaps.upsample(coarse, 4), [[0, 1, 2, 2], [2, 3, 4, 4], [4, 5, 6, 6], [4, 5, 6, 6]]
    )
    stacked = heatmaps.upsample(np.stack([coarse, -coarse]), 4)  # a class's probabilities each
    assert stacked.shape == (2, 4, 4) and np.array_equal(stacked[1], -stacked[0])


@pytest.mark.parametrize("hidden_layers", [[4, 2], [16] * 8])
def test_a_columns_picture_holds_each_node_picture_over_its_node_and_nothing_between(hidden_layers):
    state = PlaygroundState(hidden_layers=hidden_layers)
    ids = [node for column in diagram.layer_node_ids(state) for node in column]
    side = 5
    pictures = (np.arange(len(ids), dtype=np.uint32) + 1)[:, None, None] * np.ones((side, side), np.uint32)
    dw, dh = 0.8, 0.8 * 1.07
    columns = diagram.column_pictures(state, pictures, dw, dh)
    assert len(columns["image"]) == len(hidden_layers) + 2
    positions = diagram.node_positions(state)
    for node, picture in zip(ids, pictures, strict=True):
        column = next(c for c, x in enumerate(columns["x"]) if np.isclose(x + dw / 2, positions[node][0]))
        image, x, y, height = (columns[key][column] for key in ("image", "x", "y", "dh"))
        rows_per_unit = len(image) / height
        cx, cy = positions[node]
        for dy in (-0.45 * dh, 0, 0.45 * dh):  # the picture covers its node, top to bottom
            assert image[int((cy + dy - y) * rows_per_unit), int((cx - x) / dw * side)] == picture[0, 0], node
        gap_row = math.floor((cy - diagram.NODE_GAP / 2 - y) * rows_per_unit)  # halfway to the node below
        assert gap_row < 0 or image[gap_row].max() == 0  # transparent
    row = columns["dh"][0] / len(columns["image"][0])  # data units per picture row, the same in every column
    heights = zip(columns["dh"], columns["image"], strict=True)
    assert all(np.isclose(height / len(image), row) for height, image in heights)
    assert abs(side * row - dh) <= row / 2  # a node's picture: as high as the node, to half a row


def test_a_neuron_map_is_that_neurons_activation_over_the_view():
    state = PlaygroundState(hidden_layers=[1], features=["x"])
    session = Session(state)
    w, b = session.model.layers[0].params["W"][0, 0], session.model.layers[0].params["b"][0]
    values = heatmaps.Maps.compute(session.model, state, resolution=5).nodes["h0:0"]
    x1 = np.linspace(-6, 6, 5)
    assert np.allclose(values[0], np.tanh(w * x1 + b))  # bottom row; every row alike (x2 is not an input)
    assert np.allclose(values, values[0])


def test_feature_maps_show_every_feature_scaled_into_the_colour_range():
    maps = heatmaps.feature_maps(resolution=9)
    assert "in:sinX" in maps and "in:xSquared" in maps
    assert maps["in:x"][0, 0] == -1 and maps["in:x"][0, -1] == 1 and maps["in:y"][-1, 0] == 1
    assert maps["in:xSquared"].min() == 0


def test_the_output_map_follows_training_and_discretize():
    state = PlaygroundState(learning_rate=0.3, hidden_layers=[6])
    session = Session(state)
    session.play()
    for _ in range(10):
        session.tick(50)
    maps = heatmaps.Maps.compute(session.model, state, resolution=21)
    values = maps.prediction
    assert values.shape == (21, 21)
    assert values[10, 10] > 0.3 and values[0, 0] < -0.3  # circle: blue inside, orange in the corners
    state.discretize = True
    pixels = {unpack(p)[:3] for p in maps.output_image(state).ravel()}
    assert pixels == {unpack(palette.diverging_rgba(v, fade=heatmaps.OUTPUT_FADE))[:3] for v in (-1.0, 1.0)}


def test_three_classes_give_probabilities_and_class_colours():
    state = PlaygroundState(dataset="spiral3")
    session = Session(state)
    maps = heatmaps.Maps.compute(session.model, state, resolution=8)
    assert maps.prediction.shape == (3, 8, 8) and np.allclose(maps.prediction.sum(axis=0), 1)
    assert maps.output_image(state).shape == (8, 8)
    assert np.allclose(maps.nodes["out:2"], 2 * maps.prediction[2] - 1)


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
    assert edges["weight"][5] == session.view.params["0.W"][1, 1] and edges["target"][5] == "h0:1"
    assert (edges["x0"][-1], edges["y0"][-1]) == positions[edges["source"][-1]] == positions["h1:1"]
    assert sorted(diagram.biases(state, session.view.params)) == sorted(
        ["h0:0", "h0:1", "h0:2", "h0:3", "h1:0", "h1:1", "out:0"]
    )


def test_edges_are_wider_for_larger_weights_and_coloured_by_sign():
    state = PlaygroundState(hidden_layers=[])
    params = {"0.W": np.array([[0.1], [-0.8]]), "0.b": np.array([0.0])}
    edges = diagram.edges(state, params)
    assert list(edges["color"]) == [palette.POSITIVE, palette.NEGATIVE]
    assert edges["width"][1] > edges["width"][0] and edges["width"][1] < diagram.MAX_EDGE_WIDTH  # |w| < 1: thinner
    relative = diagram.edge_looks(state, params, floor=0.0)  # gradients: the largest is drawn widest
    assert relative["width"][1] == diagram.MAX_EDGE_WIDTH


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
    attributes = status.status_attributes(session.view)
    assert attributes["data-state"] == "running" and attributes["data-epoch"] == "1"
    assert float(attributes["data-test-loss"]) == pytest.approx(session.view.test_loss, abs=1e-6)
    assert "test accuracy" in status.status_text(session.view)


def test_every_diagram_node_has_a_map():
    for settings in ({}, {"dataset": "spiral3", "features": ["x", "y", "sinX"]}, {"hidden_layers": []}):
        state = PlaygroundState(**settings)
        session = Session(state)
        maps = heatmaps.Maps.compute(session.model, state, resolution=10)
        assert set(diagram.node_positions(state)) <= set(maps.nodes)


def test_the_diverging_table_matches_the_exact_colours_to_one_level():
    values = np.linspace(-1, 1, 997)
    t = values[:, None]
    middle, low, high = (
        np.array(palette.rgb(c), dtype=np.float64) for c in (palette.NEUTRAL, palette.NEGATIVE, palette.POSITIVE)
    )
    exact = np.where(t < 0, middle + (low - middle) * -t, middle + (high - middle) * t)
    looked_up = np.array([unpack(p)[:3] for p in palette.diverging_rgba(values)])
    assert np.abs(looked_up - exact).max() <= 1
    assert unpack(palette.diverging_rgba(np.nan))[:3] == palette.rgb(palette.NEUTRAL)
