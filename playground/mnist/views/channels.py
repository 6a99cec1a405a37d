"""What one channel (or class) of a layer responds to: the test digits that excite it most, and the input that
gradient ascent makes for it on request (too slow for every tick in the browser)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn

from playground.mnist.evaluation import test_digits_phrase
from playground.mnist.maximization import maximize
from playground.mnist.representations import channel_strength, top_activating
from playground.mnist.views.images import DigitStrip, ImagePlot
from playground.mnist.views.layer_select import LayerSelect
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

TOP_DIGITS = 8
MAX_CHANNELS = 16


class TopDigits(pn.viewable.Viewer):
    """For each channel of a layer (up to 16), a row of the test-subset digits it responds to most strongly,
    strongest first; clicking a digit selects it."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.layer = LayerSelect(session, self.refresh, default=0)
        self.strip = DigitStrip(self._picked, columns=TOP_DIGITS, pixel=2)
        self.caption = html()
        self._indices = np.zeros(0, dtype=np.int64)

    def refresh(self) -> None:
        row = self.layer.row()
        if row is None:
            return
        outputs, _ = self.session.subset_outputs(row.index)
        subset = self.session.test_subset
        channels = min(channel_strength(outputs).shape[1], MAX_CHANNELS)
        self._indices = subset[np.concatenate([top_activating(outputs, c, TOP_DIGITS) for c in range(channels)])]
        self.strip.show(self.session.x_test[self._indices], [f"{row.unit_name} {c}" for c in range(channels)])
        self.caption.object = (
            f"<div class='pg-sub'>a row per {row.unit_name} of {row.title}, first {channels}; "
            f"its {TOP_DIGITS} strongest among {test_digits_phrase(len(subset), len(self.session.y_test))}, "
            "strongest left</div>"
        )

    def _picked(self, position):
        self.selection.pick_test_digit(self.session.x_test, self.session.y_test, self._indices[position])

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>TOP-ACTIVATING TEST DIGITS</div>")
        return pn.Column(heading, self.layer.widget, self.caption, self.strip.figure)


class Maximization(pn.viewable.Viewer):
    """The input a chosen channel (or, in the last layer, class) responds to most, computed when asked."""

    def __init__(self, session: MnistSession, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.layer = LayerSelect(session, self._clear, default=-1)
        self.channel = pn.widgets.IntInput(name="Channel or class", value=0, start=0, width=110)
        self.compute = pn.widgets.Button(name="Compute", button_type="primary", width=100)
        self.compute.on_click(lambda event: self.run())
        self.image = ImagePlot("grey", pixel=6)
        self.caption = html("<div class='pg-sub'>Choose a layer and a channel, then press Compute.</div>")

    def refresh(self) -> None:
        row = self.layer.row()
        if row is not None:
            self.channel.end = row.output_shape[0] - 1

    def _clear(self):
        self.refresh()
        self.caption.object = "<div class='pg-sub'>Press Compute for this layer.</div>"

    def run(self) -> None:
        row = self.layer.row()
        if row is None:
            return
        channel = min(self.channel.value, row.output_shape[0] - 1)
        rng = np.random.default_rng([self.session.state.seed, row.index, channel])
        image, response = maximize(self.session.model, row.index, channel, rng)
        self.image.show(image[0], 0, 1)
        self.caption.object = (
            f"<div class='pg-sub'>the input that {row.title} channel {channel} responds to most "
            f"(mean response {response:.2f}), by gradient ascent from noise at step {self.session.view.step:,d}</div>"
        )

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>ACTIVATION MAXIMIZATION</div>")
        controls = pn.Row(self.layer.widget, self.channel, self.compute, stylesheets=[WRAP_ROW], styles=SHRINKS)
        return pn.Column(heading, controls, self.caption, self.image.figure)
