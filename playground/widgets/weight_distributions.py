"""How each layer's weights spread out as training goes on, epoch by epoch, for this run above the previous one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from playground.core.palette import CLASS_COLORS
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from typing import Protocol

    from playground.core.weight_history import WeightHistory

    class RecordingSession(Protocol):
        """A session recording its weights (sandbox Session, MnistSession): this run's and the one before's."""

        weights: WeightHistory
        previous_weights: WeightHistory | None


class WeightDistributions(pn.viewable.Viewer):
    """Histograms of one weight matrix at a chosen recorded epoch, with mean and std; the previous run (another
    network or seed, or before a reset) below on the same horizontal scale."""

    def __init__(self, session: RecordingSession, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.weight = pn.widgets.Select(name="Weights", width=200)
        self.epoch = pn.widgets.IntSlider(name="Epoch", start=0, end=1, value=0, width=240)
        self.weight.param.watch(lambda event: self.refresh(), "value")
        self.epoch.param.watch(lambda event: self.refresh(), "value_throttled")
        self.sources = [ColumnDataSource({"left": [], "right": [], "count": []}) for _ in range(2)]
        self.figures = []
        for source, color in zip(self.sources, (CLASS_COLORS[1], CLASS_COLORS[0]), strict=True):
            plot = figure(
                height=160,
                sizing_mode="stretch_width",
                max_width=420,
                toolbar_location=None,
                tools="",
                y_axis_label="count",
            )  # 420 px wide, narrower on a phone
            plot.quad(left="left", right="right", bottom=0, top="count", source=source, color=color, alpha=0.8)
            self.figures.append(plot)
        self.figures[1].x_range = self.figures[0].x_range
        self.figures[1].xaxis.axis_label = "weight value"
        self._epochs = None

    def refresh(self) -> None:
        runs = [self.session.weights, self.session.previous_weights]
        if not runs[0].edges:
            return
        names = {runs[0].title(name): name for name in runs[0].edges}  # the menu shows titles, its values are names
        if self.weight.options != names:
            kept = self.weight.value if self.weight.value in names.values() else next(iter(names.values()))
            self.weight.param.update(options=names, value=kept)
        epochs = runs[0].epochs
        if self._epochs != epochs[-1]:  # a new epoch: show it
            self._epochs = epochs[-1]
            self.epoch.param.update(end=max(epochs[-1], 1), value=epochs[-1], disabled=len(epochs) == 1)
        for run, source, plot in zip(runs, self.sources, self.figures, strict=True):
            recorded = None if run is None else run.at(self.weight.value, self.epoch.value)
            if recorded is None:
                source.data = {"left": [], "right": [], "count": []}
                plot.title.text = (
                    "previous run: none yet (press Reset or change the network)"
                    if run is None
                    else f"{run.label}: no {runs[0].title(self.weight.value).lower()} (another network)"
                )
                continue
            mean, std, counts = recorded
            edges = run.edges[self.weight.value]
            source.data = {"left": edges[:-1], "right": edges[1:], "count": counts}
            epoch = run.nearest_epoch(self.weight.value, self.epoch.value)
            plot.title.text = f"{run.label}, epoch {epoch}: mean {mean:+.3f}, std {std:.3f}"

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>WEIGHT DISTRIBUTIONS</div>")
        controls = pn.Row(self.weight, self.epoch, stylesheets=[WRAP_ROW], styles=SHRINKS)
        return pn.Column(heading, controls, *self.figures, sizing_mode="stretch_width", max_width=430, styles=SHRINKS)
