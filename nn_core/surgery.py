"""Network surgery for the editable diagram: add or remove neurons and layers, change an activation.

Every operation returns a NEW model (the old one is untouched) that keeps every trained array the edit
does not affect. New weights come from the model's initializer, drawn from `rng`. Surgery works on
dense networks: Dense, activation, Dropout and BatchNorm layers. An optimizer's per-parameter state
restarts for parameters whose shape changed.
"""

import numpy as np

from .layers import ACTIVATIONS, BatchNorm, Dense
from .spec import build_model

FRESH = "fresh"  # marks an array that keeps its newly initialized values


def add_neuron(model, layer_index, rng):
    """A copy with one more neuron, appended last, in hidden Dense layer `layer_index`; its weights are new."""
    units = _hidden_dense(model, layer_index).units
    return _with_units(model, layer_index, units + 1, np.arange(units), rng)


def remove_neuron(model, layer_index, neuron):
    """A copy without `neuron` of hidden Dense layer `layer_index`: its column of W, its bias, and the row
    of the next Dense's W it fed are removed."""
    units = _hidden_dense(model, layer_index).units
    if units == 1:
        raise ValueError(f"layer {layer_index} has a single neuron; remove the layer instead")
    if not 0 <= neuron < units:
        raise ValueError(f"layer {layer_index} has neurons 0..{units - 1}, got {neuron}")
    return _with_units(model, layer_index, units - 1, np.delete(np.arange(units), neuron), rng=None)


def add_layer(model, position, units, activation, rng):
    """A copy with a new hidden Dense(units) and activation layer inserted at `position` of model.layers.

    The next Dense layer's incoming weights are new (they now read the new neurons); its biases are kept.
    """
    entries = model.spec()["layers"]
    entries[position:position] = [{"type": "dense", "units": units}, {"type": activation}]
    origins = [*range(position), None, None, *range(position, len(model.layers))]
    return _rebuild(model, entries, origins, rng, first_changed=position + 2)


def remove_layer(model, position, rng):
    """A copy without the hidden Dense layer at `position` and the activation layer right after it.

    The next Dense layer's incoming weights are new (they now read the layer before); its biases are kept.
    """
    _hidden_dense(model, position)
    entries = model.spec()["layers"]
    removed = 2 if entries[position + 1]["type"] in ACTIVATIONS else 1
    del entries[position : position + removed]
    origins = [*range(position), *range(position + removed, len(model.layers))]
    return _rebuild(model, entries, origins, rng, first_changed=position)


def set_activation(model, position, name):
    """A copy whose activation layer at `position` is replaced by the activation called `name`."""
    if model.layers[position].type_name not in ACTIVATIONS:
        raise ValueError(f"layer {position} is a {model.layers[position].type_name}, not an activation")
    entries = model.spec()["layers"]
    entries[position] = {"type": name}
    return _rebuild(model, entries, list(range(len(entries))), rng=None)


def reinitialize_neurons(model, layer_index, neurons, rng):
    """A copy whose `neurons` of hidden Dense layer `layer_index` have new incoming weights (their columns of W) and
    biases, drawn from `rng` as at a build; every other array, their outgoing weights included, is kept."""
    units = _hidden_dense(model, layer_index).units
    neurons = np.asarray(neurons, dtype=int)
    if np.any((neurons < 0) | (neurons >= units)):
        raise ValueError(f"layer {layer_index} has neurons 0..{units - 1}, got {neurons.tolist()}")
    new = _rebuild(model, model.spec()["layers"], list(range(len(model.layers))), rng=None)  # a copy
    fresh = build_model(model.spec(), seed=int(rng.integers(2**63))).layers[layer_index].params
    target = new.layers[layer_index].params
    target["W"][:, neurons] = fresh["W"][:, neurons]
    target["b"][neurons] = fresh["b"][neurons]
    return new


def _hidden_dense(model, layer_index):
    """The Dense layer at layer_index, if another Dense layer reads its output; raises ValueError otherwise."""
    layer = model.layers[layer_index]
    if not isinstance(layer, Dense):
        raise ValueError(f"layer {layer_index} is a {layer.type_name}, not a dense layer")
    _input_unit_axes(model.layers, layer_index + 1)  # raises if no Dense layer follows
    return layer


def _input_unit_axes(layers, start):
    """{layer index: {array name: axis}} for the arrays, from layer `start` to the next Dense inclusive, with
    an axis per unit of their input; raises ValueError if no Dense follows."""
    axes = {}
    for index in range(start, len(layers)):
        layer = layers[index]
        if isinstance(layer, Dense):
            axes[index] = {"W": 0}
            return axes
        if isinstance(layer, BatchNorm):  # after a Dense, the only other layers with arrays
            axes[index] = {name: 0 for name in _arrays(layer)}
    raise ValueError(f"no dense layer follows layer {start - 1}: the output layer's size is fixed by the data")


def _with_units(model, layer_index, units, kept, rng):
    """A copy whose Dense layer `layer_index` has `units` neurons, old neuron kept[i] becoming neuron i."""
    entries = model.spec()["layers"]
    entries[layer_index]["units"] = units
    axes = {layer_index: {"W": 1, "b": 0}} | _input_unit_axes(model.layers, layer_index + 1)
    return _rebuild(model, entries, list(range(len(entries))), rng, unit_axes=axes, kept=kept)


def _rebuild(model, entries, origins, rng, first_changed=None, unit_axes=None, kept=None):
    """A new model for layer `entries`, where layer i copies the arrays of old layer origins[i] (None: new).

    `rng` draws the new arrays; None when every array is copied (the build still draws, then overwrites).

    With `first_changed`, arrays that read their input from the new model's layer `first_changed - 1`
    stay new. With `unit_axes` ({layer: {array: axis}}), those arrays copy old units `kept` along `axis`
    into their first len(kept) positions, leaving the rest new.
    """
    seed = 0 if rng is None else int(rng.integers(2**63))
    new = build_model(model.spec() | {"layers": entries}, seed=seed)
    if first_changed is not None:
        unit_axes = {
            index: dict.fromkeys(names, FRESH) for index, names in _input_unit_axes(new.layers, first_changed).items()
        }
    for index, origin in enumerate(origins):
        if origin is None:
            continue
        old_arrays = _arrays(model.layers[origin])
        for name, target in _arrays(new.layers[index]).items():
            axis = (unit_axes or {}).get(index, {}).get(name)
            if axis is None:
                target[...] = old_arrays[name]
            elif axis != FRESH:
                leading = (slice(None),) * axis + (slice(0, len(kept)),)
                target[leading] = np.take(old_arrays[name], kept, axis=axis)
    return new


def _arrays(layer):
    """A layer's parameters and buffers by name."""
    return layer.params | layer.buffers
