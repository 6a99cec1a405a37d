"""The layer stack: presets build, shapes and counts per layer, problems explained, edits."""

import pytest

from nn_core import SpecError
from playground.mnist.architecture import (
    LAYER_DEFAULTS,
    PRESETS,
    build,
    insert_layer,
    layer_choices,
    layer_label,
    layer_titles,
    remove_layer,
    set_field,
    summarize,
)


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("size", [28, 14])
def test_every_preset_builds_for_both_input_sizes(name, size):
    assert build(PRESETS[name], size, seed=0).output_shape == (10,)


def test_the_small_cnn_summary_gives_shapes_and_parameter_counts():
    summary = summarize(PRESETS["small-cnn"], 28)
    assert summary.error == ""
    assert [(row.label, row.output_shape, row.params) for row in summary.rows] == [
        ("input", (1, 28, 28), 0),
        ("conv 8@3x3", (8, 26, 26), 80),
        ("relu", (8, 26, 26), 0),
        ("maxpool 2", (8, 13, 13), 0),
        ("conv 16@3x3", (16, 11, 11), 1168),
        ("relu", (16, 11, 11), 0),
        ("maxpool 2", (16, 5, 5), 0),
        ("flatten", (400,), 0),
        ("dense 10", (10,), 4010),
    ]
    assert summary.total == 5258


def test_cerny_and_kopeckas_network_has_their_layers():
    labels = [row.label for row in summarize(PRESETS["cerny-kopecka"], 28).rows]
    assert [label for label in labels if label != "relu"] == [
        "input",
        "conv 16@3x3",
        "conv 32@3x3",
        "maxpool 2",
        "flatten",
        "dense 64",
        "dense 64",
        "dense 10",
    ]


def test_a_dense_layer_on_an_image_is_explained_and_the_layers_before_it_still_shown():
    layers = remove_layer(PRESETS["small-cnn"], 6)  # no flatten
    summary = summarize(layers, 28)
    expected = "layer 6 (dense): expects a flat input (n,), got (16, 5, 5); add a 'flatten' layer before it"
    assert summary.error == expected
    assert len(summary.rows) == 7 and summary.total == 0


def test_a_network_that_does_not_end_in_ten_scores_is_explained():
    summary = summarize(PRESETS["mlp"][:3], 28)
    assert "must give 10 scores" in summary.error and "(256,)" in summary.error


def test_a_kernel_larger_than_its_input_is_explained():
    layers = set_field(PRESETS["small-cnn"], 3, "kernel_size", 7)
    assert summarize(layers, 14).error.startswith("layer 3 (conv2d): 'kernel_size' 7 is bigger than its input")


def test_edits_return_new_stacks_and_leave_the_old_one_alone():
    stack = PRESETS["mlp"]
    added = insert_layer(stack, 3, "batchnorm")
    assert added[3] == {"type": "batchnorm"} and len(stack) == 5
    assert set_field(stack, 1, "units", 128)[1]["units"] == 128 and stack[1]["units"] == 256
    assert remove_layer(added, 3) == stack


def test_labels_show_what_matters_of_each_layer():
    conv = {"type": "conv2d", "filters": 4, "kernel_size": 5, "stride": 2, "padding": "same"}
    assert layer_label(conv) == "conv 4@5x5 /2 same"
    assert layer_label({"type": "avgpool2d", "size": 3}) == "avgpool 3"
    assert layer_label({"type": "dropout", "rate": 0.5}) == "dropout 0.5"


def test_layer_choices_skip_layers_that_repeat_the_one_before():
    layers = [
        {"type": "conv2d", "filters": 4, "kernel_size": 3},
        {"type": "relu"},
        {"type": "flatten"},
        {"type": "dense", "units": 16},
        {"type": "dropout", "rate": 0.5},
        {"type": "dense", "units": 10},
    ]
    choices = layer_choices(layers, 14)
    assert list(choices) == ["layer 0 (conv 4@3x3)", "layer 1 (relu)", "layer 3 (dense 16)", "layer 5 (dense 10)"]
    flat = layer_choices(layers, 14, flat_only=True)
    assert list(flat) == ["layer 3 (dense 16)", "layer 5 (dense 10)"]
    assert flat["layer 3 (dense 16)"].output_shape == (16,)
    assert choices["layer 0 (conv 4@3x3)"].unit_name == "channel" and flat["layer 3 (dense 16)"].unit_name == "neuron"
    assert layer_titles(layers)[3] == choices["layer 3 (dense 16)"].title  # one name per layer everywhere


@pytest.mark.parametrize(
    "layer, message",
    [
        (
            {"type": "dense", "units": 10**9},
            "layer 1 (dense): gives 1,000,000,000 numbers per digit; the lab builds layers of at most 1,000,000",
        ),
        ({"type": "dense", "units": 6000}, "the network would have 4,770,010 weights and biases; the lab builds at"),
        (
            {"type": "dense", "units": 10, "activation": "relu"},
            "layer 1 (dense): the lab's dense layer takes units, not 'activation'; put the activation after it",
        ),
        ({"type": "dense", "units": 10, "init": "he"}, "layer 1 (dense): the lab's dense layer takes units, not 'ini"),
    ],
)
def test_a_stack_the_lab_could_not_show_or_hold_is_explained_before_any_array_is_made(layer, message):
    summary = summarize([{"type": "flatten"}, layer, {"type": "dense", "units": 10}], 28)  # 10**9 would need 6 TB
    assert summary.error.startswith(message) and [row.label for row in summary.rows] == ["input", "flatten"]
    with pytest.raises(SpecError, match="the lab"):
        build([{"type": "flatten"}, layer, {"type": "dense", "units": 10}], 28, seed=0)


def test_the_editors_own_fields_stay_within_the_labs_limits():
    widest = {"type": "conv2d", **LAYER_DEFAULTS["conv2d"], "filters": 512, "padding": "same"}  # 401,408 per digit
    flat, scores = {"type": "flatten"}, {"type": "dense", "units": 10}
    assert "4,019,210 weights and biases" in summarize([widest, flat, scores], 28).error
    assert summarize([widest, {"type": "maxpool2d", "size": 2}, flat, scores], 28).error == ""
