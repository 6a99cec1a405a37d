"""The MNIST lab's layer stack: presets, edits, and what the editor shows for a stack (shapes, parameter counts
or the SpecError that explains why it cannot be built).

A stack is a list of engine spec entries in expanded form, activations as layers of their own, e.g.
`[{"type": "flatten"}, {"type": "dense", "units": 64}, {"type": "relu"}, {"type": "dense", "units": 10}]`;
its index i is the model's layer i, so error messages, parameter names ("3.W") and views agree.
"""

import math
from dataclasses import dataclass

from nn_core import ACTIVATIONS, SpecError, build_model
from nn_core.model import Sequential
from nn_core.spec import layer_shapes, stored_size

N_CLASSES = 10
INPUT_SIZES = (28, 14)
# What the editor can add, with the fields a student sets and their starting values.
LAYER_DEFAULTS = {
    "conv2d": {"filters": 8, "kernel_size": 3, "stride": 1, "padding": "valid"},
    "maxpool2d": {"size": 2},
    "avgpool2d": {"size": 2},
    "flatten": {},
    "dense": {"units": 32},
    "dropout": {"rate": 0.25},
    "batchnorm": {},
    **{name: {} for name in ACTIVATIONS},
}
# The largest network the lab builds: 13 times the largest preset's 300,000 weights and biases (Černý & Kopecká); in
# float32 with its gradients and Adam's two moments, 64 MB of a browser tab.
MAX_PARAMETERS = 4_000_000
# The most numbers one layer may make for one digit: more than the editor's fields (1 to 512) can give (512 filters
# on 28x28 pixels make 401,408), far less than a stack from a link or a lesson could ask (a dense layer of 10^9).
MAX_LAYER_OUTPUTS = 1_000_000
# Fields with a few sensible values (the editor's menus); every other field is a whole number.
FIELD_CHOICES = {"padding": ["valid", "same"]}

PRESETS = {
    "mlp": [
        {"type": "flatten"},
        {"type": "dense", "units": 256},
        {"type": "relu"},
        {"type": "dropout", "rate": 0.3},
        {"type": "dense", "units": 10},
    ],
    "small-cnn": [
        {"type": "conv2d", "filters": 8, "kernel_size": 3, "stride": 1, "padding": "valid"},
        {"type": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "conv2d", "filters": 16, "kernel_size": 3, "stride": 1, "padding": "valid"},
        {"type": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 10},
    ],
    # Černý and Kopecká's network: conv 16@3x3, conv 32@3x3, maxpool 2, dense 64, dense 64, softmax 10.
    "cerny-kopecka": [
        {"type": "conv2d", "filters": 16, "kernel_size": 3, "stride": 1, "padding": "valid"},
        {"type": "relu"},
        {"type": "conv2d", "filters": 32, "kernel_size": 3, "stride": 1, "padding": "valid"},
        {"type": "relu"},
        {"type": "maxpool2d", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 64},
        {"type": "relu"},
        {"type": "dense", "units": 64},
        {"type": "relu"},
        {"type": "dense", "units": 10},
    ],
}
PRESET_NAMES = {"mlp": "MLP", "small-cnn": "Small CNN", "cerny-kopecka": "Černý & Kopecká"}


def model_spec(layers: list[dict], input_size: int) -> dict:
    """The engine spec of a stack on (1, input_size, input_size) digits: float32, He initialization."""
    return {"input_shape": [1, input_size, input_size], "init": "he", "dtype": "float32", "layers": list(layers)}


def build(layers: list[dict], input_size: int, seed: int) -> Sequential:
    """The Sequential for a stack, or SpecError (naming layer and field) when it cannot classify digits."""
    model = build_model(checked_spec(layers, input_size), seed=seed)
    if model.output_shape != (N_CLASSES,):
        raise SpecError(
            f"the last layer must give {N_CLASSES} scores, one per digit, but gives {model.output_shape}; "
            f"end with a dense layer of {N_CLASSES} units"
        )
    return model


def checked_spec(layers: list[dict], input_size: int) -> dict:
    """The engine spec of a stack the lab can show and build, checked before any array is made; SpecError naming the
    layer for a field the editor has no control for, a layer or a network too big, or what build_model refuses."""
    for index, entry in enumerate(layers if isinstance(layers, list) else ()):
        kind = entry.get("type") if isinstance(entry, dict) else None
        extra = sorted(set(entry) - {"type", *LAYER_DEFAULTS[kind]}) if kind in LAYER_DEFAULTS else []
        if extra:
            fields = ", ".join(LAYER_DEFAULTS[kind]) or "no fields"
            advice = "; put the activation after it as a layer of its own" if extra[0] == "activation" else ""
            raise SpecError.at_layer(index, kind, f"the lab's {kind} layer takes {fields}, not {extra[0]!r}{advice}")
    spec = model_spec(layers, input_size)
    for index, (layer, _, shape) in enumerate(layer_shapes(spec)):
        if math.prod(shape) > MAX_LAYER_OUTPUTS:
            raise SpecError.at_layer(
                index, layer.type_name, f"gives {math.prod(shape):,} numbers per digit; the lab builds layers of at "
                f"most {MAX_LAYER_OUTPUTS:,}: use fewer units or filters"
            )  # fmt: skip
    size = stored_size(spec)
    if size > MAX_PARAMETERS:
        raise SpecError(
            f"the network would have {size:,} weights and biases; the lab builds at most {MAX_PARAMETERS:,}: use fewer "
            "units or filters, or pool before the dense layers"
        )
    return spec


