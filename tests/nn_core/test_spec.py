"""Specs: JSON round trips, and one clear SpecError for each kind of mistake."""

import json

import numpy as np
import pytest

from nn_core import Conv2D, Dense, SpecError, Tanh, build_model

PLAYGROUND = {
    "input_shape": [2],
    "init": "tfp",
    "dtype": "float64",
    "layers": [{"type": "dense", "units": 4, "activation": "tanh"}, {"type": "dense", "units": 1}],
}
CNN = {
    "input_shape": [1, 12, 12],
    "init": "he",
    "dtype": "float32",
    "layers": [
        {"type": "conv2d", "filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"},
        {"type": "batchnorm", "momentum": 0.8},
        {"type": "maxpool2d", "size": 2},
        {"type": "dropout", "rate": 0.25},
        {"type": "conv2d", "filters": 2, "kernel_size": 3, "stride": 2, "init": "glorot"},
        {"type": "avgpool2d", "size": 2, "stride": 1},
        {"type": "flatten"},
        {"type": "dense", "units": 3, "activation": "leaky_relu"},
        {"type": "elu", "alpha": 0.5},
        {"type": "dense", "units": 2},
    ],
}


def test_activation_shorthand_becomes_its_own_layer():
    model = build_model(PLAYGROUND)
    assert [type(layer) for layer in model.layers] == [Dense, Tanh, Dense]
    assert model.spec()["layers"] == [
        {"type": "dense", "units": 4},
        {"type": "tanh"},
        {"type": "dense", "units": 1},
    ]


@pytest.mark.parametrize("spec", [PLAYGROUND, CNN])
def test_spec_round_trips_through_json(spec):
    model = build_model(spec, seed=1)
    again = build_model(json.loads(json.dumps(model.spec())), seed=1)
    assert again.spec() == model.spec()
    assert again.summary() == model.summary()
    for (name, param, _), (other_name, other, _) in zip(model.named_params(), again.named_params(), strict=True):
        assert name == other_name and param.dtype == other.dtype
        np.testing.assert_array_equal(param, other)


def test_per_layer_init_overrides_the_model_default():
    model = build_model(CNN)
    assert isinstance(model.layers[5], Conv2D) and model.layers[5].init == "glorot"
    assert model.spec()["layers"][5]["init"] == "glorot" and "init" not in model.spec()["layers"][0]
    bias = build_model(PLAYGROUND).layers[0].params["b"]
    np.testing.assert_array_equal(bias, 0.1)  # TensorFlow Playground's bias


def with_layers(*layers, input_shape=(2,)):
    return {"input_shape": list(input_shape), "layers": list(layers)}


IMAGE = (1, 5, 5)
MISTAKES = {
    "unknown type": (
        with_layers({"type": "dense", "units": 2}, {"type": "fancy"}),
        "layer 1 (fancy): 'type' must be one of 'dense', 'conv2d'",
    ),
    "missing units": (with_layers({"type": "dense"}), "layer 0 (dense): missing field 'units'"),
    "negative units": (
        with_layers({"type": "dense", "units": -3}),
        "layer 0 (dense): 'units' must be a positive integer, got -3",
    ),
    "fractional units": (
        with_layers({"type": "dense", "units": 2.5}),
        "'units' must be a positive integer, got 2.5",
    ),
    "unknown field": (
        with_layers({"type": "dense", "units": 2, "neurons": 3}),
        "layer 0 (dense): unknown field 'neurons'; dense takes units, init",
    ),
    "unknown activation": (
        with_layers({"type": "dense", "units": 2, "activation": "gelu"}),
        "layer 0 (dense): 'activation' must be one of 'relu'",
    ),
    "activation shorthand on a pool": (
        with_layers({"type": "maxpool2d", "size": 2, "activation": "relu"}, input_shape=IMAGE),
        "layer 0 (maxpool2d): 'activation' shorthand",
    ),
    "kernel bigger than input": (
        with_layers({"type": "conv2d", "filters": 2, "kernel_size": 7}, input_shape=IMAGE),
        "layer 0 (conv2d): 'kernel_size' 7 is bigger than its input (5 pixels",
    ),
    "pool bigger than input": (
        with_layers({"type": "maxpool2d", "size": 6}, input_shape=IMAGE),
        "layer 0 (maxpool2d): 'size' 6 is bigger than its input",
    ),
    "unknown padding": (
        with_layers({"type": "conv2d", "filters": 2, "kernel_size": 3, "padding": "full"}, input_shape=IMAGE),
        "layer 0 (conv2d): 'padding' must be one of 'valid', 'same'",
    ),
    "dense on an image": (
        with_layers({"type": "dense", "units": 2}, input_shape=IMAGE),
        "layer 0 (dense): expects a flat input (n,), got (1, 5, 5); add a 'flatten' layer",
    ),
    "conv on flat input": (
        with_layers({"type": "dense", "units": 4}, {"type": "conv2d", "filters": 1, "kernel_size": 1}),
        "layer 1 (conv2d): expects an image input (channels, height, width), got (4,)",
    ),
    "dropout rate of 1": (
        with_layers({"type": "dropout", "rate": 1}),
        "layer 0 (dropout): 'rate' must be a number in [0, 1)",
    ),
    "entry without type": (with_layers({"units": 3}), "layer 0 (no type): must be a dict with a 'type'"),
    "wrong input_shape": (
        with_layers({"type": "dense", "units": 2}, input_shape=(2, 3)),
        "'input_shape' must be [features] or [channels, height, width], got [2, 3]",
    ),
    "negative input size": (
        with_layers({"type": "dense", "units": 2}, input_shape=(-2,)),
        "'input_shape[0]' must be a positive integer, got -2",
    ),
    "unknown init": (
        {**with_layers({"type": "dense", "units": 2}), "init": "zeros"},
        "'init' must be one of 'tfp'",
    ),
    "unknown dtype": (
        {**with_layers({"type": "dense", "units": 2}), "dtype": "int8"},
        "'dtype' must be one of",
    ),
    "no layers": (with_layers(), "'layers' must be a non-empty list"),
    "unknown top-level field": (
        {**with_layers({"type": "relu"}), "loss": "mse"},
        "spec fields: unknown 'loss' (a spec has 'dtype', 'init', 'input_shape', 'layers')",
    ),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_invalid_specs_raise_one_error_class_that_says_where_and_what(case):
    spec, message = MISTAKES[case]
    with pytest.raises(SpecError) as caught:
        build_model(spec)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_layer_indices_in_errors_count_expanded_activations():
    spec = with_layers({"type": "dense", "units": 2, "activation": "relu"}, {"type": "dense", "units": 0})
    with pytest.raises(SpecError, match=r"^layer 2 \(dense\)"):
        build_model(spec)
