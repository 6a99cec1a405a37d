"""The status line of every training page: the status in words, its numbers in data attributes, and any banner."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status, status_attributes, status_text
from playground.widgets.alert import Alert
from playground.widgets.live_html import LiveHTML

if TYPE_CHECKING:
    from playground.core.training import TrainingSession


class StatusLine(pn.viewable.Viewer):
    """The `pg-status` element: the status in words, its numbers in data attributes, and any banner."""

    def __init__(self, session: TrainingSession, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.line = LiveHTML(margin=(0, 10), sizing_mode="stretch_width")
        self.banner = Alert(visible=False, sizing_mode="stretch_width")

    def refresh(self) -> None:
        view = self.session.view
        attributes = " ".join(f'{key}="{escape(value)}"' for key, value in status_attributes(view).items())
        self.line.object = (
            f'<div id="pg-status" class="pg-status pg-{view.status}" role="status" aria-live="polite" {attributes}>'
            f"{escape(status_text(view))}</div>"
        )
        self.banner.object = escape(view.message)
        self.banner.alert_type = "danger" if view.status == Status.ERROR else "warning"
        self.banner.visible = bool(view.message)

    def __panel__(self) -> pn.Column:
        return pn.Column(self.banner, self.line, sizing_mode="stretch_width")
