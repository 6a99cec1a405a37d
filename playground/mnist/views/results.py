"""How the network does on the test digits: the confusion matrix (click a cell to see its digits) and a gallery
per digit (class average, correctly classified, misclassified). Clicking a digit selects it everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.palettes import Blues256
from bokeh.plotting import figure

from nn_core.datasets import class_averages
from playground.core.confusion import confusion_matrix, matrix_title
from playground.mnist.architecture import N_CLASSES
from playground.mnist.evaluation import cell_indices, gallery
from playground.mnist.views.images import DigitStrip, ImagePlot
from playground.widgets.styling import html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

MAX_DIGITS = 36


class DigitConfusion(pn.viewable.Viewer):
    """Counts of true digit (rows) by prediction (columns); a click on a cell lists up to 36 of its test digits."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.cell = (None, None)
        grid = [(t, p) for t in range(10) for p in range(10)]
        self.source = ColumnDataSource(
            {
                "true": [t for t, _ in grid],
                "predicted": [p for _, p in grid],
                "count": [0] * 100,
                "text": [""] * 100,
                "shade": [0.0] * 100,
            }
        )
        self.mapper = LinearColorMapper(palette=list(reversed(Blues256))[:200], low=0, high=1)
        self.figure = figure(
            width=330,
            height=330,
            x_range=(-0.5, 9.5),
            y_range=(9.5, -0.5),
            toolbar_location=None,
            tools="",
            x_axis_label="predicted",
            y_axis_label="true digit",
        )
        self.figure.rect(
            "predicted",
            "true",
            1,
            1,
            source=self.source,
            line_color="white",
            fill_color={"field": "shade", "transform": self.mapper},
        )
        self.figure.text(
            "predicted",
            "true",
            text="text",
            source=self.source,
            text_align="center",
            text_baseline="middle",
            text_font_size="10px",
        )
        self.figure.axis.ticker = list(range(10))
        self.figure.grid.visible = False
        self.figure.on_event(Tap, self._tapped)
        self.strip = DigitStrip(self._picked, columns=12, pixel=2)
        self.caption = html()
        self.heading = html()
        self._show_heading(None)
        self._indices = np.zeros(0, dtype=np.int64)

    def _show_heading(self, counts):
        """The heading, titled from the start; counts None: nothing counted yet (an untrained network)."""
        words = ""
        if counts is not None:
            words = f"<br>weights of step {self.session.predictions_step:,d} (while training: the last epoch end)"
        title = matrix_title("test", counts, "test digits")
        self.heading.object = f"<div class='pg-heading'>CONFUSION MATRIX</div><div class='pg-sub'>{title}{words}</div>"

    def refresh(self) -> None:
        if self.session.model is None:
            return
        counts = None
        if self.session.view.step:  # an untrained network: "train to fill"
            counts = confusion_matrix(self.session.y_test, self.session.test_predictions()[1], N_CLASSES)
        self._show_heading(counts)
        counts = np.zeros((N_CLASSES, N_CLASSES), np.int64) if counts is None else counts
        data = dict(self.source.data)
        data["count"] = counts.ravel().tolist()
        data["text"] = [str(c) if c else "" for c in counts.ravel()]
        data["shade"] = np.log1p(counts.ravel()) / np.log1p(max(counts.max(), 1))
        self.source.data = data
        self._show_cell()

    def _tapped(self, event):
        self.cell = (int(round(event.y)), int(round(event.x)))
        self._show_cell()

    def _show_cell(self):
        true, predicted = self.cell
        if true is None or self.session.model is None:
            self.caption.object = "<div class='pg-sub'>Click a cell to see its test digits.</div>"
            return
        self._indices = cell_indices(self.session.y_test, self.session.test_predictions()[1], true, predicted)
        self.strip.show(self.session.x_test[self._indices[:MAX_DIGITS]])
        self.caption.object = (
            f"<div class='pg-sub'>{len(self._indices)} test digits labelled {true}, predicted "
            f"{predicted}{' (first 36)' if len(self._indices) > MAX_DIGITS else ''}</div>"
        )

    def _picked(self, position):
        self.selection.pick_test_digit(self.session.x_test, self.session.y_test, self._indices[position])

    def __panel__(self) -> pn.Column:
        return pn.Column(self.heading, self.figure, self.caption, self.strip.figure)


class Gallery(pn.viewable.Viewer):
    """For one digit: its class average over the test set, and test digits classified correctly and wrongly."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.digit = pn.widgets.RadioButtonGroup(name="Digit", options=list(range(10)), value=0)
        self.digit.param.watch(lambda event: self.refresh(), "value")
        self.average = ImagePlot("grey", pixel=3, title="class average")
        self.correct = DigitStrip(lambda k: self._picked(self._correct, k), columns=12, pixel=2)
        self.wrong = DigitStrip(lambda k: self._picked(self._wrong, k), columns=12, pixel=2)
        self.wrong.figure.css_classes = ["pg-misclassified"]  # for the browser tests
        self._correct = self._wrong = np.zeros(0, dtype=np.int64)

    def refresh(self) -> None:
        session, digit = self.session, self.digit.value
        self.average.show(class_averages(session.x_test, session.y_test)[digit, 0], 0, 1)
        if session.model is None:
            return
        self._correct, self._wrong = gallery(session.y_test, session.test_predictions()[1], digit, 24)
        self.correct.show(session.x_test[self._correct])
        self.wrong.show(session.x_test[self._wrong])

    def _picked(self, indices, position):
        self.selection.pick_test_digit(self.session.x_test, self.session.y_test, indices[position])

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>GALLERY: CLICK A DIGIT TO SELECT IT</div>")
        return pn.Column(
            heading,
            self.digit,
            pn.FlexBox(  # the examples beside the average, or below it on a phone
                self.average.figure,
                pn.Column(
                    html("<div class='pg-sub'>correct</div>"),
                    self.correct.figure,
                    html("<div class='pg-sub'>misclassified</div>"),
                    self.wrong.figure,
                ),
            ),
        )