@dataclass(frozen=True)
class LayerRow:
    """One line of the editor: the layer's index, label, per-example output shape and parameter count."""

    index: int
    label: str
    output_shape: tuple
    params: int

    @property
    def title(self) -> str:
        """The layer as every view names it (`layer_title`), e.g. "layer 3 (dense 64)"."""
        return layer_title(self.index, self.label)

    @property
    def unit_name(self) -> str:
        """What one of its outputs is: a "channel" (a map per channel) or a "neuron"."""
        return "channel" if len(self.output_shape) == 3 else "neuron"


@dataclass(frozen=True)
class StackSummary:
    """Rows for the input and each layer, the total parameter count, and an error message ("" when valid)."""

    rows: list
    total: int
    error: str


def summarize(layers: list[dict], input_size: int) -> StackSummary:
    """What the editor shows for a stack: every layer that fits, and the first problem in words."""
    rows = [LayerRow(-1, "input", (1, input_size, input_size), 0)]
    try:
        model = build(layers, input_size, seed=0)
    except SpecError as error:
        return StackSummary(rows + _rows_until_error(layers, input_size), 0, str(error))
    return StackSummary(rows + _layer_rows(model, layers), model.param_count, "")


def _rows_until_error(layers, input_size):
    """Rows of the longest prefix of the stack that builds (without the final 10-scores rule)."""
    for end in range(len(layers), 0, -1):
        try:
            model = build_model(checked_spec(layers[:end], input_size))
        except SpecError:
            continue
        return _layer_rows(model, layers)
    return []


def _layer_rows(model, layers):
    shape, rows = model.input_shape, []
    for index, layer in enumerate(model.layers):
        shape = layer.output_shape(shape)
        rows.append(LayerRow(index, layer_label(layers[index]), shape, sum(p.size for p in layer.params.values())))
    return rows


def layer_label(entry: dict) -> str:
    """A short label: "conv 8@3x3", "conv 8@5x5 /2 same", "maxpool 2", "dense 64", "dropout 0.25", "relu"."""
    kind = entry["type"]
    if kind == "conv2d":
        label = f"conv {entry['filters']}@{entry['kernel_size']}x{entry['kernel_size']}"
        stride, padding = entry.get("stride", 1), entry.get("padding", "valid")
        return label + (f" /{stride}" if stride != 1 else "") + (f" {padding}" if padding != "valid" else "")
    if kind in ("maxpool2d", "avgpool2d"):
        return f"{kind[:-2]} {entry['size']}"
    if kind == "dense":
        return f"dense {entry['units']}"
    if kind == "dropout":
        return f"dropout {entry['rate']:g}"
    return kind


def layer_title(index: int, label: str) -> str:
    """How every view names layer `index` of the stack (numbered as the editor lists it) with its `layer_label`:
    "layer 3 (dense 64)"."""
    return f"layer {index} ({label})"


def layer_titles(layers: list[dict]) -> dict[int, str]:
    """{index: `layer_title`} of every layer of a stack."""
    return {index: layer_title(index, layer_label(entry)) for index, entry in enumerate(layers)}


def insert_layer(layers: list[dict], position: int, kind: str) -> list[dict]:
    """A new stack with a `kind` layer (default fields) at `position`."""
    return [*layers[:position], {"type": kind, **LAYER_DEFAULTS[kind]}, *layers[position:]]


def remove_layer(layers: list[dict], position: int) -> list[dict]:
    """A new stack without the layer at `position`."""
    return [*layers[:position], *layers[position + 1 :]]


def set_field(layers: list[dict], position: int, field: str, value: object) -> list[dict]:
    """A new stack whose layer at `position` has `field` set to `value`."""
    return [{**entry, field: value} if index == position else entry for index, entry in enumerate(layers)]


def layer_choices(layers: list[dict], input_size: int, flat_only: bool = False) -> dict[str, LayerRow]:
    """{"layer 3 (relu)": LayerRow} of the layers worth looking inside, first to last: not flatten or dropout, whose
    outputs (at test time) are those of the layer before; with flat_only, only layers with one output per neuron."""
    rows = summarize(layers, input_size).rows[1:]
    return {
        row.title: row
        for row in rows
        if layers[row.index]["type"] not in ("flatten", "dropout") and (len(row.output_shape) == 1 or not flat_only)
    }
