"""The race (`sandbox/race.py`): what the second network changes, both networks' loss curves overlaid, both decision
maps, the winner, and the weight histograms of both on one scale. While it shows, the page's Ticker trains the race
(`lockstep`); hidden, nothing of it runs."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource, Range1d
from bokeh.plotting import figure

from playground.core.palette import CLASS_COLORS
from playground.core.png import png_uri
from playground.core.status import Status
from playground.sandbox.heatmaps import Maps
from playground.sandbox.race import Race, verdict
from playground.sandbox.state import RACE_SETTINGS, RaceChanges
from playground.widgets.live_html import LiveHTML
from playground.widgets.styling import SHRINKS, WRAP_ROW, html
from playground.widgets.weight_distributions import WeightDistributions

if TYPE_CHECKING:
    from playground.sandbox.session import Session

NAMES = ("first", "second")
COLORS = (CLASS_COLORS[1], CLASS_COLORS[0])  # as WeightDistributions draws the two records
MAP_SIZE = 150
# While training, the race's plots and maps are drawn again at most this often: each time costs the page three
# plots and two pictures (the verdict follows every redraw).
PICTURE_SECONDS = 0.5
CURVE_POINTS = 200  # each curve's points sent to the page (the page's own curve keeps up to 1,000): 300 px wide
MAP_RESOLUTION = 50  # pixels of each map a side: the second's forward pass over the grid costs a quarter of the page's
INTRO = (
    "<div class='pg-sub'>A second network on the same data, from the same seed (and the same first weights when its "
    "layers have the same shapes), trained in lockstep with the first: Play trains both, epoch for epoch. Choose "
    "what it changes; a change starts the race again. The lower test loss wins.</div>"
)


def every_nth(count: int, most: int) -> list[int]:
    """Indices of `count` points keeping at most about `most` evenly spaced ones, the last always."""
    stride = -(-count // most) if count else 1
    return sorted({*range(0, count, stride), *range(max(0, count - 1), count)})


class RaceWeights:
    """Both networks' weight records as WeightDistributions reads a session's (this run above the one before)."""

    def __init__(self, race: Race) -> None:
        self.race = race

    @property
    def weights(self):
        return dataclasses.replace(self.race.first.weights, label="first")

    @property
    def previous_weights(self):
        return dataclasses.replace(self.race.second.weights, label="second")


class RaceView(pn.viewable.Viewer):
    """The race beside `session`, redrawn by `refresh()`; `first_maps()` gives the page's maps of the first network
    (computed anyway), `on_change()` redraws the page after a click here."""

    def __init__(
        self, session: Session, first_maps: Callable[[], Maps | None], on_change: Callable[[], None], **params: Any
    ) -> None:
        super().__init__(**params)
        self.lockstep = Race(session)
        self._first_maps, self._on_change = first_maps, on_change
        self.settings = {name: self._setting_widget(name) for name in RACE_SETTINGS}
        self.problem = html(margin=(0, 5))
        self.again = pn.widgets.Button(
            name="Start the race again", width=170, description="Both networks back to their first weights"
        )
        self.again.on_click(lambda event: self._clicked(self.lockstep.restart))
        self.verdict = LiveHTML(margin=(0, 5))
        self.curves = [ColumnDataSource({"epoch": [], "test": [], "train": []}) for _ in NAMES]
        self.loss_plot = self._loss_figure()
        self.maps = [LiveHTML(margin=(0, 5)) for _ in NAMES]
        self.distributions = WeightDistributions(RaceWeights(self.lockstep))
        self._drawn = 0.0  # when the plots and maps were last drawn (time.perf_counter)

    def _setting_widget(self, name: str) -> pn.widgets.Widget:
        parameter = self.lockstep.second.state.param[name]
        label = f"{name.replace('_', ' ').capitalize()} (second)"  # not the first's control of the same name
        size = dict(width=max(120, 7 * len(label)), margin=(0, 6))  # as wide as its label
        if isinstance(parameter, param.Selector):
            widget = pn.widgets.Select(name=label, options=list(parameter.objects), **size)
        elif isinstance(parameter, param.Integer):
            widget = pn.widgets.IntInput(name=label, start=parameter.bounds[0], end=parameter.bounds[1], **size)
        else:  # the hidden layers' widths, as a URL writes them
            widget = pn.widgets.TextInput(name=label, **size)
        widget.param.watch(lambda event: self._changed(name, event.new), "value")
        return widget

    def _changed(self, name: str, value: Any) -> None:
        if value == self._shown_value(name):  # the refresh setting what the second network has
            return
        if isinstance(value, str) and name == "hidden_layers":
            try:
                value = RaceChanges.from_text(f"{name}:{value}")[name]
            except ValueError as error:
                self.problem.object = f"<div class='pg-sub'>Hidden layers: {escape(str(error))}</div>"
                return
        self.problem.object = ""
        self._clicked(lambda: self.lockstep.change(name, value))

    def _shown_value(self, name: str) -> Any:
        value = getattr(self.lockstep.second.state, name)
        return ",".join(map(str, value)) if isinstance(value, list) else value

    def _clicked(self, action: Callable[[], None]) -> None:
        action()
        self._on_change()

    def _loss_figure(self) -> figure:
        plot = figure(
            width=300, height=190, x_range=Range1d(0, 1), y_range=Range1d(0, 0.6), toolbar_location=None, tools="",
            x_axis_label="epoch", y_axis_label="loss", min_border=4, border_fill_color=None, outline_line_color=None,
        )  # fmt: skip
        for name, source, color in zip(NAMES, self.curves, COLORS, strict=True):
            plot.line("epoch", "test", source=source, color=color, line_width=2, legend_label=f"{name} test")
            dashed = {"legend_label": "training: dashed"} if name == NAMES[0] else {}
            plot.line("epoch", "train", source=source, color=color, line_width=1, line_dash="dashed", **dashed)
        plot.axis.major_label_text_font_size = "10px"
        legend = plot.legend[0]
        legend.update(orientation="horizontal", label_text_font_size="11px", border_line_color=None, margin=0)
        plot.add_layout(legend, "above")
        return plot

    def refresh_numbers(self) -> None:
        """The second network up to the first's place and the verdict: cheap for Python and the page, every tick."""
        race = self.lockstep
        race.keep_up()
        steps = f"data-first='{race.first.view.step}' data-second='{race.second.view.step}'"  # for the benchmark
        self.verdict.object = f"<div class='pg-losses pg-race-verdict' {steps}>{escape(self._verdict())}</div>"

    def refresh(self) -> None:
        """Everything, with the page's pictures (while training at most every PICTURE_SECONDS): the verdict, the second
        network's settings, both loss curves, both maps and the weight histograms."""
        race = self.lockstep
        self.refresh_numbers()
        if race.first.view.status == Status.RUNNING and time.perf_counter() - self._drawn < PICTURE_SECONDS:
            return
        self._drawn = time.perf_counter()
        for name, widget in self.settings.items():
            if widget.value != self._shown_value(name):
                widget.value = self._shown_value(name)
        sessions = (race.first, race.second)
        highest, last = 0.1, 1
        for source, session in zip(self.curves, sessions, strict=True):
            history = session.view.history
            kept = every_nth(len(history["epoch"]), CURVE_POINTS)
            source.data = {key: [history[key][index] for index in kept] for key in ("epoch", "test", "train")}
            highest = max([highest, *filter(None, history["test"]), *filter(None, history["train"])])
            last = max([last, *history["epoch"][-1:]])
        self.loss_plot.x_range.end, self.loss_plot.y_range.end = last, 1.05 * min(highest, 10.0)
        maps = (self._first_maps(), None)
        for pane, session, session_maps, name, label in zip(self.maps, sessions, maps, NAMES, race.labels, strict=True):
            pane.object = self._map_html(session, session_maps, f"{name}: {label}")
        if all(session.weights is not None for session in sessions):
            self.distributions.refresh()

    def _map_html(self, session: Session, maps: Maps | None, caption: str) -> str:
        """The decision map of `session` (from `maps`, else one forward pass over the grid) with its caption."""
        if session.view.status == Status.ERROR:
            return f"<div class='pg-sub' style='width:{MAP_SIZE}px'>{escape(caption)}: cannot be built</div>"
        if maps is None:
            maps = Maps.compute(session.model, session.state, MAP_RESOLUTION)
        image = maps.output_image(session.state)
        stride = max(1, len(image) // MAP_RESOLUTION)  # the page's own maps are finer: every other pixel
        picture = png_uri(np.ascontiguousarray(image[::stride, ::stride]))
        return (
            f"<figure style='margin:0;width:{MAP_SIZE}px'><img src='{picture}' width='{MAP_SIZE}' height='{MAP_SIZE}' "
            f"alt='decision map of the {escape(caption)}'><figcaption class='pg-sub'>{escape(caption)}</figcaption>"
            "</figure>"
        )

    def _verdict(self) -> str:
        race = self.lockstep
        first, second = race.first.view, race.second.view
        for name, view in zip(NAMES, (first, second), strict=True):
            if view.status in (Status.ERROR, Status.DIVERGED):
                return f"The {name} network {'cannot be built' if view.status == Status.ERROR else 'diverged'}: " + (
                    view.message or ""
                )
        if race.behind() > 0:
            return f"The second network is catching up: epoch {second.epoch:,} of {first.epoch:,}."
        if first.epoch == 0:
            return "Press Play: both networks train, epoch for epoch; the lower test loss wins."
        return verdict(first.test_loss, second.test_loss, race.labels, first.epoch)

    def __panel__(self) -> pn.Column:
        row = dict(stylesheets=[WRAP_ROW], styles=SHRINKS)
        return pn.Column(
            html(INTRO, margin=(0, 5)),
            pn.Row(*self.settings.values(), **row),
            self.problem,
            pn.Row(self.again, self.verdict, **row),
            pn.pane.Bokeh(self.loss_plot),
            pn.Row(*self.maps, **row),
            self.distributions,
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
