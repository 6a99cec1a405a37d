"""The sandbox's weight distributions over training: the MNIST lab's view of a WeightHistory, with a line saying
which layers each weight matrix joins."""

import panel as pn

from playground.sandbox.diagram import weight_names
from playground.widgets.styling import html
from playground.widgets.weight_distributions import WeightDistributions


class WeightsOverTime(pn.viewable.Viewer):
    """Histograms per weight matrix and recorded epoch (this network and the one before), redrawn by `refresh()`."""

    def __init__(self, session, **params):
        super().__init__(**params)
        self.session = session
        self.distributions = WeightDistributions(session)
        self.legend = html(margin=(0, 5))

    def refresh(self):
        if self.session.view.status == "error":
            return
        joins = ", ".join(f"<b>{name}</b> {columns}" for name, columns in weight_names(self.session.state).items())
        self.legend.object = (
            f"<div class='pg-sub'>Weights: {joins}. Recorded at every epoch's end (long runs keep every other "
            "record); the slider picks one.</div>"
        )
        self.distributions.refresh()

    def __panel__(self):
        return pn.Column(self.distributions, self.legend)
