"""The failure doctor (`sandbox/doctor.py`): each diagnosis in words with its one-click remedies and a link to the
lesson that explains it, above the per-layer gradient chart (`views/gradients_view.py`)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status
from playground.sandbox import doctor
from playground.sandbox.views.gradients_view import GradientsView
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

HEALTHY = (
    "Nothing wrong found. The doctor looks at every epoch's end for dead ReLUs, saturated or stuck neurons, a loss "
    "on a plateau while few points are right, and gradients that vanish or explode (the chart below)."
)


class DoctorView(pn.viewable.Viewer):
    """What is wrong with `session`'s training and the remedies, redrawn by `refresh`; `on_change()` after a remedy."""

    def __init__(self, session: Session, on_change: Callable[[], None] = lambda: None, **params: Any) -> None:
        super().__init__(**params)
        self.session, self._on_change = session, on_change
        self.gradients = GradientsView(session)
        self.findings = pn.Column(sizing_mode="stretch_width", margin=0)
        self.buttons: dict[tuple[str, str], pn.widgets.Button] = {}  # (diagnosis kind, remedy) -> its button
        self._shown = None  # the diagnoses on the page

    def refresh(self) -> None:
        if self.session.view.status != Status.ERROR:
            found = doctor.diagnoses(self.session)
            if found != self._shown:  # new words or remedies: a new column (not at every redraw)
                self._shown = found
                self.findings.objects = [self._finding(diagnosis) for diagnosis in found] or [
                    html(f"<div class='pg-sub'>{HEALTHY}</div>", margin=(0, 5), sizing_mode="stretch_width")
                ]
        self.gradients.refresh()

    def _finding(self, diagnosis: doctor.Diagnosis) -> pn.Column:
        page, title = diagnosis.lesson
        words = escape(diagnosis.words)
        head, _, rest = words.partition(". ")
        text = f"<b>{head}.</b> {rest} <a href='{page}' target='_top'>{escape(title)}</a> explains it."
        buttons = [self._button(diagnosis.kind, remedy) for remedy in diagnosis.remedies]
        return pn.Column(
            html(f"<div class='pg-sub pg-finding'>{text}</div>", margin=(0, 5), sizing_mode="stretch_width"),
            pn.Row(*buttons, stylesheets=[WRAP_ROW]),
            sizing_mode="stretch_width",
            margin=(0, 0, 6, 0),
        )

    def _button(self, kind: str, remedy: str) -> pn.widgets.Button:
        if (kind, remedy) not in self.buttons:
            button = pn.widgets.Button(name=doctor.REMEDIES[remedy], width=300, button_type="primary")
            button.on_click(lambda event: self._apply(remedy))
            self.buttons[kind, remedy] = button
        return self.buttons[kind, remedy]

    def _apply(self, remedy: str) -> None:
        doctor.apply(self.session, remedy)
        self._on_change()

    def __panel__(self) -> pn.Column:
        return pn.Column(self.findings, self.gradients, sizing_mode="stretch_width", styles=SHRINKS)
