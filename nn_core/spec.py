"""Model specs: JSON-serializable descriptions of a network, validated and built into a Sequential.

    {"input_shape": [2], "init": "tfp", "dtype": "float64",
     "layers": [{"type": "dense", "units": 4, "activation": "tanh"}, {"type": "dense", "units": 1}]}

"init" and "dtype" are optional; a dense or conv2d entry may carry its own "init" and, as shorthand, an
"activation", which becomes a separate activation layer right after it (so model.spec() lists it apart).
"""

import inspect

from .layers import ACTIVATIONS, LAYER_TYPES
from .layers.base import SpecError, one_of
from .model import Sequential, _checked_input_shape

__all__ = ["SpecError", "build_model", "layer_shapes", "layers_from_spec", "stored_size"]

TOP_LEVEL_FIELDS = {"input_shape", "layers", "init", "dtype"}
# How many numbers (parameters and buffers) a layer stores for its per-example input shape: the arrays its build()
# makes (Dense W (n_in, units) and b; Conv2D W (filters, channels, k, k) and b; BatchNorm gamma, beta and two running
# statistics per feature). Layers not listed store none. tests/nn_core/test_saving.py checks this against built models.
STORED_SIZES = {
    "dense": lambda layer, shape: (shape[0] + 1) * layer.units,
    "conv2d": lambda layer, shape: layer.filters * (shape[0] * layer.kernel_size**2 + 1),
    "batchnorm": lambda layer, shape: 4 * shape[0],
}


def build_model(spec, seed=0):
    """A Sequential built from a spec dict; every parameter drawn from a Generator seeded with `seed`."""
    _check_fields(spec)
    return Sequential(
        layers_from_spec(spec["layers"]),
        spec["input_shape"],
        init=spec.get("init", "tfp"),
        dtype=spec.get("dtype", "float64"),
        seed=seed,
    )


def stored_size(spec):
    """How many numbers (parameters and buffers) a model built from `spec` stores, counted from the layers' shapes
    without creating any array, so a huge spec can be refused before it is built; raises SpecError for a spec whose
    fields or shapes build_model would refuse."""
    shapes = layer_shapes(spec)
    return sum(
        STORED_SIZES[layer.type_name](layer, shape) for layer, shape, _ in shapes if layer.type_name in STORED_SIZES
    )


def layer_shapes(spec):
    """[(layer, per-example input shape, output shape)] of an unbuilt model for `spec`, without creating any array;
    raises SpecError for a spec whose fields or shapes build_model would refuse."""
    _check_fields(spec)
    shape = _checked_input_shape(spec["input_shape"])
    shapes = []
    for index, layer in enumerate(layers_from_spec(spec["layers"])):
        try:
            output_shape = layer.output_shape(shape)  # it checks that the layer can take this input
        except SpecError as error:
            raise SpecError.at_layer(index, layer.type_name, error) from None
        shapes.append((layer, shape, output_shape))
        shape = output_shape
    return shapes


def _check_fields(spec):
    """Raises SpecError unless spec is a dict with 'input_shape', 'layers' and no unknown field."""
    if not isinstance(spec, dict):
        kind = {list: "a list", str: "a string", type(None): "null"}.get(type(spec), "a number or true/false")
        raise SpecError(f"a spec must be a dict with 'input_shape' and 'layers', got {kind}")
    unknown = sorted(map(str, spec.keys() - TOP_LEVEL_FIELDS))
    missing = sorted({"input_shape", "layers"} - spec.keys())
    if unknown or missing:
        wrong = [
            f"{what} {', '.join(map(repr, names))}"
            for what, names in [("unknown", unknown), ("missing", missing)]
            if names
        ]
        allowed = ", ".join(map(repr, sorted(TOP_LEVEL_FIELDS)))
        raise SpecError(f"spec fields: {'; '.join(wrong)} (a spec has {allowed})")


def layers_from_spec(entries):
    """Unbuilt layers for a list of spec entries, with "activation" shorthands expanded."""
    if not isinstance(entries, list) or not entries:
        raise SpecError(f"'layers' must be a non-empty list of layer entries, got {entries!r}")
    layers = []
    for entry in entries:
        index = len(layers)  # the index the layer will have in the model
        type_name = entry.get("type") if isinstance(entry, dict) else None
        try:
            if type_name is None:
                raise SpecError(f"must be a dict with a 'type', got {entry!r}")
            one_of("type", type_name, list(LAYER_TYPES))
            settings = {key: value for key, value in entry.items() if key not in ("type", "activation")}
            layers.append(_layer(LAYER_TYPES[type_name], settings))
            if "activation" in entry:
                if type_name not in ("dense", "conv2d"):
                    raise SpecError("'activation' shorthand is only for dense and conv2d layers")
                layers.append(ACTIVATIONS[one_of("activation", entry["activation"], list(ACTIVATIONS))]())
        except SpecError as error:
            raise SpecError.at_layer(index, type_name or "no type", error) from None
    return layers


def _layer(cls, settings):
    """cls(**settings), with missing or unknown fields reported by name instead of as a TypeError."""
    fields = inspect.signature(cls).parameters
    required = [name for name, field in fields.items() if field.default is inspect.Parameter.empty]
    unknown = sorted(settings.keys() - fields.keys())
    if unknown:
        raise SpecError(f"unknown field {unknown[0]!r}; {cls.type_name} takes {', '.join(fields) or 'no fields'}")
    missing = [name for name in required if name not in settings]
    if missing:
        raise SpecError(f"missing field {missing[0]!r}; {cls.type_name} needs {', '.join(required)}")
    return cls(**settings)
