"""The MNIST lab's training controls (play, step, epoch, reset, restore; learning rate, optimizer, batch size)
and its live loss and accuracy curves."""

from __future__ import annotations

from collections.abc import Callable
from math import nan
from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from playground.core.palette import CLASS_COLORS
from playground.mnist.evaluation import test_digits_phrase
from playground.widgets.access import setting_widget
from playground.widgets.growing_curves import show_history
from playground.widgets.live_html import LiveHTML
from playground.widgets.training_controls import TrainingControls

if TYPE_CHECKING:
    from playground.mnist.session import MnistSession


class TrainingBar(TrainingControls):
    """Buttons and live settings; `refresh()` shows the session's status on the play button and counter."""

    def __init__(self, session: MnistSession, on_play: Callable[[], None], **params: Any) -> None:
        super().__init__(session, on_play, **params)
        state = session.state
        select = dict(width=110, margin=(0, 6))
        self.settings = [
            setting_widget(pn.widgets.Select, state.param.learning_rate, name="Learning rate", **select),
            setting_widget(pn.widgets.Select, state.param.optimizer, name="Optimizer", **select),
            setting_widget(pn.widgets.Select, state.param.batch_size, name="Batch size", **select),
        ]
        self.counter = LiveHTML(margin=(0, 10))  # redrawn every tick
        # Off: training runs a little faster and everything is redrawn when paused.
        self.live = pn.widgets.Checkbox(name="Redraw views while training", value=True, width=190, margin=(24, 6, 0, 6))

    def refresh(self, view_redraws: int = 0) -> None:
        """`view_redraws`: how many times the heavy views were drawn, in the counter's data-view-redraws."""
        super().refresh()
        view = self.session.view
        counts = f"<b>{view.epoch:03,d}</b><small>step {view.step:,d}</small>"
        self.counter.object = (
            f"<div class='pg-counter' data-view-redraws='{view_redraws}'><span>Epoch</span>{counts}</div>"
        )

    def __panel__(self) -> pn.FlexBox:
        return pn.FlexBox(*self.buttons, self.counter, *self.settings, self.live, align_items="flex-start")


class Curves(pn.viewable.Viewer):
    """Train and test loss, train and test accuracy against steps; test points cover a subset of the test digits
    between epoch ends."""

    def __init__(self, session: MnistSession, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.source = ColumnDataSource(
            {key: [] for key in ("step", "train", "test", "train_accuracy", "test_accuracy")}
        )
        self.loss = figure(width=320, height=200, title="Loss", toolbar_location=None, tools="", x_axis_label="step")
        self.accuracy = figure(
            width=320,
            height=200,
            title="Accuracy",
            toolbar_location=None,
            tools="",
            x_axis_label="step",
            y_range=(0, 1),
        )
        for plot, keys in ((self.loss, ("train", "test")), (self.accuracy, ("train_accuracy", "test_accuracy"))):
            for key, color in zip(keys, (CLASS_COLORS[0], CLASS_COLORS[1]), strict=True):
                name = "test" if key.startswith("test") else "train"
                plot.line("step", key, source=self.source, color=color, line_width=2, legend_label=name)
            plot.legend.location = "top_right" if plot is self.loss else "bottom_right"
        self.numbers = LiveHTML(margin=(5, 10))
        self._drawn = None  # what the curves show, to skip redraws between points

    def refresh(self) -> None:
        view = self.session.view
        history = view.history
        drawn = (view.structure, len(history["step"]), history["step"][-1:], view.test_digits)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        show_history(self.source, {key: [nan if v is None else v for v in values] for key, values in history.items()})
        if view.test_accuracy is None:
            self.numbers.object = ""
            return
        self.numbers.object = (
            f"<div class='pg-losses'>Test accuracy <b>{100 * view.test_accuracy:.1f}%</b> on "
            f"{test_digits_phrase(view.test_digits, len(self.session.y_test))} · train accuracy "
            f"{100 * view.train_accuracy:.1f}%</div>"
        )

    def __panel__(self) -> pn.Column:
        return pn.Column(pn.FlexBox(self.loss, self.accuracy), self.numbers)  # one above the other on a phone
