"""The MNIST lab's loss landscape: nothing until asked; then a slice around the current weights whose centre is the
training loss on its digits, computed row by row with the progress bar following, a click loading a point's weights
and Back returning; a new network forgets the slice."""

import asyncio

import numpy as np
from bokeh.events import Tap

from playground.core import landscape
from playground.mnist.app import TAB_NAMES, MnistLab
from playground.mnist.state import MnistState
from playground.mnist.views import landscape as mnist_landscape

TINY = [{"type": "flatten"}, {"type": "dense", "units": 10}]
TAB = TAB_NAMES.index("Loss landscape")


def lab_with_landscape():
    app = MnistLab(MnistState(layers=TINY, input_size=14, learning_rate=0.01))
    app.session.step_epoch()
    app.tabs.active = TAB
    return app, app.landscape_view.view


def test_the_slice_is_computed_when_asked_around_the_weights_and_its_centre_is_the_training_loss():
    app, view = lab_with_landscape()
    assert view.slice.shown is None and "Press" in view.slice.told.object
    rows = []
    view.progress.param.watch(lambda event: rows.append(event.new), "value")
    before = landscape.flat_params(app.session.model)
    asyncio.run(view.compute())
    plane = view.slice.shown
    assert rows == list(range(1, mnist_landscape.POINTS + 1))  # the bar followed every row
    assert plane.losses.shape == (mnist_landscape.POINTS, mnist_landscape.POINTS) and np.isfinite(plane.losses).all()
    np.testing.assert_array_equal(landscape.flat_params(app.session.model), before)  # the network's weights untouched
    x, y = app.session.x_train[: mnist_landscape.DIGITS], app.session.y_train[: mnist_landscape.DIGITS]
    centre = app.session.trainer.loss.forward(app.session.model.forward(x), y)
    middle = mnist_landscape.POINTS // 2
    assert abs(plane.losses[middle, middle] - centre) < 1e-9 * centre
    assert plane.losses.min() < plane.losses.max()  # a landscape, not a flat picture
    assert not view.progress.visible and not view.compute_button.disabled
    assert "200 training digits" in view.slice.told.object and view.slice.figure.xaxis.axis_label.startswith("random")


def test_a_click_loads_a_points_weights_into_the_lab_and_back_returns_them():
    app, view = lab_with_landscape()
    asyncio.run(view.compute())
    trained = landscape.flat_params(app.session.model)
    view.slice.figure._trigger_event(Tap(view.slice.figure, x=0.5, y=-0.5))
    np.testing.assert_allclose(landscape.flat_params(app.session.model), view.slice.shown.weights_at(0.5, -0.5))
    assert view.slice.back.visible and "its predictions" in view.slice.told.object
    view.slice.back.clicks += 1
    np.testing.assert_array_equal(landscape.flat_params(app.session.model), trained)


def test_training_on_draws_the_line_to_the_weights_now_and_a_new_network_forgets_the_slice():
    app, view = lab_with_landscape()
    asyncio.run(view.compute())
    assert view.slice.here.data["a"] == [0.0]
    app.session.step_epoch()
    app.redraw()
    assert len(view.slice.path.data["a"]) == 2 and view.slice.here.data["a"] != [0.0]
    app.state.layers = [{"type": "flatten"}, {"type": "dense", "units": 16}, {"type": "relu"},
                        {"type": "dense", "units": 10}]  # fmt: skip
    app.redraw()
    assert view.slice.shown is None and "A new network" in view.slice.told.object


def test_a_network_changed_while_computing_stops_the_slice_and_says_so():
    app, view = lab_with_landscape()

    async def change_midway():
        task = asyncio.ensure_future(view.compute())
        await asyncio.sleep(0)  # the first row is done
        app.state.layers = [*TINY[:1], {"type": "dense", "units": 12}, {"type": "dense", "units": 10}]
        await task

    asyncio.run(change_midway())
    assert view.slice.shown is None and "changed while" in view.slice.told.object
    assert not view.compute_button.disabled
