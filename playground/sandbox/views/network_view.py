"""The network column: the node-link diagram with a heatmap in every node, and the controls that edit it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import panel as pn
from bokeh.core.properties import validate
from bokeh.models import BoxAnnotation, ColumnDataSource, CustomJSHover, HoverTool, Range1d, TapTool

from playground.core.palette import sign_colors
from playground.core.status import Status
from playground.sandbox import diagram
from playground.sandbox.doctor import dead_counts
from playground.sandbox.heatmaps import node_stride
from playground.sandbox.output import node_label, node_title
from playground.sandbox.state import FEATURES, HIDDEN_ACTIVATIONS, MAX_LAYERS, MAX_WIDTH, PlaygroundState
from playground.sandbox.views.parameter_view import ParameterView
from playground.widgets.access import setting_class, setting_widget
from playground.widgets.styling import HIDDEN_LABEL, SHRINKS, WRAP_ROW, bare_figure, grows_from, html

if TYPE_CHECKING:
    from playground.sandbox.heatmaps import Maps
    from playground.sandbox.session import Session

WIDTH, HEIGHT = 560, 420  # the diagram at full size; on a narrower screen it scales down, keeping its shape
MIN_WIDTH = 300  # the column shrinks to this before it wraps below the data column (or the screen's width)
LABEL_ROOM = 1.0  # diagram units left of the input column for the input labels
MAX_NODE_PX = 64
NODE_SHARE = 0.8  # of the vertical spacing a node picture may take, so pictures never touch
EDGE_COLUMNS = ("x0", "y0", "x1", "y1", "width", "color", "weight", "grad", "source", "target", "param", "i", "j")
EDGE_TITLE = "title"  # "X₁ → layer 1, neuron 2": the edge menu's entry and the hover's first line
NODE_COLUMNS = ("dw", "dh", "cx", "cy", "node", "title", "bias", "grad", "outline", "outline_width")
NO_GRADIENT = "none yet: train a step"
# The edges' dLoss/dw goes to the page as numbers (NaN before the first update) and is written out only on hover: as
# text for each of an 8 x 16 network's 1,840 edges it was part of every frame. Bokeh writes a NaN field "NaN" before
# any formatter sees it, so the hover formats a field that is never NaN ("@i", "@cx") with code that reads the row's
# own numbers. A node's bias and dLoss/db too ("bias" NaN: an input).
GRADIENT_WORDS = f"(grad) => Number.isNaN(grad) ? {json.dumps(NO_GRADIENT)} : String(Number(grad.toPrecision(4)))"
GRADIENT_TEXT = f"return ({GRADIENT_WORDS})(source.data.grad[special_vars.index])"
NODE_TEXT = (
    "const i = special_vars.index, bias = source.data.bias[i];"
    " if (Number.isNaN(bias)) return 'an input (click: see it large)';"
    f" return `bias ${{bias.toFixed(3)}}, dLoss/db ${{({GRADIENT_WORDS})(source.data.grad[i])}}`"
    " + ' (click: see it large, and its bias below)'"
)
DEAD_COLOR = "#c0392b"  # the crosses over dead ReLU neurons and their counts
DEAD_LEGEND = " Crosses: dead ReLUs, 0 for every training point; the Doctor under More views says what to do."
LEGENDS = {
    "weights": "Edges: weights, blue positive, orange negative, wider when larger.",
    "gradients": (
        "Edges: dLoss/dw of the last update's batch; outlines: dLoss/db, each neuron's delta summed over the batch. "
        "Blue positive, orange negative, wider when larger: the update moves every weight against its gradient."
    ),
    "gradients, none yet": "Gradients appear after the first update: press Step or Play.",
}


def node_numbers(nodes: list[str], biases: dict[str, float], bias_grads: dict[str, float]) -> dict[str, np.ndarray]:
    """{"bias", "grad"} of each node for hovering (NODE_TEXT): NaN where it has none (an input; no update yet)."""
    return {
        "bias": np.array([biases.get(node, np.nan) for node in nodes], dtype=np.float64),
        "grad": np.array([bias_grads.get(node, np.nan) for node in nodes], dtype=np.float64),
    }


def edge_view(
    state: PlaygroundState, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """The edges' looks for the diagram's mode: weight, width and colour by the weights, or width and colour by
    the gradients when state.network_shows them and there are some; "grad", dLoss/dw for hovering (NaN: none yet).
    Colours are 32-bit RGBA numbers (`sign_colors`)."""
    looks = diagram.edge_looks(state, params, colors=sign_colors)
    if not grads:
        return looks | {"grad": np.full(len(looks["weight"]), np.nan)}
    by_gradient = diagram.edge_looks(state, grads, floor=0.0, colors=sign_colors)
    if state.network_shows == "gradients":
        looks |= {"width": by_gradient["width"], "color": by_gradient["color"]}
    return looks | {"grad": by_gradient["weight"]}


def node_outlines(state: PlaygroundState, node_ids: list[str], grads: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Node outlines by dLoss/db in the gradient view, none otherwise; colours as RGBA numbers (`sign_colors`)."""
    shown = diagram.biases(state, grads) if grads and state.network_shows == "gradients" else {}
    return diagram.node_outlines(node_ids, shown, colors=sign_colors)


