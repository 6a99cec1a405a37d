"""How a layer represents digits: a PCA projection of its activations for a few hundred test digits, and rows of
a dense layer's neuron outputs for digits the student picks and for class averages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.events import Tap
from bokeh.models import ColorBar, ColumnDataSource, FixedTicker, LinearColorMapper
from bokeh.palettes import Category10_10
from bokeh.plotting import figure
from bokeh.transform import factor_cmap

from nn_core.datasets import class_averages
from playground.mnist.evaluation import test_digits_phrase
from playground.mnist.representations import activation_rows, pca
from playground.mnist.views.images import PALETTES
from playground.mnist.views.layer_select import LayerSelect
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.session import MnistSession

DIGITS = [str(k) for k in range(10)]
AVERAGES = [f"average {k}" for k in range(10)]
MAX_ROWS = 16


class LayerProjection(pn.viewable.Viewer):
    """The test subset's activations at one layer, projected on their first two principal components and
    coloured by true digit: clusters that separate are digits the layer already tells apart. Clicking a point
    selects that digit everywhere."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.layer = LayerSelect(session, self.refresh, default=-2)
        self.source = ColumnDataSource({"x": [], "y": [], "digit": [], "index": []})
        self.figure = figure(
            width=420, height=380, sizing_mode="scale_width", max_width=420, toolbar_location=None, tools="",
            x_axis_label="component 1",
        )  # fmt: skip
        self.figure.scatter(
            "x", "y", source=self.source, size=6, alpha=0.8, color=factor_cmap("digit", Category10_10, DIGITS),
        )  # fmt: skip
        # A legend entry per digit drawn from its colour alone: the points arrive later, so a legend grouped from
        # them would be empty (legend_group) or drawn from points not there yet (legend_field: a page error). Each
        # has one point at NaN, not drawn on the plot: the legend draws no glyph of a renderer without data.
        for digit, color in zip(DIGITS, Category10_10, strict=True):
            self.figure.scatter([np.nan], [np.nan], size=6, alpha=0.8, color=color, legend_label=digit)
        self.figure.legend.title = "digit"
        self.figure.add_layout(self.figure.legend[0], "right")
        self.figure.on_event(Tap, lambda event: self.pick_nearest(event.x, event.y))
        self.caption = html()

    def refresh(self) -> None:
        row = self.layer.row()
        if row is None:
            return
        outputs, labels = self.session.subset_outputs(row.index)
        coordinates, ratios = pca(outputs)
        order = np.argsort(labels, kind="stable")  # the legend lists digits in order
        self.source.data = {
            "x": coordinates[order, 0],
            "y": coordinates[order, 1],
            "digit": [DIGITS[k] for k in labels[order]],
            "index": self.session.test_subset[order],
        }
        self.figure.xaxis.axis_label = f"component 1 ({100 * ratios[0]:.0f}% of the variance)"
        self.figure.yaxis.axis_label = f"component 2 ({100 * ratios[1]:.0f}%)"
        self.caption.object = (
            f"<div class='pg-sub'>{test_digits_phrase(len(labels), len(self.session.y_test))} at {row.title}; "
            "each point is a digit, placed by the two directions in which the layer's outputs vary most; "
            "click one to select it</div>"
        )

    def pick_nearest(self, x: float | None, y: float | None) -> None:
        """Selects the test digit whose point is nearest to (x, y), distances scaled by each axis's spread."""
        data = self.source.data
        if x is None or y is None or not len(data["x"]):
            return
        points = np.column_stack([data["x"], data["y"]])
        spread = np.ptp(points, axis=0) + 1e-12
        nearest = int(np.argmin((((points - (x, y)) / spread) ** 2).sum(axis=1)))
        self.selection.pick_test_digit(self.session.x_test, self.session.y_test, data["index"][nearest])

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>LAYER PROJECTION (PCA)</div>")
        return pn.Column(heading, self.layer.widget, self.caption, self.figure)


class ActivationRows(pn.viewable.Viewer):
    """A row per chosen input (class averages, digits the student added), a column per neuron of a dense layer."""

    def __init__(self, session: MnistSession, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.session, self.selection = session, selection
        self.layer = LayerSelect(session, self.refresh, name="Dense layer", flat_only=True, default=0)
        self.images = {name: None for name in AVERAGES}  # row name -> image (1, S, S), None for a class average
        self.rows = pn.widgets.MultiChoice(
            name="Rows (remove with ×)", options=list(self.images), value=AVERAGES[:5], max_items=MAX_ROWS,
            sizing_mode="stretch_width", max_width=420,
        )  # fmt: skip
        self.rows.param.watch(lambda event: self.refresh(), "value")
        self.add = pn.widgets.Button(name="Add the selected digit", width=180)
        self.add.on_click(lambda event: self._add_selection())
        self.mapper = LinearColorMapper(palette=PALETTES["viridis"], low=0, high=1)
        self.source = ColumnDataSource({"image": [np.zeros((1, 1))], "dw": [1], "dh": [1]})
        self.figure = figure(
            height=200, sizing_mode="stretch_width", max_width=470, toolbar_location=None, tools="",
            x_axis_label="neuron", x_range=(0, 1), y_range=(0, 1),
        )  # fmt: skip
        self.figure.image("image", x=0, y=0, dw="dw", dh="dh", color_mapper=self.mapper, source=self.source)
        self.figure.add_layout(ColorBar(color_mapper=self.mapper, width=10, title="output"), "right")
        self.figure.grid.visible = False
        self.row_ticks = FixedTicker(ticks=[])  # one ticker whose ticks change: a list would make a new model each time
        self.figure.yaxis.ticker = self.row_ticks

    def _add_selection(self):
        name = self.selection.describe()
        self.images[name] = self.selection.image.copy()
        self.rows.options = list(self.images)
        self.rows.value = [*[row for row in self.rows.value if row != name], name][-MAX_ROWS:]

    def _inputs(self):
        """(row names, images (n, 1, S, S)) of the chosen rows; digits added at the other input size drop out."""
        x_test, y_test = self.session.x_test, self.session.y_test
        averages = class_averages(x_test, y_test)
        rows = [(name, self.images[name]) for name in self.rows.value]
        rows = [(name, averages[AVERAGES.index(name)] if image is None else image) for name, image in rows]
        rows = [(name, image) for name, image in rows if image.shape[-1] == x_test.shape[-1]]
        return [name for name, _ in rows], np.array([image for _, image in rows], dtype=x_test.dtype)

    def refresh(self) -> None:
        row = self.layer.row()
        names, images = self._inputs()
        if row is None or not names:
            return
        values = activation_rows(self.session.model, images, row.index)
        values = values[::-1].astype(np.float64)  # the first row on top
        self.mapper.update(low=float(min(values.min(), 0)), high=float(max(values.max(), 1e-6)))
        height, width = values.shape
        self.source.data = {"image": [values], "dw": [width], "dh": [height]}
        self.figure.x_range.update(start=0, end=width)
        self.figure.y_range.update(start=0, end=height)
        self.figure.height = 60 + 22 * height
        self.row_ticks.ticks = [k + 0.5 for k in range(height)]
        self.figure.yaxis.major_label_overrides = {k + 0.5: name for k, name in enumerate(reversed(names))}
        self.figure.title.text = f"outputs of {row.title}, viridis: dark low, yellow high"

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>ACTIVATION ROWS</div>")
        controls = pn.Row(self.layer.widget, self.add, stylesheets=[WRAP_ROW], styles=SHRINKS)
        return pn.Column(heading, controls, self.rows, self.figure, sizing_mode="stretch_width", max_width=480)
