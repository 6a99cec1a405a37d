"""The sandbox's weight distributions over training: the MNIST lab's view of a WeightHistory, with a line saying
which layers each weight matrix joins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status
from playground.sandbox.diagram import weight_joins
from playground.widgets.styling import html
from playground.widgets.weight_distributions import WeightDistributions

if TYPE_CHECKING:
    from playground.sandbox.session import Session


class WeightsOverTime(pn.viewable.Viewer):
    """Histograms per weight matrix and recorded epoch (this network and the one before), redrawn by `refresh()`."""

    def __init__(self, session: Session, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.distributions = WeightDistributions(session)
        self.legend = html(margin=(0, 5))

    def refresh(self) -> None:
        if self.session.view.status == Status.ERROR:
            return
        joins = "; ".join(f"<b>{title}</b>: {columns}" for title, columns in weight_joins(self.session.state).items())
        self.legend.object = (
            f"<div class='pg-sub'>{joins}. Recorded at every epoch's end (long runs keep every other "
            "record); the slider picks one.</div>"
        )
        self.distributions.refresh()

    def __panel__(self) -> pn.Column:
        return pn.Column(self.distributions, self.legend)
