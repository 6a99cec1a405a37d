"""A loss-landscape slice (core/landscape.py) as a picture, shared by the sandbox's live view and the MNIST lab's
on-demand one: the losses as a shaded map with its colour bar (log scale), the path training took and a star where the
weights are; a click on the picture gives the session's network the weights of that point (training pauses), and
"Back to the trained weights" returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np
import panel as pn
from bokeh.models import ColorBar, ColumnDataSource, LogColorMapper, Range1d
from bokeh.palettes import Viridis256
from bokeh.plotting import figure

from playground.core import landscape
from playground.core.status import Status
from playground.widgets.styling import html

SIZE = 380  # the slice's height in pixels, at full size
WIDTH = SIZE + 90  # with the colour bar


class Session(Protocol):
    model: Any
    view: Any

    def pause(self) -> None: ...


class SlicePicture:
    """The picture of one slice for `session`; `on_change()` redraws the page after a point's weights were loaded or
    the trained ones brought back. `seen` says what the student sees of the loaded weights ("its decision map")."""

    def __init__(self, session: Session, on_change: Callable[[], None], seen: str) -> None:
        self.session, self._on_change, self._seen = session, on_change, seen
        self.back = pn.widgets.Button(name="Back to the trained weights", width=220, visible=False)
        self.back.on_click(lambda event: self.go_back())
        self.told = html(margin=(0, 5), sizing_mode="stretch_width")
        self.picture = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self.path = ColumnDataSource({"a": [], "b": []})
        self.here = ColumnDataSource({"a": [0.0], "b": [0.0]})
        self.colours = LogColorMapper(palette=Viridis256, nan_color=(0, 0, 0, 0))
        # As wide as the screen allows up to its size, keeping its shape (a phone's is narrower).
        self.figure = figure(width=WIDTH, height=SIZE, x_range=Range1d(-1, 1), y_range=Range1d(-1, 1), tools="",
                             toolbar_location=None, sizing_mode="scale_width", max_width=WIDTH)  # fmt: skip
        self.figure.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.picture, color_mapper=self.colours)
        self.figure.line("a", "b", source=self.path, line_color="white", line_width=2)
        self.figure.scatter("a", "b", source=self.path, size=4, color="white")
        self.figure.scatter("a", "b", source=self.here, size=12, marker="star", color="#e8710a", line_color="black")
        self.figure.add_layout(ColorBar(color_mapper=self.colours, title="training loss", width=12), "right")
        self.figure.on_event("tap", lambda event: self.load(event.x, event.y))
        self.shown: landscape.Slice | None = None  # the slice on screen
        self.trained: np.ndarray | None = None  # the weights before the student loaded a point of the slice

    def clear(self) -> None:
        """No slice (a new network): nothing drawn, the trained weights forgotten."""
        self.shown = self.trained = None
        self.back.visible = False
        self.picture.data = {key: [] for key in self.picture.data}
        self.path.data = {"a": [], "b": []}
        self.here.data = {"a": [0.0], "b": [0.0]}

    def show(self, plane: landscape.Slice, axes: tuple[str, str]) -> None:
        """Draws the complete slice `plane`, its axes labelled `axes`."""
        self.shown = plane
        span = float(plane.alphas[-1])
        step = 2 * span / (len(plane.alphas) - 1)
        losses = np.where(np.isfinite(plane.losses) & (plane.losses > 0), plane.losses, np.nan)
        self.picture.data = {"image": [losses], "x": [-span - step / 2], "y": [-span - step / 2],
                             "dw": [2 * span + step], "dh": [2 * span + step]}  # fmt: skip
        finite = losses[np.isfinite(losses)]
        if finite.size:
            self.colours.update(low=float(finite.min()), high=float(max(finite.max(), finite.min() * 1.01)))
        self.figure.x_range.update(start=-span - step / 2, end=span + step / 2)
        self.figure.y_range.update(start=-span - step / 2, end=span + step / 2)
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = axes

    def draw_path(self, path: np.ndarray) -> None:
        """The weight vectors of `path` (one per row, the last the weights now) as seen in the slice on screen."""
        if self.shown is None:
            return
        ab = landscape.coordinates(path, self.shown.centre, self.shown.d1, self.shown.d2)
        self.path.data = {"a": ab[:, 0], "b": ab[:, 1]}
        if self.trained is None:
            self.here.data = {"a": [float(ab[-1, 0])], "b": [float(ab[-1, 1])]}

    def blank_note(self) -> str:
        """What the picture leaves out: the points where the network blows up."""
        blown = int(np.isinf(self.shown.losses).sum()) if self.shown is not None else 0
        return f" {blown} points where the network blows up are left blank." if blown else ""

    def load(self, a: float, b: float) -> None:
        """The network takes the weights at (a, b) of the slice on screen (training pauses)."""
        if self.shown is None or self.session.view.status in (Status.ERROR, Status.LOADING):
            return
        self.session.pause()
        if self.trained is None:
            self.trained = landscape.flat_params(self.session.model)
        landscape.set_flat_params(self.session.model, self.shown.weights_at(a, b))
        self.back.visible = True
        self.here.data = {"a": [a], "b": [b]}
        self.told.object = (
            f"<div class='pg-sub'>The network now has the weights at ({a:.2f}, {b:.2f}) of the slice: see "
            f"{self._seen}. Play trains on from here; “Back to the trained weights” returns.</div>"
        )
        self._on_change()

    def go_back(self) -> None:
        """The weights from before the first point was loaded."""
        if self.trained is not None:
            landscape.set_flat_params(self.session.model, self.trained)
            self.trained = None
        self.back.visible = False
        self.here.data = {"a": [0.0], "b": [0.0]}
        self._on_change()

    def pane(self) -> pn.pane.Bokeh:
        return pn.pane.Bokeh(self.figure, margin=(0, 5), sizing_mode="scale_width", max_width=WIDTH)
