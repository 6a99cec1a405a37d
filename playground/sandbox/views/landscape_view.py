"""The loss landscape, live: the training loss on a 2-D slice through the current weights (core/landscape.py),
the path training took drawn on it, and a click on the slice to try the weights there.

The path is the session's (the weights at each epoch's end of this run, recorded whether the view is open or not:
a copy of a few hundred numbers an epoch), ending at the weights as they are now. While the view is open, each
redraw computes more rows of the next slice around the current weights: while training runs as many as fit in
ROW_SECONDS, else all of them; the picture changes when a slice is complete, so a large network's landscape follows
training a few times a minute and a small one's several times a second. The page's RedrawBudget counts this time
with the other pictures'. Nothing is computed while the view is closed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.models import ColorBar, ColumnDataSource, LogColorMapper, Range1d
from bokeh.palettes import Viridis256
from bokeh.plotting import figure

from playground.core import landscape
from playground.core.landscape import GRID_POINTS as POINTS
from playground.core.status import Status
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

RANDOM, PATH = "random, filter-normalised (Li et al. 2018)", "the two main directions of the path so far"
SPANS = {"±0.5": 0.5, "±1": 1.0, "±2": 2.0}  # of the random directions, in units of the weights' own size
SIZE = 380  # the slice's height in pixels, at full size
WIDTH = SIZE + 90  # with the colour bar


class LandscapeView(pn.viewable.Viewer):
    """The slice, the path on it and the choice of directions for `session`; `on_change()` redraws the page after
    the student loaded the weights of a point of the slice (or went back to the trained ones)."""

    def __init__(self, session: Session, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session, self._on_change = session, on_change
        self.directions = pn.widgets.Select(name="Directions", options=[RANDOM, PATH], width=330)
        self.span = pn.widgets.Select(name="Span", options=list(SPANS), value="±1", width=90)
        self.new_directions = pn.widgets.Button(name="New random directions", width=190)
        self.back = pn.widgets.Button(name="Back to the trained weights", width=220, visible=False)
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
        self.directions.param.watch(lambda event: self._start_over(), "value")
        self.directions.param.watch(lambda event: self.new_directions.param.update(disabled=event.new == PATH), "value")
        self.span.param.watch(lambda event: self._start_over(), "value")
        self.new_directions.on_click(lambda event: self._start_over(new_random=True))
        self.back.on_click(lambda event: self.go_back())
        self._seed = 0  # the random directions' draw: "New random directions" takes the next
        self._run = None  # the session's path (one per run) the slices and directions belong to
        self._random = None  # (d1, d2) of the current network
        self._shown = self._next = None  # the slice on screen, and the one being computed
        self._trained = None  # the weights before the student loaded a point of the slice
        self._axes = ["", ""]  # the slice's axis labels

    # -- what the page calls --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Computes more of the next slice around the current weights; shows it, with the path, once complete."""
        session = self.session
        if session.view.status == Status.ERROR or session.trainer is None:
            return
        if self._run is not session.path:  # a new run (Reset, another network): its own slice and path
            self._run, self._random = session.path, None
            self._shown = self._next = self._trained = None
            self.back.visible = False
            self.picture.data = {key: [] for key in self.picture.data}
            self.path.data = {"a": [], "b": []}
        if self._trained is not None:  # a point of the slice is loaded: the slice stays until Back, or Play
            if session.view.status != Status.RUNNING:
                return
            self._trained, self.back.visible = None, False  # training on from the loaded point
        path = session.path.to(landscape.flat_params(session.model))
        if self._next is None:
            self._next = self._new_slice(path)
        # While training runs, a few rows a redraw; stopped, the whole slice (no redraw may come to finish it).
        budget = landscape.ROW_SECONDS if session.view.status == Status.RUNNING else np.inf
        trainer, started = session.trainer, time.perf_counter()
        while not self._next.done and time.perf_counter() - started < budget:
            self._next.compute_rows(session.model, trainer.loss, trainer.x_train, trainer.y_train)
        if self._next.done:
            self._show(self._next, len(path))
            self._next = None
        self._draw_path(path)

    def load(self, a: float, b: float) -> None:
        """The network takes the weights at (a, b) of the slice on screen (training pauses): its decision map there."""
        if self._shown is None or self.session.view.status in (Status.ERROR, Status.LOADING):
            return
        self.session.pause()
        if self._trained is None:
            self._trained = landscape.flat_params(self.session.model)
        landscape.set_flat_params(self.session.model, self._shown.weights_at(a, b))
        self.back.visible = True
        self.here.data = {"a": [a], "b": [b]}
        self.told.object = (
            f"<div class='pg-sub'>The network now has the weights at ({a:.2f}, {b:.2f}) of the slice: see its "
            "decision map. Play trains on from here; “Back to the trained weights” returns.</div>"
        )
        self._on_change()

    def go_back(self) -> None:
        """The weights from before the first point was loaded."""
        if self._trained is not None:
            landscape.set_flat_params(self.session.model, self._trained)
            self._trained = None
        self.back.visible = False
        self.here.data = {"a": [0.0], "b": [0.0]}
        self._on_change()

    # -- the slice ------------------------------------------------------------------------------------

    def _new_slice(self, path: np.ndarray) -> landscape.Slice:
        centre = path[-1]
        if self.directions.value == PATH and len(path) >= 3:
            d1, d2, shares = landscape.trajectory_directions(path, centre)
            reach = np.abs(landscape.coordinates(path, centre, d1, d2)).max()
            span = 1.25 * max(float(reach), 1e-3)
            self._axes = [f"main direction {k + 1} ({share:.0%} of the path)" for k, share in enumerate(shares)]
        else:
            if self._random is None:
                self._random = landscape.random_directions(self.session.model, np.random.default_rng(self._seed))
            d1, d2 = self._random
            span = SPANS[self.span.value]
            self._axes = [f"random direction {k} (× the weights' size)" for k in (1, 2)]
        values = landscape.grid(span, POINTS)
        return landscape.Slice(centre, d1, d2, values, values)

    def _start_over(self, new_random: bool = False) -> None:
        if new_random:
            self._seed += 1
            self._random = None
        self._next = None
        self.refresh()

    def _show(self, plane: landscape.Slice, path_points: int) -> None:
        self._shown = plane
        span = float(plane.alphas[-1])
        step = 2 * span / (POINTS - 1)
        losses = np.where(np.isfinite(plane.losses) & (plane.losses > 0), plane.losses, np.nan)
        self.picture.data = {"image": [losses], "x": [-span - step / 2], "y": [-span - step / 2],
                             "dw": [2 * span + step], "dh": [2 * span + step]}  # fmt: skip
        finite = losses[np.isfinite(losses)]
        if finite.size:
            self.colours.update(low=float(finite.min()), high=float(max(finite.max(), finite.min() * 1.01)))
        self.figure.x_range.update(start=-span - step / 2, end=span + step / 2)
        self.figure.y_range.update(start=-span - step / 2, end=span + step / 2)
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = self._axes
        blown = int(np.isinf(plane.losses).sum())
        note = f" {blown} points where the network blows up are left blank." if blown else ""
        if self.directions.value == PATH and path_points < 3:
            note += " The path is too short for its own directions yet: random ones until it has three points."
        if self._trained is None:
            self.told.object = (
                f"<div class='pg-sub'>The training loss on a {POINTS}×{POINTS} grid through the weights as they were "
                "when this slice was computed (its centre, 0, 0); the star is where they are now and the white line "
                f"the path training took, both seen in this slice. Click a point to give the network those weights."
                f"{note}</div>"
            )

    def _draw_path(self, path: np.ndarray) -> None:
        if self._shown is None:
            return
        ab = landscape.coordinates(path, self._shown.centre, self._shown.d1, self._shown.d2)
        self.path.data = {"a": ab[:, 0], "b": ab[:, 1]}
        if self._trained is None:
            self.here.data = {"a": [float(ab[-1, 0])], "b": [float(ab[-1, 1])]}

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.Row(self.directions, self.span, self.new_directions, self.back, stylesheets=[WRAP_ROW], styles=SHRINKS),
            pn.pane.Bokeh(self.figure, margin=(0, 5), sizing_mode="scale_width", max_width=WIDTH),
            self.told,
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
