"""How large each layer's weight gradient is, epoch by epoch (core/gradient_health.py): the doctor's chart (what it
means when the first layer's is vanishingly small or explosively large is the doctor's, `views/doctor_view.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.palettes import Category10_10
from bokeh.plotting import figure

from playground.core.gradient_health import PERSIST, RATIO
from playground.core.names import parameter_title
from playground.core.status import Status
from playground.widgets.styling import SHRINKS, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

MAX_LINES = len(Category10_10)  # weight matrices drawn (the sandbox has at most 7)
HEALTHY = (
    "Each line is a weight matrix's gradient norm at the last update of each epoch (log scale). Lines far apart mean "
    "some layers learn much faster than others; a gap of {ratio:,.0f} times or more for {persist} epochs is reported."
)

ZERO = (
    "Where a line breaks, that gradient was exactly 0: no error reached those weights (a layer whose neurons are all "
    "dead passes none back)."
)


class GradientsView(pn.viewable.Viewer):
    """The gradient norms of `session`'s run per weight matrix, redrawn by `refresh`."""

    def __init__(self, session: Session, **params: Any) -> None:
        super().__init__(**params)
        self.session = session
        self.sources = [ColumnDataSource({"epoch": [], "norm": []}) for _ in range(MAX_LINES)]
        self.figure = figure(height=260, width=520, y_axis_type="log", tools="", toolbar_location=None,
                             sizing_mode="scale_width", max_width=520, x_axis_label="epoch",
                             y_axis_label="gradient norm")  # fmt: skip
        self.lines = [
            self.figure.line("epoch", "norm", source=source, line_width=2, color=color, legend_label=f"line {k}")
            for k, (source, color) in enumerate(zip(self.sources, Category10_10, strict=True))
        ]
        legend = self.figure.legend[0]  # above the lines, not on them
        legend.update(orientation="horizontal", ncols=4, label_text_font_size="10px", margin=0, padding=2)
        self.figure.center.remove(legend)
        self.figure.add_layout(legend, "above")
        self.told = html(margin=(0, 5), sizing_mode="stretch_width")

    def refresh(self) -> None:
        session = self.session
        if session.view.status == Status.ERROR:
            return
        history = session.gradients
        names = list(history.norms)[:MAX_LINES]  # in the model's order, first layer first
        titles = session.weights.layer_titles
        for k, (source, line) in enumerate(zip(self.sources, self.lines, strict=True)):
            norms = history.norms[names[k]] if k < len(names) else []
            source.data = {"epoch": history.epochs if norms else [], "norm": norms}
            line.visible = bool(norms)
        for item, name in zip(self.figure.legend[0].items, [*names, *[""] * MAX_LINES], strict=False):
            item.visible = bool(name)
            if name:
                item.label = {"value": parameter_title(name, titles)}
        text = HEALTHY.format(ratio=RATIO, persist=PERSIST) if history.epochs else (
            "Gradients appear here at the end of each epoch of training.")  # fmt: skip
        if any(0 in history.norms[name] for name in names):  # a log scale cannot draw 0: say what the gap is
            text += f" {ZERO}"
        self.told.object = f"<div class='pg-sub'>{text}</div>"

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.pane.Bokeh(self.figure, margin=(0, 5), sizing_mode="scale_width", max_width=520),
            self.told,
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