def layer_header(layer: int, dead: int = 0, width: int = 0) -> str:
    """The name above hidden layer `layer`'s column (from 0), with its count of dead neurons if any: "· 3✕", short
    enough for the narrowest column, read out and shown on hover as "3 of 8 dead"."""
    words = f"{dead} of {width} dead"
    count = (
        f" <b class='pg-dead' role='img' aria-label='{words}' title='{words} (crossed in the diagram)'"
        f" style='color: {DEAD_COLOR}'>· {dead}\u2715</b>"
    )
    return f"<div class='pg-layer-label' style='white-space: nowrap'>Layer {layer + 1}{count if dead else ''}</div>"


def x_range(n_columns: int) -> tuple[float, float]:
    """(start, end) of the diagram's x axis: half a gap around the columns, and room for the input labels."""
    return -diagram.LAYER_GAP / 2 - LABEL_ROOM, (n_columns - 0.5) * diagram.LAYER_GAP


def y_range(state: PlaygroundState) -> tuple[float, float]:
    """(start, end) of the diagram's y axis: room for the tallest column (3 nodes at least) centred on 0."""
    tallest = max(3, *diagram.column_sizes(state))
    return -(tallest / 2) * diagram.NODE_GAP, (tallest / 2) * diagram.NODE_GAP


def node_pixels(state: PlaygroundState) -> float:
    """A node's width in pixels with the diagram at full size (WIDTH x HEIGHT): NODE_SIZE wide at most, never
    touching its neighbours, MAX_NODE_PX at most."""
    (x_start, x_end), (y_start, y_end) = x_range(len(diagram.column_sizes(state))), y_range(state)
    px_per_x, px_per_y = WIDTH / (x_end - x_start), HEIGHT / (y_end - y_start)
    return min(diagram.NODE_SIZE * px_per_x, NODE_SHARE * diagram.NODE_GAP * px_per_y, MAX_NODE_PX)


def share(box_width: int) -> dict[str, str]:
    """The CSS of a box above the diagram: its part of the row is box_width / WIDTH, so the boxes keep standing
    over their columns when the diagram is drawn narrower than WIDTH."""
    return {"flex": f"{box_width} {box_width} 0px", "min-width": "0"}


def column_widths(n_columns: int) -> list[int]:
    """Pixel widths of n_columns boxes that tile WIDTH exactly, box c over diagram column c (the first one
    also over the input labels)."""
    start, end = x_range(n_columns)
    bounds = [start, *((c + 0.5) * diagram.LAYER_GAP for c in range(n_columns - 1)), end]
    edges = [round((x - start) * WIDTH / (end - start)) for x in bounds]
    return [right - left for left, right in zip(edges, edges[1:], strict=False)]


