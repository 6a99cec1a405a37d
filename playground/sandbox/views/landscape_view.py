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

from playground.core import landscape
from playground.core.landscape import GRID_POINTS as POINTS
from playground.core.status import Status
from playground.widgets.slice_picture import SlicePicture
from playground.widgets.styling import SHRINKS, WRAP_ROW

if TYPE_CHECKING:
    from playground.sandbox.session import Session

RANDOM, PATH = "random, filter-normalised (Li et al. 2018)", "the two main directions of the path so far"
SPANS = {"±0.5": 0.5, "±1": 1.0, "±2": 2.0}  # of the random directions, in units of the weights' own size


class LandscapeView(pn.viewable.Viewer):
    """The slice, the path on it and the choice of directions for `session`; `on_change()` redraws the page after
    the student loaded the weights of a point of the slice (or went back to the trained ones)."""

    def __init__(self, session: Session, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.directions = pn.widgets.Select(name="Directions", options=[RANDOM, PATH], width=330)
        self.span = pn.widgets.Select(name="Span", options=list(SPANS), value="±1", width=90)
        self.new_directions = pn.widgets.Button(name="New random directions", width=190)
        self.slice = SlicePicture(session, on_change, seen="its decision map")
        self.directions.param.watch(lambda event: self._start_over(), "value")
        self.directions.param.watch(lambda event: self.new_directions.param.update(disabled=event.new == PATH), "value")
        self.span.param.watch(lambda event: self._start_over(), "value")
        self.new_directions.on_click(lambda event: self._start_over(new_random=True))
        self._seed = 0  # the random directions' draw: "New random directions" takes the next
        self._run = None  # the session's path (one per run) the slices and directions belong to
        self._random = None  # (d1, d2) of the current network
        self._next = None  # the slice being computed
        self._axes = ("", "")  # the slice's axis labels

    def refresh(self) -> None:
        """Computes more of the next slice around the current weights; shows it, with the path, once complete."""
        session, picture = self.session, self.slice
        if session.view.status == Status.ERROR or session.trainer is None:
            return
        if self._run is not session.path:  # a new run (Reset, another network): its own slice and path
            self._run, self._random, self._next = session.path, None, None
            picture.clear()
        if picture.trained is not None:  # a point of the slice is loaded: the slice stays until Back, or Play
            if session.view.status != Status.RUNNING:
                return
            picture.trained, picture.back.visible = None, False  # training on from the loaded point
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
        picture.draw_path(path)

    def _new_slice(self, path: np.ndarray) -> landscape.Slice:
        centre = path[-1]
        if self.directions.value == PATH and len(path) >= 3:
            d1, d2, shares = landscape.trajectory_directions(path, centre)
            reach = np.abs(landscape.coordinates(path, centre, d1, d2)).max()
            span = 1.25 * max(float(reach), 1e-3)
            self._axes = tuple(f"main direction {k + 1} ({share:.0%} of the path)" for k, share in enumerate(shares))
        else:
            if self._random is None:
                self._random = landscape.random_directions(self.session.model, np.random.default_rng(self._seed))
            d1, d2 = self._random
            span = SPANS[self.span.value]
            self._axes = tuple(f"random direction {k} (× the weights' size)" for k in (1, 2))
        values = landscape.grid(span, POINTS)
        return landscape.Slice(centre, d1, d2, values, values)

    def _start_over(self, new_random: bool = False) -> None:
        if new_random:
            self._seed += 1
            self._random = None
        self._next = None
        self.refresh()

    def _show(self, plane: landscape.Slice, path_points: int) -> None:
        self.slice.show(plane, self._axes)
        note = self.slice.blank_note()
        if self.directions.value == PATH and path_points < 3:
            note += " The path is too short for its own directions yet: random ones until it has three points."
        if self.slice.trained is None:
            self.slice.told.object = (
                f"<div class='pg-sub'>The training loss on a {POINTS}×{POINTS} grid through the weights as they were "
                "when this slice was computed (its centre, 0, 0); the star is where they are now and the white line "
                f"the path training took, both seen in this slice. Click a point to give the network those weights."
                f"{note}</div>"
            )

    def __panel__(self) -> pn.Column:
        controls = (self.directions, self.span, self.new_directions, self.slice.back)
        return pn.Column(
            pn.Row(*controls, stylesheets=[WRAP_ROW], styles=SHRINKS),
            self.slice.pane(),
            self.slice.told,
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
