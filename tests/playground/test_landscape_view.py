"""The sandbox's loss landscape view: built on first show, filled while training, a click loads a point's weights."""

import numpy as np
from bokeh.events import Tap

from playground.core import landscape
from playground.sandbox.app import SandboxApp
from playground.sandbox.views import landscape_view


def train(app, ticks):
    app.session.play()
    for _ in range(ticks):
        app.session.tick(app.session.steps_per_epoch())  # an epoch a tick
        app.redraw(pictures=True)
    app.session.pause()


def test_the_landscape_costs_nothing_until_shown_then_draws_the_whole_path_of_the_run():
    app = SandboxApp()
    train(app, 6)  # the path is recorded at each epoch's end, the view closed
    assert 5 not in app.more._views_made  # not built with the page
    view = app.more.show("Loss landscape")
    assert isinstance(view, landscape_view.LandscapeView)
    train(app, 6)
    image = view.slice.picture.data["image"][0]
    assert image.shape == (landscape.GRID_POINTS, landscape.GRID_POINTS) and np.isfinite(image).all()
    assert len(view.slice.path.data["a"]) == 13 and view.slice.figure.xaxis.axis_label.startswith("random direction 1")
    view.directions.value = landscape_view.PATH
    train(app, 6)
    assert view.slice.figure.xaxis.axis_label.startswith("main direction 1 (")
    app.session.reset()
    app.redraw()
    assert len(view.slice.path.data["a"]) == 1 and view.slice.here.data["a"] == [0.0]  # a new run: a new path


def test_a_click_on_the_slice_gives_the_network_those_weights_and_back_returns():
    app = SandboxApp()
    view = app.more.show("Loss landscape")
    train(app, 8)
    trained = landscape.flat_params(app.session.model)
    before = app.output.image.data["image"][0].copy()
    view.slice.figure._trigger_event(Tap(view.slice.figure, x=0.8, y=-0.6))
    np.testing.assert_allclose(landscape.flat_params(app.session.model), view.slice.shown.weights_at(0.8, -0.6))
    assert view.slice.back.visible and "(0.80, -0.60)" in view.slice.told.object
    assert not (app.output.image.data["image"][0] == before).all()  # the decision map of those weights
    view.slice.back.clicks += 1
    np.testing.assert_array_equal(landscape.flat_params(app.session.model), trained)
    assert not view.slice.back.visible


def test_a_new_random_draw_and_a_wider_span_give_another_slice():
    app = SandboxApp()
    view = app.more.show("Loss landscape")
    app.redraw()
    first = view.slice.picture.data["image"][0].copy()
    view.new_directions.clicks += 1
    app.redraw()
    assert not np.allclose(view.slice.picture.data["image"][0], first)
    view.span.value = "±2"
    app.redraw()
    assert view.slice.figure.x_range.end > 2.0
