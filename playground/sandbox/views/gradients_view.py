"""How large each layer's weight gradient is, epoch by epoch (core/gradient_health.py), and what it means when the
first layer's is vanishingly small or explosively large next to the output's, with one-click remedies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource
from bokeh.palettes import Category10_10
from bokeh.plotting import figure

from playground.core.gradient_health import PERSIST, RATIO, gradient_finding
from playground.core.names import parameter_title
from playground.core.status import Status
from playground.widgets.styling import SHRINKS, WRAP_ROW, html

if TYPE_CHECKING:
    from playground.sandbox.session import Session

RELUS = ("relu", "leaky_relu")  # a vanishing gradient through these comes from dead units, not small slopes
MAX_LINES = len(Category10_10)  # weight matrices drawn (the sandbox has at most 7)
ADVICE = {
    "vanishing": (
        "<b>Vanishing gradients.</b> The first layer's weights get a gradient {ratio} times smaller than the output "
        "layer's, so they hardly learn: on its way back, the error is multiplied by each layer's activation slope, "
        "and {activation}'s are small. Try ReLU, or fewer layers."
    ),
    "vanishing, relu": (
        "<b>Vanishing gradients.</b> The first layer's weights get a gradient {ratio} times smaller than the output "
        "layer's, so they hardly learn: ReLUs that give 0 pass no gradient back. Lower the learning rate and press "
        "Reset, or use fewer layers."
    ),
    "exploding": (
        "<b>Exploding gradients.</b> The first layer's weights get a gradient {ratio} times larger than the output "
        "layer's: each layer on the way back makes the error larger, and a step that size throws those weights far. "
        "Lower the learning rate, or use fewer layers."
    ),
}
HEALTHY = (
    "Each line is a weight matrix's gradient norm at the last update of each epoch (log scale). Lines far apart mean "
    "some layers learn much faster than others; a gap of {ratio:,.0f} times or more for {persist} epochs is reported."
)


class GradientsView(pn.viewable.Viewer):
    """The gradient norms of `session`'s run per weight matrix, the finding and its remedies, redrawn by `refresh`."""

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
        self.to_relu = pn.widgets.Button(name="Switch the hidden layers to ReLU", width=260, visible=False)
        self.lower_rate = pn.widgets.Button(name="Lower the learning rate ten times", width=260, visible=False)
        self.to_relu.on_click(lambda event: self._apply(activation="relu", layer_activations=[]))
        self.lower_rate.on_click(lambda event: self._apply(learning_rate=self._lower_rate()))

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
        finding = gradient_finding(history)
        relu = session.state.activation in RELUS
        self.to_relu.visible = finding is not None and finding.kind == "vanishing" and not relu
        self.lower_rate.visible = finding is not None and finding.kind == "exploding"
        if finding is None:
            text = HEALTHY.format(ratio=RATIO, persist=PERSIST) if history.epochs else (
                "Gradients appear here at the end of each epoch of training.")  # fmt: skip
            self.told.object = f"<div class='pg-sub'>{text}</div>"
            return
        ratio = finding.ratio if finding.kind == "exploding" else 1 / finding.ratio
        key = f"{finding.kind}, relu" if finding.kind == "vanishing" and relu else finding.kind
        advice = ADVICE[key].format(ratio=f"{ratio:,.0f}", activation=session.state.activation)
        self.told.object = f"<div class='pg-sub pg-finding'>{advice}</div>"

    def _lower_rate(self) -> float:
        rates = self.session.smaller_rates()
        return rates[-1] if rates else self.session.learning_rates[0]

    def _apply(self, **settings: Any) -> None:
        self.session.state.param.update(**settings)

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.pane.Bokeh(self.figure, margin=(0, 5), sizing_mode="scale_width", max_width=520),
            self.told,
            pn.Row(self.to_relu, self.lower_rate, stylesheets=[WRAP_ROW]),
            sizing_mode="stretch_width",
            styles=SHRINKS,
        )
