"""A canvas to draw a digit with mouse or finger (Bokeh's freehand draw tool); each stroke is rasterized the
way MNIST digits were prepared and becomes the selected digit, so every view shows what the network makes of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource, FreehandDrawTool

from playground.mnist.drawing import rasterize
from playground.widgets.styling import bare_figure, html

if TYPE_CHECKING:
    from playground.mnist.selection import Selection
    from playground.mnist.state import MnistState


class DrawingPad(pn.viewable.Viewer):
    """Strokes in a 0..28 square; `clear` empties it."""

    def __init__(self, state: MnistState, selection: Selection, **params: Any) -> None:
        super().__init__(**params)
        self.state, self.selection = state, selection
        self.source = ColumnDataSource({"xs": [], "ys": []})
        self.figure = bare_figure(224, 224, x_range=(0, 28), y_range=(0, 28))
        self.figure.background_fill_color = "#ffffff"
        self.figure.outline_line_color = "#888888"
        self.figure.css_classes = ["pg-drawing-pad"]  # for the browser tests
        lines = self.figure.multi_line(
            "xs", "ys", source=self.source, line_width=14, line_color="black", line_cap="round"
        )
        tool = FreehandDrawTool(renderers=[lines], num_objects=20)
        self.figure.add_tools(tool)
        self.figure.toolbar.active_drag = tool
        self.source.on_change("data", lambda attr, old, new: self.use())
        self.clear = pn.widgets.Button(name="Clear", width=80)
        self.clear.on_click(lambda event: self.source.update(data={"xs": [], "ys": []}))

    def use(self) -> None:
        """Makes the drawing the selected digit; an emptied pad empties a selected drawing."""
        strokes = list(zip(self.source.data["xs"], self.source.data["ys"], strict=True))
        if strokes:
            self.selection.use_drawing(rasterize(strokes, self.state.input_size))
        else:
            self.selection.clear_drawing()

    def __panel__(self) -> pn.Column:
        heading = html("<div class='pg-heading'>DRAW A DIGIT</div><div class='pg-sub'>with the mouse or a finger</div>")
        return pn.Column(heading, self.figure, self.clear)
