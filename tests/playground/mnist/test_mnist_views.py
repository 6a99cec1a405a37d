"""The MNIST lab's views of representations, channels and weights draw from the session and follow the student."""

import numpy as np
import pytest
from bokeh.events import Tap
from bokeh.models import ColorBar

from playground.mnist.app import MnistLab
from playground.mnist.session import TEST_SUBSET
from playground.mnist.state import MnistState

HIDDEN = [{"type": "flatten"}, {"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 10}]


@pytest.fixture(scope="module")
def app():
    lab = MnistLab(MnistState(layers=HIDDEN, input_size=14, learning_rate=0.01, batch_size=128))
    lab.session.step_epoch()
    return lab


def test_the_projection_places_the_test_subset_by_label_with_a_legend(app):
    app.projection.refresh()
    data = app.projection.source.data
    assert app.projection.layer.widget.options == ["1 dense 16", "2 relu", "3 dense 10"]
    assert app.projection.layer.widget.value == "2 relu" and len(data["x"]) == TEST_SUBSET
    assert sorted(set(data["digit"])) == [str(k) for k in range(10)] and app.projection.figure.legend
    app.projection.layer.widget.value = "3 dense 10"
    assert "layer 3" in app.projection.caption.object and not np.array_equal(app.projection.source.data["x"], data["x"])


def test_clicking_the_projection_selects_the_nearest_digit_everywhere(app):
    app.projection.refresh()
    data = app.projection.source.data
    k = len(data["x"]) // 3
    app.projection.figure._trigger_event(Tap(app.projection.figure, x=float(data["x"][k]), y=float(data["y"][k])))
    index = int(data["index"][k])
    assert app.selection.index == index and app.selection.label == app.session.y_test[index]
    assert str(app.session.y_test[index]) == data["digit"][k]
    assert np.array_equal(app.selection.image, app.session.x_test[index])


def test_activation_rows_take_added_digits_and_drop_removed_ones(app):
    rows = app.rows
    rows.refresh()
    assert rows.source.data["image"][0].shape == (5, 16)  # averages of 0-4, a column per neuron of dense 16
    ticker = rows.figure.yaxis[0].ticker
    app.selection.pick_test_digit(app.session.x_test, app.session.y_test, 7)
    rows._add_selection()
    assert rows.rows.value[-1] == "test digit #7 (a 1)" and rows.source.data["image"][0].shape == (6, 16)
    rows.rows.value = rows.rows.value[1:]
    assert rows.source.data["image"][0].shape == (5, 16)
    assert rows.figure.yaxis.major_label_overrides[0.5] == "test digit #7 (a 1)"  # the last row at the bottom
    assert rows.figure.yaxis[0].ticker is ticker and ticker.ticks == [0.5, 1.5, 2.5, 3.5, 4.5]  # updated in place
    assert any(isinstance(item, ColorBar) for item in rows.figure.right)


def test_weight_distributions_show_an_epoch_and_the_previous_run_below():
    lab = MnistLab(MnistState(layers=HIDDEN, input_size=14, batch_size=128))
    lab.session.step_epoch()
    lab.weights.refresh()
    assert lab.weights.weight.options == ["1.W", "3.W"] and lab.weights.epoch.value == 1
    assert lab.weights.figures[0].title.text.startswith("run 1, epoch 1: mean")
    assert lab.weights.figures[1].title.text.startswith("previous run: none yet (press Reset")
    lab.bar.reset.clicks += 1
    lab.tabs.active = 2  # draws the weights
    assert lab.weights.figures[0].title.text.startswith("run 2, epoch 0")
    assert lab.weights.figures[1].title.text.startswith("run 1, epoch 0") and len(lab.weights.sources[1].data["count"])


def test_top_digits_show_each_channels_favourites_and_select_on_click(app):
    top = app.top_digits
    top.layer.widget.value = "3 dense 10"
    assert top.strip.count == 10 * 8
    top._picked(8)  # the strongest digit of class 1
    assert app.selection.index == top._indices[8] and app.selection.label == 1


def test_maximization_runs_only_when_asked(app):
    maximization = app.maximization
    maximization.refresh()
    assert "press Compute" in maximization.caption.object and maximization.channel.end == 9
    maximization.channel.value = 3
    maximization.compute.clicks += 1
    assert "channel 3" in maximization.caption.object
    assert maximization.image.source.data["image"][0].shape == (14, 14)


def test_the_occlusion_map_is_coarser_while_training_and_full_when_paused():
    lab = MnistLab(MnistState(layers=HIDDEN, input_size=14))
    lab.attribution.refresh()
    paused = lab.attribution.occlusion.source.data["image"][0]
    lab.session.play()
    lab.attribution.refresh()
    running = lab.attribution.occlusion.source.data["image"][0]
    assert "coarser while training" in lab.attribution.caption.object
    assert running.shape == paused.shape and np.array_equal(running[::2, ::2], running[1::2, 1::2])
    lab.session.pause()
    lab.attribution.refresh()
    assert "coarser" not in lab.attribution.caption.object
    np.testing.assert_allclose(lab.attribution.occlusion.source.data["image"][0], paused)
