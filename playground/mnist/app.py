"""The MNIST lab: build a CNN or MLP, train it live on real digits and see inside it.
`panel serve playground/mnist/app.py`.

Training runs in the shared Ticker (an async periodic callback). After each tick the counter and status are
redrawn; the curves and the views of the open tab only while the whole redraw has cost at most THROTTLE_SHARE of
the time (so training keeps about 70% of its throughput) and at most every HEAVY_INTERVAL seconds; the test
results only when new predictions of all test digits exist (epoch ends). When paused, or when the selected digit
changes, everything visible is redrawn at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.core.status import Status
from playground.figures import mnist as figures
from playground.mnist.selection import Selection
from playground.mnist.session import MnistSession
from playground.mnist.state import ACCESS, SETTINGS, MnistState
from playground.mnist.throttle import Throttle
from playground.mnist.views.channels import Maximization, TopDigits
from playground.mnist.views.drawing import DrawingPad
from playground.mnist.views.editor import ArchitectureEditor, BlockDiagram
from playground.mnist.views.inside import ActivationMaps, Attribution, Filters
from playground.mnist.views.representations import ActivationRows, LayerProjection
from playground.mnist.views.results import DigitConfusion, Gallery
from playground.mnist.views.training import Curves, TrainingBar
from playground.widgets.access import apply_access
from playground.widgets.aria import AriaStates
from playground.widgets.lazy_view import LazyView
from playground.widgets.model_downloads import ModelDownloads
from playground.widgets.save_figure import SaveFigure
from playground.widgets.status_line import StatusLine
from playground.widgets.styling import SHRINKS
from playground.widgets.ticker import Ticker
from playground.widgets.training_page import TrainingPage
from playground.widgets.weight_distributions import WeightDistributions

if TYPE_CHECKING:
    from panel.io.location import Location

TICK_PERIOD_MS = 100
TICK_BUDGET = 0.08  # seconds of training per tick
MAX_STEPS_PER_TICK = 100
THROTTLE_SHARE = 0.3  # training keeps >= 70% of its throughput (issue 7)
HEAVY_INTERVAL = 0.3  # seconds: at most 3.3 redraws a second (a tick may end later: 2.25 measured on the site)
EDITOR_WIDTH = 400  # pixels; the tabs take the rest of the page, the editor goes above them when it is narrow
MIN_TABS_WIDTH = 670
TAB_NAMES = (
    "Training and prediction",
    "Activations",
    "Filters and weights",
    "Test results",
    "Representations",
    "Channels",
    "The engine's code",
    "Write your own layer",
    "Loss landscape",
)


class MnistLab(TrainingPage):
    """An MnistState, its session, the selected digit and every view, with the training loop between them."""

    state_class = MnistState

    def __init__(
        self,
        state: MnistState | None = None,
        location: Location | None = None,
        notices: Sequence[str] = (),
        **params: Any,
    ) -> None:
        super().__init__(state, location, notices, **params)
        self.session = MnistSession(self.state)
        self.selection = Selection()
        self.throttle = Throttle(THROTTLE_SHARE, HEAVY_INTERVAL)
        self.ticker = Ticker(self.session, self.after_tick, TICK_PERIOD_MS, TICK_BUDGET, MAX_STEPS_PER_TICK)
        self.bar = TrainingBar(self.session, on_play=self.ticker.toggle)
        self.status = StatusLine(self.session)
        self.editor, self.blocks = ArchitectureEditor(self.state), BlockDiagram(self.state)
        self.curves = Curves(self.session)
        self.drawing = DrawingPad(self.state, self.selection)
        self.attribution = Attribution(self.session, self.selection)
        self.activations = ActivationMaps(self.session, self.selection)
        self.filters, self.weights = Filters(self.session), WeightDistributions(self.session)
        self.projection = LayerProjection(self.session, self.selection)
        self.rows = ActivationRows(self.session, self.selection)
        self.top_digits = TopDigits(self.session, self.selection)
        self.maximization = Maximization(self.session)
        self.confusion, self.gallery = (
            DigitConfusion(self.session, self.selection),
            Gallery(self.session, self.selection),
        )
        draw = partial(figures.mnist_figure, session=self.session, selection=self.selection)
        self.figure = SaveFigure(figures.TITLES, draw, "mnist")
        self.model_files = ModelDownloads(self.session)
        # The glass box's two tabs and the loss landscape, made (and their modules imported) when first shown.
        self.code_view = LazyView(self._glass_box)
        self.own_layer_view = LazyView(self._own_layer)
        self.landscape_view = LazyView(self._landscape)
        self.results_views = [self.confusion, self.gallery]
        self.tab_views = (
            [self.attribution],
            [self.activations],
            [self.filters, self.weights],
            self.results_views,
            [self.projection, self.rows],
            [self.top_digits, self.maximization],
            [self.code_view],
            [self.own_layer_view],
            [self.landscape_view],
        )
        self._results_step = None  # the step of the predictions the results views show
        self.view_redraws = 0  # heavy redraws so far, shown in the counter's data-view-redraws (benchmarks)
        contents = (
            (self.curves, pn.FlexBox(self.drawing, self.attribution)),
            (self.activations,),
            (self.filters, self.weights),
            (self.confusion, self.gallery),
            (self.projection, self.rows),
            (self.top_digits, self.maximization),
            (self.code_view,),
            (self.own_layer_view,),
            (self.landscape_view,),
        )
        # Each tab's views wrap onto the next line when the screen is too narrow for them side by side.
        self.tabs = pn.Tabs(
            *[(name, pn.FlexBox(*views)) for name, views in zip(TAB_NAMES, contents, strict=True)],
            dynamic=False,
            sizing_mode="stretch_width",
            stylesheets=[".bk-header { flex-wrap: wrap; }"],  # the tab names on two lines on a phone
            # beside the editor when both fit, below it otherwise; never wider than the screen
            styles={"flex": "1 1 0", "min-width": f"min({MIN_TABS_WIDTH}px, 100%)"},
        )
        self.tabs.param.watch(lambda event: self._tab_shown(), "active")
        self.follow_buttons(self.bar)
        self.state.param.watch(lambda *events: self._on_settings(), SETTINGS)  # after the session's and editor's
        self.state.param.watch(lambda *events: self._apply_access(), ACCESS)
        self.selection.param.watch(lambda *events: self.redraw(), "image")
        self._pick_first_digit()
        # EDITOR_WIDTH wide, or the screen's width on a phone
        left = pn.Column(
            self.editor,
            self.blocks,
            self.figure,
            self.model_files,
            sizing_mode="stretch_width",
            max_width=EDITOR_WIDTH,
            styles={"flex": f"0 1 {EDITOR_WIDTH}px", "min-width": "0"},
        )
        body = pn.FlexBox(left, self.tabs, flex_wrap="wrap", align_items="flex-start")
        self.layout = pn.Column(
            self.notices, self.bar, self.status, body, AriaStates(), sizing_mode="stretch_width", styles=SHRINKS
        )
        self._apply_access()

    def _glass_box(self) -> pn.viewable.Viewer:
        from playground.widgets.glass_box import GlassBox  # imported when first shown, not at the page's start

        return GlassBox(self.session, on_change=self.redraw, on_layer=self.blocks.highlight)

    def _own_layer(self) -> pn.viewable.Viewer:
        from playground.widgets.own_layer import OwnLayer  # imported when first shown, not at the page's start

        return OwnLayer(self.session, on_change=self.redraw)

    def _landscape(self) -> pn.viewable.Viewer:
        from playground.mnist.views.landscape import MnistLandscape  # imported when first shown

        return MnistLandscape(self.session, on_change=self.redraw)

    def _tab_shown(self):
        self.blocks.highlight(None)  # the code tab's walk-through marks a block while it shows
        self.redraw()

    def _pick_first_digit(self):
        self.selection.pick_test_digit(self.session.x_test, self.session.y_test, 0)

    def _apply_access(self):
        """Hidden and locked controls from the state (the editor's rows are new after each change of the stack)."""
        apply_access(self.layout, self.state)

    def _on_settings(self):
        self._apply_access()
        if self.selection.image.shape[-1] != self.state.input_size:
            self._pick_first_digit()  # redraws
        else:
            self.redraw()

    def after_tick(self) -> None:
        """The Ticker's redraw: counter and status always, the rest when the throttle allows; all of it timed."""
        training = self.session.view.seconds_per_step * self.ticker.steps_per_tick
        started = time.perf_counter()
        running = self.session.view.status == Status.RUNNING
        heavy = not running or (self.bar.live.value and self.throttle.due(started))
        self.redraw(heavy)
        self.throttle.record(training, time.perf_counter() - started, started if heavy else None)

    def redraw(self, heavy: bool = True) -> None:
        """The counter and status; with `heavy`, the curves and the open tab's views too (the test results only
        when their predictions changed, which while training happens at epoch ends)."""
        self.view_redraws += heavy
        with self.redrawing():
            self.bar.refresh(self.view_redraws)
            self.status.refresh()
            if not heavy:
                return
            self.curves.refresh()
            views = self.tab_views[self.tabs.active]
            if views is self.results_views:
                if self.session.view.status == Status.RUNNING and self.session.predictions_step == self._results_step:
                    return
            for view in views:
                view.refresh()
            if views is self.results_views:
                self._results_step = self.session.predictions_step


def create_app() -> MnistLab:
    """The MNIST lab page's viewable, with state from the page URL's query when there is one."""
    return MnistLab.from_page_url()


if __name__.startswith("bokeh"):
    pn.extension()
    create_app().servable(title="nn-playground: MNIST lab")
