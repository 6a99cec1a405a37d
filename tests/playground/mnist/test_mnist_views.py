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
    assert app.projection.layer.widget.options == ["layer 1 (dense 16)", "layer 2 (relu)", "layer 3 (dense 10)"]
    assert app.projection.layer.widget.value == "layer 2 (relu)" and len(data["x"]) == TEST_SUBSET
    assert sorted(set(data["digit"])) == [str(k) for k in range(10)]
    # a legend entry per digit from the start, in the colour of its points
    legend = app.projection.figure.legend[0]
    assert [item.label.value for item in legend.items] == [str(k) for k in range(10)]
    colors = [item.renderers[0].glyph.fill_color for item in legend.items]
    assert colors == list(app.projection.figure.renderers[0].glyph.fill_color.transform.palette)
    app.projection.layer.widget.value = "layer 3 (dense 10)"
    caption = app.projection.caption.object
    assert "300 of the 2,000 test digits at layer 3 (dense 10)" in caption
    assert not np.array_equal(app.projection.source.data["x"], data["x"])


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
    titles = {"Layer 1 (dense 16) weights": "1.W", "Layer 3 (dense 10) weights": "3.W"}
    assert lab.weights.weight.options == titles and lab.weights.epoch.value == 1
    assert lab.weights.figures[0].title.text.startswith("run 1, epoch 1: mean")
    assert lab.weights.figures[1].title.text.startswith("previous run: none yet (press Reset")
    lab.bar.reset.clicks += 1
    lab.tabs.active = 2  # draws the weights
    assert lab.weights.figures[0].title.text.startswith("run 2, epoch 0")
    assert lab.weights.figures[1].title.text.startswith("run 1, epoch 0") and len(lab.weights.sources[1].data["count"])


def test_top_digits_show_each_channels_favourites_and_select_on_click(app):
    top = app.top_digits
    top.layer.widget.value = "layer 3 (dense 10)"
    assert top.strip.count == 10 * 8
    labels = top.strip.plot.labels.data
    assert labels["text"] == [f"neuron {k}" for k in range(10)] and top.strip.figure.x_range.start < 0
    assert sorted(labels["y"], reverse=True) == labels["y"]  # the first row on top
    assert "among 300 of the 2,000 test digits" in top.caption.object
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


def test_activations_show_the_selected_digit_and_draw_every_map_at_one_scale_the_outputs_labelled():
    layers = [
        {"type": "conv2d", "filters": 4, "kernel_size": 3}, {"type": "relu"}, {"type": "maxpool2d", "size": 2},
        {"type": "flatten"}, {"type": "dense", "units": 10},
    ]  # fmt: skip
    lab = MnistLab(MnistState(layers=layers, input_size=28))
    lab.selection.pick_test_digit(lab.session.x_test, lab.session.y_test, 3)
    maps = lab.activations
    maps.refresh()
    assert "test digit #3 (a " in maps.caption.object
    assert np.array_equal(maps.digit.source.data["image"][0], lab.selection.image[0][::-1])
    conv, pooled = (next(p for p in maps._plots[k] if p.figure.visible) for k in (0, 2))
    assert conv.pixel == pooled.pixel  # a 26x26 map twice as large as a 13x13 one
    assert conv.source.data["dw"][0] >= 26 and "4 channels of 26×26" in maps._headings[0].object
    output = next(p for p in maps._plots[4] if p.figure.visible)
    assert output.labels.data["text"] == [str(k) for k in range(10)]
    assert "layer 4 (dense 10)" in maps._headings[4].object


def test_clearing_the_pad_leaves_an_empty_drawing_without_a_prediction():
    lab = MnistLab(MnistState(layers=HIDDEN, input_size=14))
    lab.drawing.source.data = {"xs": [[5.0, 20.0]], "ys": [[5.0, 20.0]]}
    assert lab.selection.index == -1 and lab.selection.image.any()
    assert "the network says" in lab.attribution.caption.object
    lab.drawing.clear.clicks += 1
    assert lab.selection.blank and lab.selection.describe() == "an empty drawing"
    assert "Nothing drawn" in lab.attribution.caption.object and max(lab.attribution.bars.data["p"]) == 0
    lab.selection.pick_test_digit(lab.session.x_test, lab.session.y_test, 0)
    lab.drawing.clear.clicks += 1  # a test digit stays selected
    assert lab.selection.index == 0 and "the network says" in lab.attribution.caption.object


def test_a_small_titled_picture_keeps_square_pixels_and_room_for_its_whole_title():
    from playground.mnist.views.images import TITLE_CHAR, TITLE_ROOM, ImagePlot

    for size in (14, 28):  # the gallery's class average at both input sizes
        plot = ImagePlot("grey", pixel=3, title="class average")
        plot.show(np.zeros((size, size)), 0, 1)
        figure = plot.figure
        x_cells = figure.x_range.end - figure.x_range.start
        y_cells = figure.y_range.end - figure.y_range.start
        assert figure.height - TITLE_ROOM == 3 * y_cells == 3 * size  # the title's room is above the picture
        assert abs(figure.width / x_cells - 3) < 0.1  # a cell 3 px wide, as it is high
        assert figure.width >= round(len("class average") * TITLE_CHAR) - 1
    untitled = ImagePlot("grey", pixel=3)
    untitled.show(np.zeros((14, 14)), 0, 1)
    assert (untitled.figure.width, untitled.figure.height) == (42, 42)
