"""The sandbox page: the whole 2-D playground, every control free. `panel serve playground/sandbox/app.py`.

Training runs in the Ticker's loop, which applies a few updates per tick (as many as fit in
TICK_BUDGET seconds, measured), so clicks are handled between ticks, in CPython and in Pyodide alike. Each tick
redraws the numbers and the loss curve; the pictures (node maps, edges, decision map) follow when the
RedrawBudget says they are due, all of them from one forward pass over the grid (heatmaps.Maps).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import panel as pn

from nn_core.layers.dense import Dense
from playground.core.status import Status
from playground.core.student_code import StudentCodeError
from playground.figures import sandbox as figures
from playground.sandbox.heatmaps import Maps, grid_stride
from playground.sandbox.redraw_budget import RedrawBudget
from playground.sandbox.session import Session
from playground.sandbox.state import ACCESS, SETTINGS, PlaygroundState
from playground.sandbox.views import network_view
from playground.sandbox.views.backprop_view import BackpropView
from playground.sandbox.views.confusion_view import SandboxConfusion
from playground.sandbox.views.controls import TopBar
from playground.sandbox.views.data_view import DataView
from playground.sandbox.views.lesson_setup_view import LessonSetupView
from playground.sandbox.views.model_files_view import ModelFilesView
from playground.sandbox.views.network_view import NetworkView
from playground.sandbox.views.output_view import OutputView
from playground.sandbox.views.weights_over_time import WeightsOverTime
from playground.widgets.access import apply_access
from playground.widgets.aria import AriaStates
from playground.widgets.folded_views import FoldedViews
from playground.widgets.save_figure import SaveFigure
from playground.widgets.status_line import StatusLine
from playground.widgets.styling import SHRINKS, grows_from
from playground.widgets.ticker import Ticker
from playground.widgets.training_page import TrainingPage

if TYPE_CHECKING:
    from panel.io.location import Location

TICK_PERIOD_MS = 16  # up to 60 frames a second, as TensorFlow Playground; on the site the page paces it
TICK_BUDGET = 0.008  # seconds of training per tick; drawing comes on top
# On the site a tick trains its epoch (`min_steps`) and no more: the page's acknowledgement of the last redraw often
# came during a tick's 8 ms, and the next redraw waited for its end; the waiting is trained away in slices anyway
# (46 -> 52 frames/s, benchmarks/bench_sandbox_site.py).
PACED_TICK_BUDGET = 0.0
MAX_STEPS_PER_TICK = 50  # and at least an epoch when it has no more updates (25 in the default setup)
MORE_VIEWS = (
    "Backprop step by step",
    "Weights over time",
    "Confusion matrix",
    "The engine's code",
    "Write your own layer",
    "Loss landscape",
    "Doctor",
    "Race",
)
MORE_TITLE = "More views: " + ", ".join(name.lower() for name in MORE_VIEWS)


def beside_first(first: Any, *others: Any) -> pn.FlexBox:
    """A column (the data) and beside it the others (the network, the output) side by side when they fit. On a
    narrower screen the diagram shrinks, then the output goes below the diagram, then all of them below the first
    column (docs/playground.md, "Layout")."""
    beside = pn.FlexBox(*others, flex_wrap="wrap", align_items="flex-start", styles=grows_from(network_view.MIN_WIDTH))
    return pn.FlexBox(first, beside, flex_wrap="wrap", align_items="flex-start")


class SandboxApp(TrainingPage):
    """A PlaygroundState, its Session and the views, with the training loop between them."""

    state_class = PlaygroundState

    def __init__(
        self,
        state: PlaygroundState | None = None,
        location: Location | None = None,
        notices: Sequence[str] = (),
        **params: Any,
    ) -> None:
        super().__init__(state, location, notices, **params)
        self.session = Session(self.state)
        self.budget = RedrawBudget()
        self.maps = self._compute_maps()
        self.ticker = Ticker(
            self.session,
            self._after_tick,
            TICK_PERIOD_MS,
            TICK_BUDGET,
            MAX_STEPS_PER_TICK,
            min_steps=self.session.steps_per_epoch,
            paced_budget=PACED_TICK_BUDGET,
        )
        self.top = TopBar(self.session, on_play=self.ticker.toggle)
        self.data = DataView(self.state)
        self.output = OutputView(self.session, self.maps, on_edit=self.redraw, on_pick=self._pick_backprop_point)
        self.network = NetworkView(self.session, on_node=self.output.show_node, on_edit=self.redraw)
        self.model_files = ModelFilesView(self.session, on_edit=self.redraw)
        self.lesson_setup = LessonSetupView(self.state)
        self.status = StatusLine(self.session)
        self.figure = SaveFigure(figures.TITLES, partial(figures.sandbox_figure, session=self.session), "sandbox")
        self.follow_buttons(self.top)
        self.top.rewind.on_click(lambda event: self._after(self.session.rewind))
        self._shape = None
        self._dead_drawn = {}  # the dead neurons the diagram crosses (session.dead_neurons() at the last picture)
        # Views beyond TensorFlow Playground's, folded away below it and built on first unfold; only the open tab
        # is redrawn.
        backprop = partial(BackpropView, self.session, on_stage=self.network.highlight, on_point=self.output.mark)
        self.more = FoldedViews(
            MORE_TITLE,
            MORE_VIEWS,
            [
                backprop,
                partial(WeightsOverTime, self.session),
                partial(SandboxConfusion, self.session),
                self._glass_box,
                self._own_layer,
                self._landscape,
                self._doctor,
                self._race,
            ],
            on_show=self._refresh_more,
        )
        self.layout = pn.Column(
            self.notices,
            self.top,
            self.status,
            beside_first(
                self.data, self.network, pn.Column(self.output, self.model_files, self.figure, self.lesson_setup)
            ),
            self.more,
            AriaStates(),
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
        self.state.param.watch(lambda *events: self.redraw(), SETTINGS)  # after the session's own watcher
        self.state.param.watch(lambda *events: self._apply_access(), ACCESS)
        if self.state.race:  # a link with a race opens it
            self.more.show("Race")
        self.redraw()

    def _compute_maps(self):
        """Every node's map and the prediction for the current model (None while the network cannot be built); a
        student's layer code that fails on the map's points hands back to the engine's code."""
        session = self.session
        if session.view.status == Status.ERROR:
            return None
        stride = grid_stride(network_view.node_pixels(session.state))
        try:
            return Maps.compute(session.model, session.state, stride=stride)
        except StudentCodeError as error:
            session.own_code_failed(error)
            return Maps.compute(session.model, session.state, stride=stride)

    def _after_tick(self):
        """After each tick: the numbers always; the pictures when the budget says so, when training has stopped, or when
        an epoch's check found other dead neurons than the diagram shows (the doctor's finding and the crosses appear
        at once, not at the next picture the budget allows: seconds on a slow page)."""
        news = self.session.dead_neurons() != self._dead_drawn
        self.redraw(pictures=self.budget.due() or news or self.session.view.status != Status.RUNNING)

    def redraw(self, pictures: bool = True) -> None:
        """The numbers, status and loss curve; with `pictures` also the maps and edges (and the layer controls
        when the network's shape changed)."""
        with self.redrawing():
            if pictures:
                self.budget.measure(self._redraw_pictures)
            elif hasattr(self.more.shown, "lockstep"):  # the race's verdict follows every tick too
                self.more.shown.refresh_numbers()
            self.output.refresh_curves()
            self.top.refresh()
            self.status.refresh()

    def _redraw_pictures(self):
        self._dead_drawn = self.session.dead_neurons()
        self.maps = self._compute_maps()
        if self._shape != self.session.view.structure:
            self._shape = self.session.view.structure
            self.network.rebuild(self.maps)
            self._apply_access()
        else:
            self.network.refresh(self.maps)
        self.output.refresh(self.maps)
        self._refresh_more()

    def _refresh_more(self):
        """The open tab of the folded views, when they are unfolded; the diagram's backprop band and the ring around
        its point only while that tab shows."""
        shown = self.more.shown
        self.ticker.session = getattr(shown, "lockstep", None) or self.session  # the race trains while it shows
        for view in self.more.placed:  # a lesson's glass box, placed outside the card
            view.refresh()
        if shown is not None and shown not in self.more.placed:
            shown.refresh()
        if not getattr(shown, "marks_columns", False):
            self.network.highlight(None)
        if not isinstance(shown, BackpropView):
            self.output.mark(None)

    @property
    def code_view(self) -> pn.viewable.Viewer:
        """The glass box (the engine's code and a step line by line), for a lesson that places it."""
        return self.more.view("The engine's code")

    @property
    def own_layer_view(self) -> pn.viewable.Viewer:
        """The editor of a layer's code, for a lesson that places it."""
        return self.more.view("Write your own layer")

    @property
    def landscape_view(self) -> pn.viewable.Viewer:
        """The loss landscape, for a lesson that places it."""
        return self.more.view("Loss landscape")

    def _glass_box(self) -> pn.viewable.Viewer:
        from playground.widgets.glass_box import GlassBox  # imported when first shown, not at the page's start

        return GlassBox(self.session, on_change=self.redraw, on_layer=self._mark_layer)

    def _own_layer(self) -> pn.viewable.Viewer:
        from playground.widgets.own_layer import OwnLayer  # imported when first shown, not at the page's start

        return OwnLayer(self.session, on_change=self.redraw)

    def _landscape(self) -> pn.viewable.Viewer:
        from playground.sandbox.views.landscape_view import LandscapeView  # imported when first shown

        return LandscapeView(self.session, on_change=self.redraw)

    def _doctor(self) -> pn.viewable.Viewer:
        from playground.sandbox.views.doctor_view import DoctorView  # imported when first shown

        return DoctorView(self.session, on_change=self.redraw)

    def _race(self) -> pn.viewable.Viewer:
        from playground.sandbox.views.race_view import RaceView  # imported when first shown

        return RaceView(self.session, first_maps=lambda: self.maps, on_change=self.redraw)

    def _mark_layer(self, layer: int | None) -> None:
        """The diagram's column of model layer `layer` marked (a dense layer and its activation share a column)."""
        layers = self.session.model.layers
        column = None if layer is None else sum(isinstance(item, Dense) for item in layers[: layer + 1])
        self.network.highlight(column)

    def _pick_backprop_point(self, x1, x2):
        """A click on the map in "pick" mode: the backprop steps follow the nearest training point, shown."""
        self.more.show(MORE_VIEWS[0]).pick_nearest(x1, x2)

    def _apply_access(self):
        """Hidden and locked controls from the state (the layer buttons also stop at their limits)."""
        apply_access(self.layout, self.state)
        self.network.limit_layer_buttons()


def create_app() -> SandboxApp:
    """The sandbox page's viewable, with state from the page URL's query when there is one."""
    return SandboxApp.from_page_url()


if __name__.startswith("bokeh"):
    pn.extension()
    create_app().servable(title="nn-playground: sandbox")
