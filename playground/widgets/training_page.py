"""What both training pages (the sandbox, the MNIST lab) do around their session: keep the page URL in step
with the settings, say what of a link was not used, redraw after each click of the training buttons, and answer
Python (a notebook, a script: playground/jupyter.py, docs/jupyter.md)."""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, Self

import panel as pn

from playground.core.query import settings_query
from playground.core.status import Status, status_text
from playground.widgets.page_url import (
    UrlWriter,
    served_by_bokeh,
    show_url_notices,
    state_from_location,
    url_notices,
)

if TYPE_CHECKING:
    from panel.io.location import Location

    from nn_core.model import Sequential
    from playground.core.status import TrainingRecord
    from playground.core.training import TrainingSession
    from playground.widgets.page_url import QueryState
    from playground.widgets.ticker import Ticker
    from playground.widgets.training_controls import TrainingControls

_extension_loaded = False  # Panel's notebook extension, loaded by the first page made from Python


class TrainingPage(pn.viewable.Viewer):
    """A page's state, the notices above it and its layout; a subclass builds `session`, `ticker` and `layout` and
    draws them in `redraw()`, inside `redrawing()`."""

    state_class: ClassVar[type[QueryState]]  # the page's settings
    session: TrainingSession
    ticker: Ticker
    layout: pn.viewable.Viewable

    def __init__(self, state: QueryState | None, location: Location | None, notices: Sequence[str], **params: Any):
        """`location` (pn.state.location when served) gets the settings as its query string after each change;
        `notices`: what of the page URL was not used, shown above the page."""
        super().__init__(**params)
        self.state = state or self.state_class()
        self.url_writer = None if location is None else UrlWriter(self.state, location)
        self.notices = url_notices(notices)

    @classmethod
    def from_page_url(cls) -> Self:
        """The page with its settings from the page URL's query and hash when there are."""
        location = pn.state.location
        state, notices = state_from_location(cls.state_class, location)
        page = cls(state, location=location, notices=notices)
        if location is not None and not location.hash and served_by_bokeh():
            page.follow_hash_once(location)
        return page

    def follow_hash_once(self, location: Location) -> None:
        """Takes the settings of a hash the page learns only once it is open. A browser never sends a URL's hash to
        the server, so under `panel serve` a TensorFlow Playground link (`#activation=relu&...`) is built without
        them; Panel's Location then reports the hash from the page. The settings it holds are set as a link's are
        at the start (the query's win), the notices say what was not used, and the URL writer moves them into the
        query. Only the first hash: one the page writes later is no link."""

        def arrived(event):
            if not event.new:
                return
            location.param.unwatch(watcher)
            state, notices = state_from_location(self.state_class, location)
            values = state.param.values()
            values.pop("name")  # param's own name of the instance
            self.state.param.update({name: new for name, new in values.items() if getattr(self.state, name) != new})
            show_url_notices(self.notices, notices)

        watcher = location.param.watch(arrived, "hash")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Self:
        """The page for Python, with `settings` ({name: value}, a page URL's names) checked as a page URL's are:
        SettingsError names each one it cannot use. The first page made so loads Panel's notebook extension, so
        that it shows in Jupyter."""
        global _extension_loaded
        state, _ = cls.state_class.from_query(settings_query(cls.state_class, settings), strict=True)
        if not _extension_loaded:
            pn.extension()  # outside IPython it only marks the extension loaded
            _extension_loaded = True
        return cls(state, location=None, notices=())

    def follow_buttons(self, controls: TrainingControls) -> None:
        """Step, epoch, reset and restore act on the session, then the page redraws."""
        session = self.session
        for button, action in (
            (controls.step, session.step_batch),
            (controls.epoch_step, session.step_epoch),
            (controls.reset, session.reset),
            (controls.restore, session.restore_last_good),
        ):
            button.on_click(lambda event, action=action: self._after(action))

    def _after(self, action: Callable[[], None]) -> None:
        action()
        self.redraw()

    def redraw(self) -> None:
        raise NotImplementedError

    @contextmanager
    def redrawing(self) -> Iterator[None]:
        """A redraw's changes held and sent as one (`pn.io.hold()`). In a notebook they are also sent when no click
        started the redraw (training, a cell): Panel sends its widgets' changes by itself, but leaves those of the
        page's own Bokeh models (figures, the status line) to `push_notebook`, which does nothing elsewhere."""
        with pn.io.hold():
            yield
        if getattr(self, "layout", None) is not None:  # the MNIST lab redraws while it is being built
            pn.io.push_notebook(self.layout)

    def __panel__(self) -> pn.viewable.Viewable:
        return self.layout

    # -- from Python ----------------------------------------------------------------------------------------------

    @property
    def model(self) -> Sequential | None:
        """The nn_core model being trained (None while the settings build none)."""
        return self.session.model

    @property
    def record(self) -> TrainingRecord:
        """What the page shows about training: status, epoch, step, losses, accuracies, the curves' history."""
        return self.session.view

    @property
    def summary(self) -> str:
        """The status line's words, e.g. "Paused · epoch 3 · step 75 · train loss 0.213 · test loss 0.250"."""
        return status_text(self.record)

    def train(self, epochs: int | None = None, steps: int | None = None) -> TrainingRecord:
        """Trains now, as the Epoch button does `epochs` times (each to the end of an epoch) or the Step button
        `steps` times (an update each); one epoch when neither is given. Paused after, and redrawn; training that
        diverges stops there (`record.status`, `record.message`). Returns `record`."""
        if epochs is not None and steps is not None:
            raise TypeError("train() takes epochs or steps, not both")
        session = self.session
        if steps is not None:
            session.step_batch(_count(steps, "steps"))
            epochs = 0
        for _ in range(_count(1 if epochs is None else epochs, "epochs")):
            if session.view.status in (Status.DIVERGED, Status.ERROR):  # the record's message says why
                break
            session.step_epoch()
        self.redraw()
        return self.record

    def play(self) -> None:
        """Trains on in the background as the Play button does, in the running event loop (a notebook's kernel has
        one; in a script use `train()`), until `pause()` or the Pause button."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "play() trains in the background, which needs a running event loop (a notebook's kernel has one); "
                "in a script, use train(epochs=...)"
            ) from None
        if not self.ticker.running:
            self.ticker.toggle()

    def pause(self) -> None:
        """Stops training started by `play()` or the Play button."""
        if self.ticker.running:
            self.ticker.toggle()


def _count(number: int, unit: str) -> int:
    """`number` of epochs or steps to train, checked: a whole number from 0."""
    count = operator.index(number)
    if count < 0:
        raise ValueError(f"train() trains forwards only, not {count} {unit}")
    return count
