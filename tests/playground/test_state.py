"""The settings registry: defaults like TensorFlow Playground, URL round trips, notices instead of errors, specs."""

import numpy as np
import pytest

from nn_core import ACTIVATIONS, build_model
from playground.sandbox.state import (
    ACCESS,
    HIDDEN_ACTIVATIONS,
    SETTINGS,
    PlaygroundState,
    activation_position,
    dense_position,
    hidden_of,
)


def test_defaults_are_tensorflow_playgrounds_and_give_an_empty_query():
    state = PlaygroundState()
    assert (state.dataset, state.learning_rate, state.batch_size, state.hidden_layers) == ("circle", 0.03, 10, [4, 2])
    assert state.to_query() == ""


def test_every_setting_has_a_one_line_doc():
    for name in [*SETTINGS, *ACCESS]:
        doc = PlaygroundState.param[name].doc
        assert doc and "\n" not in doc, name


def test_hidden_activations_are_engine_activations():
    assert set(HIDDEN_ACTIVATIONS) <= set(ACTIVATIONS)


def test_query_round_trip_of_every_kind_of_setting():
    state = PlaygroundState(
        dataset="spiral",
        noise=25,
        train_percent=70,
        batch_size=5,
        seed=42,
        features=["x", "y", "sinX"],
        hidden_layers=[8, 8, 3],
        layer_activations=["relu", "", "sigmoid"],
        learning_rate=0.1,
        regularization="l2",
        regularization_rate=0.003,
        optimizer="adam",
        loss="cross_entropy",
        discretize=True,
        show_test_data=True,
        hide=["noise", "seed"],
        lock=["dataset"],
    )
    query = state.to_query()
    assert "hidden_layers=8,8,3" in query and "learning_rate=0.1" in query
    restored, notices = PlaygroundState.from_query("?" + query)
    assert notices == []
    assert restored.param.values() | {"name": None} == state.param.values() | {"name": None}


def test_no_hidden_layers_round_trips():
    restored, notices = PlaygroundState.from_query(PlaygroundState(hidden_layers=[]).to_query())
    assert (restored.hidden_layers, notices) == ([], [])


@pytest.mark.parametrize(
    "query, key",
    [
        ("noise=99", "noise"),
        ("noise=abc", "noise"),
        ("train_percent=5", "train_percent"),
        ("hidden_layers=4,40", "hidden_layers"),
        ("hidden_layers=1,1,1,1,1,1,1,1,1", "hidden_layers"),
        ("hidden_layers=4,x", "hidden_layers"),
        ("learning_rate=0.05", "learning_rate"),
        ("dataset=bogus", "dataset"),
        ("features=", "features"),
        ("features=x,zz", "features"),
        ("layer_activations=relu,foo", "layer_activations"),
        ("show_test_data=yes", "show_test_data"),
        ("hide=noise,zap", "hide"),
        ("zzz=1", "zzz"),
    ],
)
def test_a_bad_value_keeps_the_default_with_a_notice_naming_the_key(query, key):
    state, notices = PlaygroundState.from_query(query + "&batch_size=7")
    assert len(notices) == 1 and notices[0].startswith(key + ":")
    assert state.batch_size == 7  # the good values around it still apply
    default = PlaygroundState.param[key].default if key in SETTINGS else None
    assert key not in SETTINGS or getattr(state, key) == default


def test_a_tensorflow_playground_link_translates():
    tfp = (
        "#activation=relu&batchSize=10&dataset=xor&regDataset=reg-plane&learningRate=0.3&regularizationRate=0.001"
        "&noise=5&networkShape=6,3&seed=0.38051&showTestData=true&discretize=false&percTrainData=60&x=true&y=false"
        "&xTimesY=true&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
        "&collectStats=false&problem=classification&initZero=false&hideText=false&regularization=L1"
    )
    state, notices = PlaygroundState.from_query(tfp)
    assert notices == []
    assert (state.dataset, state.learning_rate, state.hidden_layers, state.train_percent) == ("xor", 0.3, [6, 3], 60)
    assert (state.features, state.regularization, state.seed, state.show_test_data) == (
        ["x", "xTimesY"],
        "l1",
        38051,
        True,
    )


def test_dataset_and_problem_stay_consistent():
    state = PlaygroundState()
    state.problem = "regression"
    assert state.dataset == "reg-plane"
    state.dataset = "moons"
    assert state.problem == "classification"
    state, notices = PlaygroundState.from_query("problem=regression&dataset=circle")
    assert state.problem == "classification" and notices[0].startswith("problem:")


@pytest.mark.parametrize(
    "query, loss, output",
    [
        ("", "mse", {"type": "dense", "units": 1, "activation": "tanh"}),
        ("loss=cross_entropy", "binary_cross_entropy", {"type": "dense", "units": 1}),
        ("dataset=spiral3", "softmax_cross_entropy", {"type": "dense", "units": 3}),
        ("dataset=reg-gauss&loss=cross_entropy", "mse", {"type": "dense", "units": 1, "activation": "linear"}),
    ],
)
def test_the_output_layer_and_loss_fit_the_problem(query, loss, output):
    state, _ = PlaygroundState.from_query(query)
    assert state.loss_name() == loss
    assert state.model_spec()["layers"][-1] == output


def test_the_spec_has_the_features_layers_and_activations_and_builds():
    state = PlaygroundState(features=["x", "y", "xSquared"], hidden_layers=[5, 3], layer_activations=["relu"])
    spec = state.model_spec()
    assert spec["input_shape"] == [3]
    assert [(e["units"], e["activation"]) for e in spec["layers"][:2]] == [(5, "relu"), (3, "tanh")]
    model = build_model(spec, seed=state.seed)
    data = state.make_data()
    assert model.forward(state.inputs(data.x_train)).shape == (data.n_train, 1)


def test_hidden_layer_k_is_the_models_dense_layer_2k_and_activation_2k_plus_1():
    state = PlaygroundState(hidden_layers=[5, 3], layer_activations=["relu"])
    model = build_model(state.model_spec(), seed=state.seed)
    for k, width in enumerate(state.hidden_layers):
        dense, activation = model.layers[dense_position(k)], model.layers[activation_position(k)]
        assert dense.params["W"].shape[1] == width and activation.type_name == state.layer_activation(k)
        assert hidden_of(dense_position(k)) == hidden_of(activation_position(k)) == k
    assert model.layers[dense_position(len(state.hidden_layers))].params["W"].shape == (3, 1)  # the output's


def test_targets_match_the_loss():
    data = PlaygroundState().make_data()
    assert set(np.unique(PlaygroundState().targets(data.y))) == {-1.0, 1.0}
    assert set(np.unique(PlaygroundState(loss="cross_entropy").targets(data.y))) == {0.0, 1.0}
    spiral3 = PlaygroundState(dataset="spiral3")
    assert spiral3.targets(spiral3.make_data().y).dtype == np.int64


def test_the_optimizer_follows_the_settings():
    optimizer = PlaygroundState(optimizer="adam", learning_rate=0.01, regularization="l1", regularization_rate=0.1)
    made = optimizer.make_optimizer()
    assert (type(made).__name__, made.learning_rate, made.regularization, made.regularization_rate) == (
        "Adam",
        0.01,
        "l1",
        0.1,
    )


def test_a_regression_dataset_given_at_construction_sets_the_problem():
    assert PlaygroundState(dataset="reg-plane").problem == "regression"
    assert PlaygroundState(problem="regression").dataset == "reg-plane"
