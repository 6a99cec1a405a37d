"""What both training pages (the sandbox, the MNIST lab) do around their session: keep the page URL in step
with the settings, say what of a link was not used, and redraw after each click of the training buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self

import panel as pn

from playground.widgets.page_url import UrlWriter, state_from_location, url_notices

if TYPE_CHECKING:
    from panel.io.location import Location

    from playground.core.training import TrainingSession
    from playground.widgets.page_url import QueryState
    from playground.widgets.training_controls import TrainingControls


class TrainingPage(pn.viewable.Viewer):
    """A page's state, the notices above it and its layout; a subclass builds `session` and `layout` and draws
    them in `redraw()`."""

    state_class: ClassVar[type[QueryState]]  # the page's settings
    session: TrainingSession
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
        """The page with its settings from the page URL's query when there is one."""
        state, notices = state_from_location(cls.state_class, pn.state.location)
        return cls(state, location=pn.state.location, notices=notices)

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

    def __panel__(self) -> pn.viewable.Viewable:
        return self.layout