class NetworkView(pn.viewable.Viewer):
    """The diagram of a Session's network, redrawn in place by `refresh()`; `rebuild()` after shape changes."""

    def __init__(
        self,
        session: Session,
        on_node: Callable[[str], None] = lambda node: None,
        on_edit: Callable[[], None] = lambda: None,
        **params: Any,
    ) -> None:
        """`on_node(node id)` is called when the student clicks a node, `on_edit()` after they type a number."""
        super().__init__(**params)
        self.session, state = session, session.state
        self.edges = ColumnDataSource({key: [] for key in (*EDGE_COLUMNS, EDGE_TITLE)})
        self.nodes = ColumnDataSource({key: [] for key in NODE_COLUMNS})
        self.pictures = ColumnDataSource({key: [] for key in ("image", "x", "y", "dw", "dh")})  # one per column
        self.labels = ColumnDataSource({"x": [], "y": [], "text": []})
        self.figure = bare_figure(
            WIDTH, HEIGHT, Range1d(0, 1), Range1d(-1, 1), sizing_mode="scale_width", max_width=WIDTH
        )
        # The column the step-by-step backprop is at, when it is open.
        self.band = BoxAnnotation(fill_color="#ffd54f", fill_alpha=0.25, line_color=None, visible=False)
        self.figure.add_layout(self.band)
        edge_renderer = self.figure.segment(
            "x0", "y0", "x1", "y1", line_width="width", line_color="color", line_alpha=0.75, source=self.edges
        )
        self.figure.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.pictures)
        # Invisible squares over the node pictures: what hovering and clicking hit.
        # In the gradient view their outlines show dLoss/db.
        node_renderer = self.figure.rect(
            "cx", "cy", "dw", "dh", fill_alpha=0, line_color="outline", line_width="outline_width", source=self.nodes
        )
        self.figure.text(
            "x", "y", text="text", source=self.labels, text_align="right", text_baseline="middle", text_font_size="10px"
        )
        # Dead ReLU neurons (the doctor's, sandbox/doctor.py): a cross over each; "· 3✕" above the column.
        self.dead = ColumnDataSource({"x": [], "y": [], "size": []})
        self.figure.scatter("x", "y", marker="x", size="size", source=self.dead, line_color=DEAD_COLOR, line_width=3)
        self.headers = []  # each hidden layer's name above its column
        self.figure.add_tools(
            HoverTool(
                renderers=[edge_renderer],
                tooltips=[
                    ("", "@title"),
                    ("weight", "@weight{0.000}"),
                    ("dLoss/dw", "@i{custom}"),
                    ("click", "its story below; type a new value"),
                ],
                formatters={"@i": CustomJSHover(args={"source": self.edges}, code=GRADIENT_TEXT)},
            ),
            HoverTool(
                renderers=[node_renderer],
                tooltips=[("", "@title"), ("", "@cx{custom}")],
                formatters={"@cx": CustomJSHover(args={"source": self.nodes}, code=NODE_TEXT)},
            ),
            TapTool(renderers=[edge_renderer, node_renderer]),
        )
        # One number of the network: clicking an edge chooses its weight, clicking a neuron its bias (and shows the
        # neuron large); the menu is the keyboard's way to the same.
        self.parameter = ParameterView(session, on_edit)
        self._on_node = on_node
        self.nodes.selected.on_change("indices", lambda _, old, new: self._clicked(self.nodes, new, self.choose_node))
        self.edges.selected.on_change("indices", lambda _, old, new: self._clicked(self.edges, new, self.choose_edge))

        self.layer_count = html(margin=(8, 5))
        layers = [setting_class("hidden_layers")]
        self.add_layer = pn.widgets.Button(name="+ Add layer", button_type="light", width=110, css_classes=layers)
        self.remove_layer = pn.widgets.Button(name="− Remove layer", button_type="light", width=130, css_classes=layers)
        self.add_layer.on_click(lambda event: session.add_layer())
        self.remove_layer.on_click(lambda event: session.remove_layer())
        self.keep = setting_widget(pn.widgets.Checkbox, state.param.keep_weights, name="Keep trained weights on edits")
        self.width_inputs = pn.Row(margin=0, sizing_mode="stretch_width", max_width=WIDTH, styles=SHRINKS)
        self.shows = setting_widget(
            pn.widgets.RadioButtonGroup, state.param.network_shows, name="Show", button_type="light", width=170
        )
        self.legend = html(margin=(0, 5), sizing_mode="stretch_width", min_width=200, max_width=WIDTH - 230)

    def rebuild(self, maps: Maps | None) -> None:
        """New layer controls, ranges and layout for the current shape, then `refresh(maps)`."""
        state, columns = self.session.state, diagram.layer_node_ids(self.session.state)
        n_hidden = len(state.hidden_layers)
        self.layer_count.object = f"<b>{n_hidden}</b> hidden layer{'s' if n_hidden != 1 else ''}"
        boxes = []
        for column, box_width in enumerate(column_widths(len(columns))):
            if column == 0 or column == len(columns) - 1:
                label = "Inputs" if column == 0 else "Output"
                text = html(f"<div class='pg-col-label'>{label}</div>", sizing_mode="stretch_width", margin=0)
                boxes.append(pn.Column(text, width=box_width, margin=0, styles=share(box_width)))
            else:
                boxes.append(self._layer_controls(column - 1, box_width))
        self.width_inputs.objects = boxes
        (x_start, x_end), (y_start, y_end) = x_range(len(columns)), y_range(state)
        self.figure.x_range.update(start=x_start, end=x_end)
        self.figure.y_range.update(start=y_start, end=y_end)
        self._lay_out()
        self.refresh(maps)

    def _layer_controls(self, layer, box_width):
        """Above hidden layer `layer`'s column: its neuron count and its activation, both centred on the column."""
        state = self.session.state
        inner = dict(sizing_mode="stretch_width", margin=(1, 4), stylesheets=[HIDDEN_LABEL])
        spinner = pn.widgets.IntInput(
            name=f"Layer {layer + 1} neurons",
            value=state.hidden_layers[layer],
            start=1,
            end=MAX_WIDTH,
            css_classes=[setting_class("hidden_layers")],
            **inner,
        )
        spinner.param.watch(lambda event: self._set_width(layer, event.new), "value")
        activation = pn.widgets.Select(
            name=f"Layer {layer + 1} activation",
            value=state.layer_activation(layer),
            options=HIDDEN_ACTIVATIONS,
            css_classes=[setting_class("layer_activations")],
            **inner,
        )
        activation.param.watch(lambda event: self.session.set_layer_activation(layer, event.new), "value")
        header = html(layer_header(layer), sizing_mode="stretch_width", margin=0)
        self.headers[layer:] = [header]
        return pn.Column(header, spinner, activation, width=box_width, margin=0, styles=share(box_width))

    def highlight(self, column: int | None) -> None:
        """Marks diagram column `column` (0: the inputs) with a band behind it; None removes the band."""
        if column is not None:
            self.band.update(left=(column - 0.45) * diagram.LAYER_GAP, right=(column + 0.45) * diagram.LAYER_GAP)
        self.band.visible = column is not None

    def limit_layer_buttons(self) -> None:
        """No adding past MAX_LAYERS hidden layers nor removing below none (after access has been applied)."""
        n_hidden = len(self.session.state.hidden_layers)
        self.add_layer.disabled = self.add_layer.disabled or n_hidden >= MAX_LAYERS
        self.remove_layer.disabled = self.remove_layer.disabled or n_hidden == 0

    def _set_width(self, layer, width):
        current = self.session.state.hidden_layers[layer]
        edit = self.session.add_neuron if width > current else self.session.remove_neuron
        for _ in range(abs(width - current)):
            edit(layer)

    def _clicked(self, source, indices, action):
        """Calls action with the clicked row's node id or edge index, then clears the selection."""
        if indices:
            row = indices[0]
            source.selected.indices = []
            action(source.data["node"][row] if source is self.nodes else row)

    def choose_edge(self, row: int) -> None:
        """Chooses edge `row`'s weight for the value input and its story (what clicking an edge does)."""
        data = self.edges.data
        self.parameter.choose((data["param"][row], (int(data["i"][row]), int(data["j"][row]))))

    def choose_node(self, node: str) -> None:
        """Shows neuron `node` large (`on_node`) and chooses its bias (what clicking a neuron does)."""
        self._on_node(node)
        self.parameter.choose_node(node)

    def _lay_out(self):
        """Where every node, edge and input label goes; refresh() then only changes pictures, widths and colours."""
        state = self.session.state
        if self.session.view.status == Status.ERROR:
            return
        positions = diagram.node_positions(state)
        dw, dh = self._node_size()
        xs, ys = (np.array([p[k] for p in positions.values()]) for k in (0, 1))
        self.nodes.data = {
            "dw": np.full(len(xs), dw),
            "dh": np.full(len(xs), dh),
            "cx": xs,
            "cy": ys,
            "node": list(positions),
            "title": [node_title(node, state) for node in positions],
            "bias": np.full(len(xs), np.nan),
            "grad": np.full(len(xs), np.nan),
        } | node_outlines(state, list(positions), {})
        view = self.session.view
        edges = diagram.edges(state, view.params) | edge_view(state, view.params, view.grads)
        names = [node_label(node, state) for node in (*edges["source"], *edges["target"])]
        n = len(edges["source"])
        labels = [f"{source} → {target}" for source, target in zip(names[:n], names[n:], strict=True)]
        self.edges.data = {key: edges[key] for key in EDGE_COLUMNS} | {EDGE_TITLE: labels}
        self.parameter.lay_out(edges)
        inputs = [positions[f"in:{name}"] for name in state.input_names]
        self.labels.data = {
            "x": [x - dw / 2 - 0.1 for x, _ in inputs],
            "y": [y for _, y in inputs],
            "text": [FEATURES[name].label for name in state.input_names],
        }

    def refresh(self, maps: Maps | None) -> None:
        """Node pictures from `maps` (heatmaps.Maps); edge widths and colours from the current weights or the last
        update's gradients (state.network_shows), node outlines from dLoss/db in the gradient view."""
        state, view = self.session.state, self.session.view
        shown = state.network_shows if view.grads or state.network_shows == "weights" else "gradients, none yet"
        dead = DEAD_LEGEND if self.session.dead_neurons() else ""
        self.legend.object = f"<div class='pg-sub'>{LEGENDS[shown]}{dead}</div>"
        if view.status == Status.ERROR:
            return
        nodes = self.nodes.data["node"]
        biases, bias_grads = diagram.biases(state, view.params), diagram.biases(state, view.grads) if view.grads else {}
        # Bokeh would check every item of every column again (half the redraw of a large network); these
        # columns come from the tested view models, laid out by _lay_out with validation on.
        with pn.io.hold(), validate(False):
            self.edges.data.update(edge_view(state, view.params, view.grads))
            pictures = maps.node_pictures(nodes, node_stride(node_pixels(state)))
            self.pictures.data = diagram.column_pictures(state, pictures, *self._node_size())
            self.nodes.data.update(
                **node_numbers(nodes, biases, bias_grads),
                **node_outlines(state, nodes, view.grads),
            )
        self._mark_dead()
        self.parameter.refresh()  # not while training: a new value would overwrite what the student is typing

    def _mark_dead(self) -> None:
        """A cross over every dead ReLU neuron and its layer's count under its column (none when there are none)."""
        dead, counts = self.session.dead_neurons(), dead_counts(self.session)
        positions = diagram.node_positions(self.session.state)
        crosses = [positions.get(f"h{layer}:{neuron}") for layer, neurons in dead.items() for neuron in neurons]
        crosses = [xy for xy in crosses if xy is not None]  # a network edit may have removed the neuron since
        size = 0.8 * node_pixels(self.session.state)
        if crosses or self.dead.data["x"]:
            self.dead.data = {"x": [x for x, _ in crosses], "y": [y for _, y in crosses], "size": [size] * len(crosses)}
        for layer, header in enumerate(self.headers):
            dead_here, width = counts.get(layer, (0, 0))
            header.object = layer_header(layer, dead_here, width)

    def _node_size(self):
        """(dw, dh) in data units of a square node (`node_pixels`)."""
        x_range, y_range = self.figure.x_range, self.figure.y_range
        pixels = node_pixels(self.session.state)
        return pixels * (x_range.end - x_range.start) / WIDTH, pixels * (y_range.end - y_range.start) / HEIGHT

    def __panel__(self) -> pn.Column:
        return pn.Column(
            pn.Row(
                html("<h3 class='pg-heading'>NETWORK</h3>", margin=(0, 5)),
                self.add_layer,
                self.remove_layer,
                self.layer_count,
                stylesheets=[WRAP_ROW],
            ),
            self.width_inputs,
            pn.pane.Bokeh(self.figure, margin=0, sizing_mode="scale_width", max_width=WIDTH),
            pn.Row(
                html("<div class='pg-sub'>Show</div>", margin=(10, 0, 0, 5)),
                self.shows,
                self.legend,
                stylesheets=[WRAP_ROW],
                styles=SHRINKS,
            ),
            self.parameter,
            self.keep,
            sizing_mode="stretch_width",
            max_width=WIDTH + 10,
            styles=grows_from(MIN_WIDTH),  # in a wrapping row: MIN_WIDTH to WIDTH, as there is room
        )
