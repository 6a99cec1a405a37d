"""The MNIST lab's loss landscape, computed when asked: the training loss on a 2-D slice through the network's weights
along two random filter-normalised directions (core/landscape.py, as the sandbox's live view), on a subset of the
training digits, with a progress bar. A CNN's slice takes seconds in the browser (one forward pass of DIGITS digits
per grid point, POINTS x POINTS of them), so it is computed row by row, each row followed by a turn of the event
loop: the bar moves, clicks arrive, and training, if it runs, goes on between rows.

No path: the sandbox's is the weights at every epoch's end, which for an MNIST network would be megabytes an epoch.
The white line goes from the slice's centre (the weights when it was computed) to where the weights are now, seen in
the slice; a click on the slice gives the network the weights there (picture in widgets/slice_picture.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn

from playground.core import landscape
from playground.core.status import Status
from playground.widgets.slice_picture import SlicePicture
from playground.widgets.styling import PRIMARY_BUTTON, SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.mnist.session import MnistSession

POINTS = 15  # the slice is POINTS x POINTS: a small CNN's in about 10 s in the browser
DIGITS = 200  # training digits the loss is computed on, the same for every point
SPANS = {"±0.5": 0.5, "±1": 1.0, "±2": 2.0}  # in units of the weights' own size, as in the sandbox
AXES = ("random direction 1 (× the weights' size)", "random direction 2 (× the weights' size)")


class MnistLandscape(pn.viewable.Viewer):
    """The slice through `session`'s weights, computed by `compute()` (the button); `on_change()` redraws the lab
    after the student loaded a point's weights or went back."""

    def __init__(self, session: MnistSession, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.span = pn.widgets.Select(name="Span", options=list(SPANS), value="±1", width=90)
        self.compute_button = pn.widgets.Button(
            name="Compute the landscape", button_type="primary", width=210, stylesheets=[PRIMARY_BUTTON]
        )
        self.compute_button.on_click(self._clicked)
        self.progress = pn.indicators.Progress(value=0, max=POINTS, width=260, visible=False, margin=(18, 10, 0, 10))
        self.slice = SlicePicture(session, on_change, seen="its predictions (the drawing pad) and its test results")
        self._structure = None  # the network the slice on screen belongs to
        self._draws = 0  # directions drawn so far: each computation takes new ones
        self._computing = False
        self._say("Press “Compute the landscape”: the training loss around the weights as they are now.")

    def refresh(self) -> None:
        """A new network forgets the slice; otherwise the line to where the weights are now follows training."""
        session, picture = self.session, self.slice
        if session.view.structure != self._structure:
            self._structure = session.view.structure
            if picture.shown is not None:
                picture.clear()
                self._say("A new network: press “Compute the landscape” for its slice.")
        if picture.shown is not None and picture.trained is None and session.model is not None:
            picture.draw_path(np.array([picture.shown.centre, landscape.flat_params(session.model)]))

    async def compute(self) -> None:
        """Computes a new slice around the current weights, a row at a time, and shows it."""
        session = self.session
        if self._computing or session.model is None or session.view.status in (Status.ERROR, Status.LOADING):
            return
        model, loss, structure = session.model, session.trainer.loss, session.view.structure
        if self.slice.trained is not None:  # around the trained weights, not a point loaded from the last slice
            self.slice.go_back()
        rng = np.random.default_rng([session.state.seed, self._draws])
        self._draws += 1
        d1, d2 = landscape.random_directions(model, rng)
        values = landscape.grid(SPANS[self.span.value], POINTS)
        plane = landscape.Slice(landscape.flat_params(model), d1, d2, values, values)
        x, y = session.x_train[:DIGITS], session.y_train[:DIGITS]
        step, started = session.view.step, time.perf_counter()
        self._computing, self.compute_button.disabled = True, True
        self.progress.param.update(value=0, visible=True)
        self._say(f"Computing the loss at {POINTS * POINTS} points on {DIGITS} training digits…")
        try:
            while not plane.done:
                if session.view.structure != structure:  # the student changed the network meanwhile
                    self._say("The network changed while the landscape was computed: press the button again.")
                    return
                plane.compute_rows(model, loss, x, y)
                self.progress.value = plane.rows_done
                await asyncio.sleep(0)  # the bar moves, clicks and training ticks come in
        finally:
            self._computing, self.compute_button.disabled = False, False
            self.progress.visible = False
        self._structure = structure
        self.slice.show(plane, AXES)
        self.refresh()
        self._say(
            f"The training loss on {DIGITS} training digits at {POINTS}×{POINTS} points of a plane through the "
            f"weights of step {step:,d} (its centre, 0, 0), along two random directions, each neuron's part scaled "
            f"to that neuron's own weights (Li et al. 2018); computed in {time.perf_counter() - started:.1f} s. The "
            f"star is where the weights are now, seen in this plane. Click a point to give the network those weights."
            f"{self.slice.blank_note()}"
        )

    async def _clicked(self, event) -> None:
        await self.compute()

    def _say(self, words: str) -> None:
        self.slice.told.object = f"<div class='pg-sub'>{words}</div>"

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>LOSS LANDSCAPE</div>")
        controls = pn.Row(self.span, self.compute_button, self.progress, self.slice.back, stylesheets=[WRAP_ROW],
                          styles=SHRINKS)  # fmt: skip
        return pn.Column(heading, controls, self.slice.pane(), self.slice.told, sizing_mode="stretch_width",
                         styles=SHRINKS)  # fmt: skip
