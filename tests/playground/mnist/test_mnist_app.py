"""The MNIST lab builds, trains through its ticker, redraws in place, explains bad stacks and follows selections."""

import asyncio
import re

import numpy as np
import panel as pn
from bokeh.events import Tap

from playground.mnist.app import MnistLab
from playground.mnist.state import MnistState

TINY = [{"type": "flatten"}, {"type": "dense", "units": 10}]


def status(app):
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', app.status.line.object))


def lab():
    return MnistLab(MnistState(layers=TINY, input_size=14, learning_rate=0.01))


def test_the_lab_is_ready_with_the_status_element_and_named_widgets():
    app = MnistLab()
    assert isinstance(app.__panel__(), pn.viewable.Viewable)
    assert status(app)["data-state"] == "ready" and status(app).keys() >= {"data-epoch", "data-test-accuracy"}
    assert all(widget.name for widget in app.__panel__().select(pn.widgets.Widget))


def test_ticks_train_and_update_the_curves_in_place():
    app = lab()
    source = app.curves.source
    app.throttle.interval = 0  # ticks here follow each other faster than the lab redraws
    app.session.play()  # the play button also starts the periodic callback, which needs a running server
    for _ in range(3):
        asyncio.run(app.ticker.tick())
    assert status(app)["data-state"] == "running" and int(status(app)["data-step"]) > 0
    assert app.curves.source is source and len(source.data["step"]) >= 2


def test_every_tab_draws_and_a_confusion_cell_click_lists_its_digits_and_selects_one():
    app = lab()
    app.session.step_epoch()
    for tab in range(len(app.tabs)):
        app.tabs.active = tab
    app.confusion.figure._trigger_event(Tap(app.confusion.figure, x=3, y=3))
    true_threes = app.confusion._indices
    assert len(true_threes) > 0 and np.all(app.session.y_test[true_threes] == 3)
    app.confusion._picked(0)
    assert app.selection.index == true_threes[0] and app.selection.label == 3


def test_a_drawing_becomes_the_selected_digit():
    app = lab()
    app.drawing.source.data = {"xs": [[10, 10]], "ys": [[4, 24]]}
    assert app.selection.index == -1 and app.selection.image.shape == (1, 14, 14)
    assert "your drawing" in app.attribution.caption.object


def test_an_invalid_stack_is_explained_before_training():
    app = lab()
    app.state.layers = TINY[1:]
    assert status(app)["data-state"] == "error" and app.editor.error.visible
    assert "add a 'flatten' layer" in app.editor.error.object


def test_while_training_the_test_results_are_redrawn_only_with_new_predictions(monkeypatch):
    app = lab()
    app.tabs.active = 3
    drawn, refresh = [], app.confusion.refresh
    monkeypatch.setattr(app.confusion, "refresh", lambda: (refresh(), drawn.append(app.session.predictions_step)))
    app.session.play()
    for steps in (5, 5, 250):  # an epoch is 250 steps of 32 digits
        app.session.tick(steps)
        app.redraw()
    assert drawn == [250]  # the tab showed step 0 when opened


def test_every_button_says_in_words_what_it_does_also_while_running():
    app = lab()
    app.session.play()
    app.redraw()
    assert app.bar.play.name == "❚❚ Pause"  # U+275A, which DejaVu Sans has (U+23F8 rendered as a missing glyph)
    names = [button.name for button in app.__panel__().select(pn.widgets.Button)]
    assert all(re.search("[A-Za-z]{3}", name) for name in names), names


def test_with_live_views_off_training_redraws_only_the_counter_and_status_until_paused():
    app = lab()
    app.throttle.interval = 0
    app.bar.live.value = False
    before, counted = len(app.curves.source.data["step"]), app.view_redraws
    app.session.play()
    for _ in range(3):
        asyncio.run(app.ticker.tick())
    assert int(status(app)["data-step"]) > 0 and app.view_redraws == counted
    assert len(app.curves.source.data["step"]) == before  # the curves wait
    app.ticker.toggle()  # pause: everything visible is redrawn
    assert status(app)["data-state"] == "paused" and app.view_redraws == counted + 1
    assert len(app.curves.source.data["step"]) > before
    assert f"data-view-redraws='{counted + 1}'" in app.bar.counter.object
