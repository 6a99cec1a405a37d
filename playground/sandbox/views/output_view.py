"""The output column: the decision map with the data points (or a node's map, on request), the discretize and
test-data toggles, the losses, and the student's own points: click to add or remove, CSV import and export."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.events import DoubleTap, Tap
from bokeh.models import ColumnDataSource, Range1d
from bokeh.plotting import figure

from playground.core.status import Status, number
from playground.sandbox import output
from playground.sandbox.diagram import layer_node_ids
from playground.sandbox.heatmaps import VIEW
from playground.sandbox.own_points import DATA_SETTING
from playground.widgets.access import setting_class, setting_widget
from playground.widgets.file_widgets import FileNotice, LabelledFileInput, download_button
from playground.widgets.growing_curves import show_history
from playground.widgets.live_html import LiveHTML
from playground.widgets.styling import bare_figure, html

if TYPE_CHECKING:
    from playground.sandbox.heatmaps import Maps
    from playground.sandbox.session import Session

SIZE = 300
REMOVE = "remove the nearest point"
PICK = "pick the nearest training point for backprop"
OUTPUT = "output"  # the map menu's value for the output ("" or None would show an empty menu in the browser)
REMOVE_RADIUS = 0.5  # how near a click must be to a point to remove it, in data units
CURVE_COLORS = {"test": "#222222", "train": "#9a9a9a"}  # the numbers above the curves carry their swatches
CURVE_NAMES = {"test": "test loss", "train": "training loss"}


def swatch(curve: str) -> str:
    """A short line in the colour of loss curve `curve`: the legend, kept off the curves."""
    return f"<span class='pg-swatch' style='border-top-color: {CURVE_COLORS[curve]}'></span>"


def loss_figure(curves: ColumnDataSource) -> figure:
    """The loss curves against epochs, axes labelled and a legend above them, small enough for the output column."""
    plot = figure(
        width=SIZE, height=170, x_range=Range1d(0, 1), y_range=Range1d(0, 0.6), toolbar_location=None, tools="",
        x_axis_label="epoch", y_axis_label="loss", min_border=4, border_fill_color=None, outline_line_color=None,
    )  # fmt: skip
    for curve, color in CURVE_COLORS.items():
        plot.line("epoch", curve, source=curves, color=color, line_width=2, legend_label=CURVE_NAMES[curve])
    plot.axis.axis_label_text_font_size = "11px"
    plot.axis.axis_label_text_font_style = "normal"
    plot.axis.major_label_text_font_size = "10px"
    plot.axis.ticker.desired_num_ticks = 4
    legend = plot.legend[0]
    legend.update(orientation="horizontal", label_text_font_size="11px", glyph_width=14, padding=2, margin=0)
    legend.update(border_line_color=None, background_fill_alpha=0, spacing=12)
    plot.add_layout(legend, "above")
    return plot


class OutputView(pn.viewable.Viewer):
    """Decision map, points and loss curves of a Session, redrawn in place by `refresh()`."""

    def __init__(
        self,
        session: Session,
        maps: Maps | None,
        on_edit: Callable[[], None] = lambda: None,
        on_pick: Callable[[float, float], None] = lambda x1, x2: None,
        **params: Any,
    ) -> None:
        """`maps` (heatmaps.Maps) are the session's current maps; `on_edit()` is called after the student changed
        the points or a setting of this view, `on_pick(x1, x2)` when they pick a point for the backprop steps."""
        super().__init__(**params)
        self._on_pick = on_pick
        self.session, state = session, session.state
        self.focus = None  # the diagram node shown instead of the output, or None
        self._points_of = self._drawn_data = None  # (id of the data, show_test_data) of the points drawn
        self._on_edit = on_edit
        self.image = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self.points = ColumnDataSource({key: [] for key in ("x1", "x2", "color", "label", "split", "line")})
        self.curves = ColumnDataSource(output.loss_curves(session.view))

        self.map = bare_figure(SIZE, SIZE, Range1d(*VIEW), Range1d(*VIEW))
        self.map.axis.visible = True
        self.map.axis.major_label_text_font_size = "10px"
        self.map.axis.ticker.desired_num_ticks = 7
        self.map.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.image)
        self.map.scatter("x1", "x2", fill_color="color", line_color="line", size=6, line_width=1, source=self.points)
        self.marked = ColumnDataSource({"x1": [], "x2": []})  # the backprop steps' point, ringed
        self.map.scatter("x1", "x2", size=16, fill_alpha=0, line_color="#111111", line_width=2.5, source=self.marked)

        self.loss_plot = loss_figure(self.curves)

        self.numbers = LiveHTML(sizing_mode="stretch_width")
        self.toggles = pn.Row(
            setting_widget(pn.widgets.Checkbox, state.param.show_test_data, name="Show test data"),
            setting_widget(pn.widgets.Checkbox, state.param.discretize, name="Discretize output"),
        )
        self.title = html(margin=(0, 5))
        self.back = pn.widgets.Button(name="Show the output again", visible=False, width=200)
        self.back.on_click(lambda event: self.show_node(None))
        # The keyboard's ways to what clicking a node or the map does.
        self.shown = pn.widgets.Select(name="The map shows (or click a node)", width=200)
        self.shown.param.watch(self._shown_changed, "value")
        self.click_adds = pn.widgets.Select(name="What a click on the map does", width=200)
        # BokehJS takes a tap that follows another within 300 ms for a double tap: a point too (quick taps on a tablet).
        for tap in (Tap, DoubleTap):
            self.map.on_event(tap, lambda event: self.click(event.x, event.y, event.modifiers.get("shift", False)))
        self.at_x1 = pn.widgets.FloatInput(name="x₁", value=0.0, start=VIEW[0], end=VIEW[1], step=0.5, width=70)
        self.at_x2 = pn.widgets.FloatInput(name="x₂", value=0.0, start=VIEW[0], end=VIEW[1], step=0.5, width=70)
        self.apply_at = pn.widgets.Button(name="Do it at (x₁, x₂)", width=130, margin=(24, 5, 5, 5))
        self.apply_at.on_click(lambda event: self.click(self.at_x1.value or 0.0, self.at_x2.value or 0.0))
        # Own points replace the data set, so the picker follows that control: disabled or hidden when it is locked
        # or hidden. The notice under it says what became of the file (and of a refused click on the map).
        self.import_points = LabelledFileInput(
            accept=".csv",
            name="Import points (CSV: x1,x2,label)",
            width=200,
            css_classes=[setting_class(DATA_SETTING)],
        )
        self.import_points.on_file(self._import)
        self.points_notice = FileNotice(width=200)
        self._notice_data = None  # the data the notice is about: it goes once the data changes otherwise
        self.export_points = download_button(
            "Export points (CSV)", "points.csv", lambda: io.StringIO(session.points_csv()), width=200
        )
        self.refresh(maps)

    def show_node(self, node: str | None) -> None:
        """Shows diagram node `node`'s map instead of the output (None, or the single output node: the output)."""
        outputs = layer_node_ids(self.session.state)[-1]
        self.focus = None if outputs == [node] else node
        self._on_edit()

    def click(self, x1: float, x2: float, remove: bool = False) -> None:
        """What a click at (x1, x2) on the map does: adds a point of the chosen label, or removes the nearest."""
        if self.click_adds.value == PICK and not remove:
            self._on_pick(x1, x2)
            return
        session, message = self.session, self.session.view.message
        if remove or self.click_adds.value == REMOVE:
            session.remove_point(x1, x2, REMOVE_RADIUS)
        else:
            session.add_point(x1, x2, self.click_adds.value)
        if session.view.message and session.view.message != message:  # refused: say so here too, by the map
            self._tell(session.view.message, done=False)
        self._on_edit()

    def _import(self, data: bytes) -> None:
        done = self.session.import_csv(data)
        self._tell(done or self.session.view.message or "Cannot import these points now.", done=bool(done))
        self._on_edit()

    def _tell(self, text: str, done: bool) -> None:
        """Shows `text` under the CSV picker until the data changes by other means."""
        self.points_notice.show(text, done)
        self._notice_data = self.session.data

    def refresh(self, maps: Maps | None) -> None:
        """Redraws everything from `maps` (heatmaps.Maps) and the session's data and view."""
        session = self.session
        with pn.io.hold():
            if session.view.status != Status.ERROR:
                options = output.click_labels(session.data.n_classes) | {REMOVE: REMOVE, PICK: PICK}
                if self.click_adds.options != options:
                    self.click_adds.param.update(options=options, value=next(iter(options.values())))
                picture = self._picture(maps)  # first: it forgets a focused node that no longer exists
                shown = "the output" if self.focus is None else output.node_title(self.focus, session.state)
                self.title.object = f"<div class='pg-sub'>Showing {shown}</div>"
                self.back.visible = self.focus is not None
                self._list_nodes()
                self.image.data = {
                    "image": [picture],
                    "x": [VIEW[0]],
                    "y": [VIEW[0]],
                    "dw": [VIEW[1] - VIEW[0]],
                    "dh": [VIEW[1] - VIEW[0]],
                }
                if self._notice_data is not None and session.data is not self._notice_data:
                    self._notice_data = None  # e.g. a data set button brought the generated data back
                    self.points_notice.hide()
                drawn = (id(session.data), session.state.show_test_data)
                if self._points_of != drawn:
                    self._points_of, self._drawn_data = drawn, session.data  # kept: its id stays unique
                    shown = output.points(session.data, session.state)
                    shown["line"] = ["#ffffff" if split == "train" else "#111111" for split in shown["split"]]
                    self.points.data = shown

    def mark(self, point: tuple[float, float] | None) -> None:
        """Rings the point (x1, x2) on the map; None removes the ring."""
        self.marked.data = {"x1": [point[0]], "x2": [point[1]]} if point is not None else {"x1": [], "x2": []}

    def _list_nodes(self):
        """The map menu: the output, then every node of the diagram, the one shown selected."""
        state = self.session.state
        columns = layer_node_ids(state)
        # A single output node is the output itself (its map is the decision map's values).
        nodes = [node for column in columns[:-1] for node in column] + (columns[-1] if len(columns[-1]) > 1 else [])
        options = {"the output": OUTPUT} | {output.node_title(node, state): node for node in nodes}
        if self.shown.options != options:
            self.shown.options = options
        self.shown.value = self.focus or OUTPUT

    def _shown_changed(self, event):
        node = None if event.new == OUTPUT else event.new
        if node != self.focus:
            self.show_node(node)

    def _picture(self, maps):
        """The focused node's map while that node exists (a network edit may remove it), else the output's."""
        if any(self.focus in column for column in layer_node_ids(self.session.state)):
            return maps.node_image(self.focus)
        self.focus = None
        return maps.output_image(self.session.state)

    def refresh_curves(self) -> None:
        """The loss curves and numbers: cheap, redrawn every tick."""
        view = self.session.view
        curves = view.history
        show_history(self.curves, curves)
        self.loss_plot.x_range.end = max(1, curves["epoch"][-1] if curves["epoch"] else 1)
        highest = max([*curves["train"], *curves["test"], 0.1])
        self.loss_plot.y_range.end = 1.05 * highest
        self.numbers.object = (
            f"<div class='pg-losses'>{swatch('test')}Test loss <b>{number(view.test_loss)}</b><br>"
            f"{swatch('train')}Training loss <b>{number(view.train_loss)}</b>"
            + (f"<br>Test accuracy <b>{100 * view.test_accuracy:.1f}%</b>" if view.test_accuracy is not None else "")
            + "</div>"
        )

    def __panel__(self) -> pn.Column:
        return pn.Column(
            html("<h3 class='pg-heading'>OUTPUT</h3>", margin=(0, 5)),
            self.numbers,
            pn.pane.Bokeh(self.loss_plot),
            self.title,
            pn.pane.Bokeh(self.map),
            self.back,
            self.toggles,
            self.shown,
            self.click_adds,
            pn.Row(self.at_x1, self.at_x2, self.apply_at),
            self.import_points,
            self.points_notice,
            self.export_points,
            width=SIZE + 20,
        )
