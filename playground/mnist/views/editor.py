"""The MNIST lab's architecture editor (a row per layer with its fields, output shape and parameter count) and
the block diagram of the stack, both from `architecture.summarize`, so a stack that cannot be built is explained
before training."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn
from bokeh.models import ColumnDataSource

from playground.core.palette import CLASS_COLORS
from playground.mnist.architecture import (
    FIELD_CHOICES,
    LAYER_DEFAULTS,
    insert_layer,
    remove_layer,
    set_field,
    summarize,
)
from playground.widgets.access import setting_class, setting_widget
from playground.widgets.alert import Alert
from playground.widgets.styling import SHRINKS, SMALL_BUTTON, WRAP_ROW, bare_figure, html

if TYPE_CHECKING:
    from playground.mnist.state import MnistState

KIND_COLORS = {
    "conv2d": CLASS_COLORS[1],
    "maxpool2d": CLASS_COLORS[4],
    "avgpool2d": CLASS_COLORS[4],
    "dense": CLASS_COLORS[0],
    "flatten": "#999999",
    "dropout": CLASS_COLORS[3],
    "batchnorm": CLASS_COLORS[2],
}
ACTIVATION_COLOR = "#cccccc"
ROW_HEIGHT = 24
MARK_COLOR = "#ffd54f"  # the band behind a marked block, as the sandbox's diagram marks a column
LAYERS_CONTROL = [setting_class("layers")]  # every control that edits the stack (lessons lock or hide them together)


def shape_text(shape: Sequence[int]) -> str:
    return "×".join(str(side) for side in shape)


class ArchitectureEditor(pn.viewable.Viewer):
    """Edits `state.layers`: fields per layer, a layer of the chosen kind added below any row, or removed."""

    def __init__(self, state: MnistState, **params: Any) -> None:
        super().__init__(**params)
        self.state = state
        self.kind = pn.widgets.Select(
            name="New layer", options=list(LAYER_DEFAULTS), value="conv2d", width=100, css_classes=LAYERS_CONTROL
        )
        self.preset = setting_widget(pn.widgets.Select, state.param.preset, name="Preset", width=130)
        self.input_size = setting_widget(pn.widgets.Select, state.param.input_size, name="Input", width=70)
        self.error = Alert(alert_type="danger", visible=False, sizing_mode="stretch_width")
        self.rows = pn.Column(sizing_mode="stretch_width")
        self.total = html()
        self.rebuild()
        state.param.watch(lambda *events: self.rebuild(), ["layers", "input_size"])

    def rebuild(self) -> None:
        summary = summarize(self.state.layers, self.state.input_size)
        shapes = {row.index: row for row in summary.rows}
        self.error.object, self.error.visible = escape(summary.error, quote=False), bool(summary.error)
        rows = [self._row(-1, None, shapes[-1])]
        rows += [self._row(index, entry, shapes.get(index)) for index, entry in enumerate(self.state.layers)]
        self.rows.objects = rows
        self.total.object = (
            f"<div class='pg-sub'>{summary.total:,d} trainable parameters</div>" if not summary.error else ""
        )

    def _row(self, index, entry, row):
        label = "input" if entry is None else f"{index} {entry['type']}"
        shape = f"→ {shape_text(row.output_shape)} · {row.params:,d}" if row else "→ ?"
        widgets = (
            []
            if entry is None
            else [self._field(index, name, value) for name, value in entry.items() if name != "type"]
        )
        add = pn.widgets.Button(
            name="+ below",
            width=64,
            description=f"Add a {self.kind.value} layer below",
            stylesheets=[SMALL_BUTTON],
            css_classes=LAYERS_CONTROL,
        )
        add.on_click(lambda event: self._edit(insert_layer(self.state.layers, index + 1, self.kind.value)))
        buttons = [add]
        if entry is not None:
            remove = pn.widgets.Button(
                name="× remove",
                width=70,
                description="Remove this layer",
                stylesheets=[SMALL_BUTTON],
                css_classes=LAYERS_CONTROL,
            )
            remove.on_click(lambda event: self._edit(remove_layer(self.state.layers, index)))
            buttons.append(remove)
        text = html(f"<div class='pg-sub'><b>{label}</b> {shape}</div>", width=185, margin=(6, 2, 0, 2))
        header = pn.Row(text, *buttons, margin=0, stylesheets=[WRAP_ROW], styles=SHRINKS)
        return pn.Column(header, pn.Row(*widgets, margin=(0, 0, 4, 16)), margin=0) if widgets else header

    def _field(self, index, name, value):
        settings = dict(name=name.replace("_", " "), margin=(0, 3), css_classes=LAYERS_CONTROL)
        if name in FIELD_CHOICES:
            widget = pn.widgets.Select(options=FIELD_CHOICES[name], value=value, width=80, **settings)
        elif isinstance(value, float):
            widget = pn.widgets.FloatInput(value=value, step=0.05, start=0.0, end=0.95, width=72, **settings)
        else:
            widget = pn.widgets.IntInput(value=value, start=1, end=512, width=72, **settings)
        widget.param.watch(lambda event: self._edit(set_field(self.state.layers, index, name, event.new)), "value")
        return widget

    def _edit(self, layers):
        self.state.layers = layers

    def __panel__(self) -> pn.Column:
        return pn.Column(
            html("<div class='pg-heading'>ARCHITECTURE</div>"),
            pn.Row(self.preset, self.input_size, self.kind, stylesheets=[WRAP_ROW], styles=SHRINKS),
            self.error,
            self.rows,
            self.total,
            sizing_mode="stretch_width",
            max_width=390,
            styles=SHRINKS,  # narrower than 390 px on a phone
        )


class BlockDiagram(pn.viewable.Viewer):
    """The stack as blocks top to bottom, each as wide as the log of its output size, labelled with its shape; one
    layer's block may be marked (`highlight`)."""

    def __init__(self, state: MnistState, **params: Any) -> None:
        super().__init__(**params)
        self.state = state
        self.source = ColumnDataSource({"y": [], "width": [], "middle": [], "end": [], "color": [], "text": []})
        self.figure = bare_figure(400, 100, x_range=(0, 2.4), y_range=(0, 1))
        self.figure.rect(x="middle", y="y", width="width", height=0.8, color="color", source=self.source)
        self.figure.text(x="end", y="y", text="text", source=self.source, text_font_size="11px", text_baseline="middle")
        # The row of the marked block, if any: a glyph's data, not a BoxAnnotation (showing one the first time took
        # about a second on the site).
        self.marked = ColumnDataSource({"y": []})
        self.figure.rect(x=1.2, y="y", width=2.4, height=1, color=MARK_COLOR, alpha=0.6, source=self.marked,
                         level="underlay")  # fmt: skip
        self.refresh()
        state.param.watch(lambda *events: self.refresh(), ["layers", "input_size"])

    def refresh(self) -> None:
        """The blocks of the current stack (no block marked: its layers may be others now)."""
        self.highlight(None)
        summary = summarize(self.state.layers, self.state.input_size)
        rows = summary.rows
        biggest = max(math.log10(1 + math.prod(row.output_shape)) for row in rows)
        kinds = ["input", *(entry["type"] for entry in self.state.layers)]
        self.figure.height = ROW_HEIGHT * len(rows) + 10
        self.figure.y_range.update(start=-len(rows) + 0.4, end=0.6)
        widths = [1.2 * math.log10(1 + math.prod(row.output_shape)) / biggest for row in rows]
        self.source.data = {
            "y": [-k for k in range(len(rows))],
            "width": widths,
            "middle": [w / 2 for w in widths],
            "end": [w + 0.05 for w in widths],
            "color": [KIND_COLORS.get(kind, ACTIVATION_COLOR) for kind in kinds[: len(rows)]],
            "text": [f"{row.label}  {shape_text(row.output_shape)}" for row in rows],
        }

    def highlight(self, layer: int | None) -> None:
        """Marks model layer `layer`'s block (the row below the input's) with a band behind it; None removes it."""
        self.marked.data = {"y": [] if layer is None else [-layer - 1]}

    def __panel__(self) -> pn.Column:
        return pn.Column(html("<div class='pg-heading'>BLOCKS AND OUTPUT SHAPES</div>"), self.figure)
