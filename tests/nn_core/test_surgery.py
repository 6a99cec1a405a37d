"""Network surgery returns a new model that keeps every trained weight the edit does not touch."""

import numpy as np
import pytest

from nn_core import build_model
from nn_core.surgery import add_layer, add_neuron, reinitialize_neurons, remove_layer, remove_neuron, set_activation

SPEC = {
    "input_shape": [2],
    "init": "tfp",
    "layers": [
        {"type": "dense", "units": 3},
        {"type": "tanh"},
        {"type": "dense", "units": 4},
        {"type": "batchnorm"},
        {"type": "relu"},
        {"type": "dense", "units": 1},
        {"type": "tanh"},
    ],
}
X = np.random.default_rng(5).uniform(-1, 1, (6, 2))


def trained_model():
    """The SPEC model with non-trivial BatchNorm statistics, as after some training."""
    model = build_model(SPEC, seed=2)
    model.forward(X)
    return model.eval()


def arrays(model):
    return model.state_dict()


def test_add_neuron_appends_a_neuron_and_keeps_every_old_weight():
    model = trained_model()
    spec = model.spec()
    grown = add_neuron(model, 2, np.random.default_rng(0)).eval()
    old, new = arrays(model), arrays(grown)

    assert grown.spec()["layers"][2] == {"type": "dense", "units": 5}
    assert model.spec() == spec  # the original is untouched
    np.testing.assert_array_equal(new["2.W"][:, :4], old["2.W"])
    np.testing.assert_array_equal(new["2.b"][:4], old["2.b"])
    for name in ("3.gamma", "3.beta", "3.running_mean", "3.running_var"):
        np.testing.assert_array_equal(new[name][:4], old[name])
    np.testing.assert_array_equal(new["5.W"][:4], old["5.W"])
    assert new["2.b"][4] == 0.1 and np.all(np.abs(new["2.W"][:, 4]) <= 0.5)  # from the tfp initializer
    for name in ("0.W", "0.b", "5.b"):
        np.testing.assert_array_equal(new[name], old[name])


def test_a_new_neuron_leaves_the_paths_of_the_old_ones_unchanged():
    model = trained_model()
    grown = add_neuron(model, 2, np.random.default_rng(0)).eval()
    old_trace, new_trace = model.forward_trace(X), grown.forward_trace(X)
    for index in (2, 3, 4):
        np.testing.assert_allclose(new_trace[index][:, :4], old_trace[index], rtol=0, atol=1e-15)

    grown.layers[5].params["W"][4] = 0.0  # silence the new neuron: the network computes what it did before
    np.testing.assert_allclose(grown.forward(X), model.forward(X), rtol=0, atol=1e-15)


def test_removing_a_neuron_removes_its_column_its_row_downstream_and_its_batchnorm_entries():
    model = trained_model()
    pruned = remove_neuron(model, 2, neuron=1)
    old, new = arrays(model), arrays(pruned)
    assert pruned.spec()["layers"][2]["units"] == 3
    np.testing.assert_array_equal(new["2.W"], np.delete(old["2.W"], 1, axis=1))
    np.testing.assert_array_equal(new["3.running_var"], np.delete(old["3.running_var"], 1))
    np.testing.assert_array_equal(new["5.W"], np.delete(old["5.W"], 1, axis=0))


def test_removing_a_neuron_with_zero_outgoing_weights_changes_nothing():
    model = trained_model()
    model.layers[2].params["W"][:, 2] = 0.0
    model.layers[2].params["b"][2] = 0.0
    model.layers[5].params["W"][2] = 0.0
    pruned = remove_neuron(model, 2, neuron=2).eval()
    np.testing.assert_allclose(pruned.forward(X), model.forward(X), rtol=0, atol=1e-15)


