"""The confusion matrices of a classification problem: training and test points, true class by row, prediction
by column, each class named and coloured as its points are on the output map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, HoverTool, Range1d

from playground.core import confusion
from playground.core.status import Status
from playground.sandbox import confusion as sandbox_confusion
from playground.widgets.styling import bare_figure, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

CELL = 64  # pixels per cell
LABEL_ROOM = 2.2  # cells left of the matrix for the row labels
HEAD_ROOM = 1.1  # cells above the matrix for the column labels
CELL_COLUMNS = ("x", "y", "count", "text", "color", "alpha", "share")


class ConfusionMatrix:
    """One split's matrix: cells coloured by the predicted class and the share of the row, counts written in."""

    def __init__(self, split: str) -> None:
        self.split = split
        self.cells = ColumnDataSource({key: [] for key in CELL_COLUMNS})
        self.labels = ColumnDataSource({"x": [], "y": [], "text": [], "align": []})
        self.swatches = ColumnDataSource({"x": [], "y": [], "color": []})
        self.figure = bare_figure(CELL, CELL, Range1d(0, 1), Range1d(0, 1), title=confusion.matrix_title(split, None))
        self.figure.title.text_font_size = "12px"
        cells = self.figure.rect(
            "x", "y", 0.96, 0.96, fill_color="color", fill_alpha="alpha", line_color="#bbbbbb", source=self.cells
        )
        self.figure.text("x", "y", text="text", text_align="center", text_baseline="middle", source=self.cells)
        self.figure.rect("x", "y", 0.28, 0.28, fill_color="color", line_color="#666666", source=self.swatches)
        self.figure.text(
            "x", "y", text="text", text_align="align", text_baseline="middle", text_font_size="11px", source=self.labels
        )
        self.figure.add_tools(HoverTool(renderers=[cells], tooltips=[("points", "@count"), ("", "@share")]))

    def show(self, counts: np.ndarray | None, classes: list[tuple[str, str]]) -> None:
        """Draws counts[true, predicted] with classes [(name, colour)]; None: the empty grid, "train to fill"."""
        n = len(classes)
        self.figure.width = round((n + LABEL_ROOM) * CELL)
        self.figure.height = round((n + HEAD_ROOM + 0.6) * CELL)
        self.figure.x_range.update(start=-0.5 - LABEL_ROOM, end=n - 0.5)
        self.figure.y_range.update(start=-1.1, end=n - 0.5 + HEAD_ROOM)
        cells = confusion.cells(np.zeros((n, n), np.int64) if counts is None else counts, classes)
        self.cells.data = cells if counts is not None else cells | {"text": [""] * n * n, "share": [""] * n * n}
        names, colors = [name for name, _ in classes], [color for _, color in classes]
        rows = [float(n - 1 - i) for i in range(n)]
        self.swatches.data = {
            "x": [-0.75] * n + list(map(float, range(n))),
            "y": rows + [n - 0.2] * n,
            "color": colors * 2,
        }
        self.labels.data = {
            "x": [-0.95] * n + [float(j) for j in range(n)] + [(n - 1) / 2, -0.5 - LABEL_ROOM / 2],
            "y": rows + [n + 0.25] * n + [-0.85, n + 0.25],
            "text": names + names + ["predicted →", "true ↓"],
            "align": ["right"] * n + ["center"] * n + ["center", "center"],
        }
        self.figure.title.text = confusion.matrix_title(self.split, counts)


class SandboxConfusion(pn.viewable.Viewer):
    """Training and test confusion matrices of a Session's model, redrawn by `refresh()`; regression has none."""

    def __init__(self, session: Session, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.matrices = [ConfusionMatrix(split) for split in confusion.SPLIT_TITLES]
        self.note = html(margin=(0, 5))

    def refresh(self) -> None:
        session = self.session
        if session.view.status == Status.ERROR or not session.data.n_classes:
            self.note.object = "<div class='pg-sub'>A confusion matrix needs a classification problem.</div>"
            for matrix in self.matrices:
                matrix.figure.visible = False
            return
        classes = sandbox_confusion.classes(session.data.n_classes)
        self.note.object = (
            "<div class='pg-sub'>Rows: the class a point has; columns: the class the network predicts. "
            "The diagonal counts the right answers; a cell is darker as it holds more of its row's points."
            + (" They fill once the network has trained: press Play, Step or Epoch." if session.view.step == 0 else "")
            + "</div>"
        )
        for matrix in self.matrices:
            matrix.figure.visible = True
            matrix.show(sandbox_confusion.playground_confusion(session, matrix.split), classes)

    def __panel__(self) -> pn.Column:
        figures = [pn.pane.Bokeh(matrix.figure, margin=(5, 30, 5, 5)) for matrix in self.matrices]
        return pn.Column(
            html("<h3 class='pg-heading'>CONFUSION MATRIX</h3>", margin=(0, 5)),
            self.note,
            pn.FlexBox(*figures),  # the test matrix below the training one on a phone
        )