def test_add_layer_inserts_a_hidden_layer_and_renews_only_the_next_dense_weights():
    model = trained_model()
    deeper = add_layer(model, 2, units=5, activation="sigmoid", rng=np.random.default_rng(0))
    old, new = arrays(model), arrays(deeper)
    assert deeper.spec()["layers"][2:4] == [{"type": "dense", "units": 5}, {"type": "sigmoid"}]
    assert new["4.W"].shape == (5, 4) and new["2.W"].shape == (3, 5)
    np.testing.assert_array_equal(new["0.W"], old["0.W"])
    np.testing.assert_array_equal(new["4.b"], old["2.b"])
    np.testing.assert_array_equal(new["7.W"], old["5.W"])
    np.testing.assert_array_equal(new["5.running_mean"], old["3.running_mean"])


def test_remove_layer_removes_a_dense_layer_with_its_activation():
    model = trained_model()
    shallower = remove_layer(model, 0, rng=np.random.default_rng(0))
    old, new = arrays(model), arrays(shallower)
    assert shallower.spec()["layers"] == model.spec()["layers"][2:]
    assert new["0.W"].shape == (2, 4)
    np.testing.assert_array_equal(new["0.b"], old["2.b"])
    for name in ("1.gamma", "1.running_mean", "3.W", "3.b"):
        np.testing.assert_array_equal(new[name], old[f"{int(name[0]) + 2}{name[1:]}"])


def test_set_activation_keeps_all_weights_and_changes_only_that_function():
    model = trained_model()
    changed = set_activation(model, 1, "relu").eval()
    assert changed.spec()["layers"][1] == {"type": "relu"}
    for name, array in arrays(model).items():
        np.testing.assert_array_equal(arrays(changed)[name], array)
    hidden = np.maximum(X @ model.layers[0].params["W"] + model.layers[0].params["b"], 0)
    np.testing.assert_allclose(changed.forward_trace(X)[1], hidden, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda model: add_neuron(model, 5, np.random.default_rng(0)), "output layer's size is fixed"),
        (lambda model: add_neuron(model, 1, np.random.default_rng(0)), "is a tanh, not a dense layer"),
        (lambda model: remove_neuron(model, 2, 4), "neurons 0..3, got 4"),
        (lambda model: set_activation(model, 2, "relu"), "is a dense, not an activation"),
    ],
)
def test_edits_that_make_no_sense_raise_value_error(edit, message):
    with pytest.raises(ValueError, match=message):
        edit(trained_model())


def test_surgery_refuses_convolutional_layers():
    model = build_model(
        {
            "input_shape": [1, 4, 4],
            "layers": [
                {"type": "conv2d", "filters": 2, "kernel_size": 3},
                {"type": "flatten"},
                {"type": "dense", "units": 2},
            ],
        }
    )
    with pytest.raises(ValueError, match="not a dense layer"):
        add_neuron(model, 0, np.random.default_rng(0))


def test_reinitialize_neurons_draws_only_their_incoming_weights_and_biases_again():
    model = trained_model()
    for array in model.layers[2].params.values():
        array[...] = 0.0  # as dead as can be
    fixed = reinitialize_neurons(model, 2, [1, 3], np.random.default_rng(7))
    again = reinitialize_neurons(model, 2, [1, 3], np.random.default_rng(7))
    old, new = arrays(model), arrays(fixed)
    assert old.keys() == new.keys() and fixed.spec() == model.spec()
    for name in old:
        if name not in ("2.W", "2.b"):
            np.testing.assert_array_equal(new[name], old[name])  # outgoing weights and other layers kept
    np.testing.assert_array_equal(new["2.W"][:, [0, 2]], 0.0)
    np.testing.assert_array_equal(new["2.b"][[0, 2]], 0.0)
    assert np.all(new["2.W"][:, [1, 3]] != 0.0)
    for name, value in arrays(again).items():
        np.testing.assert_array_equal(value, new[name])  # the same generator, the same weights
    with pytest.raises(ValueError, match="neurons 0..3"):
        reinitialize_neurons(model, 2, [4], np.random.default_rng(0))
