"""What a student reads for the engine's parameter names: words from the page's own layer names."""

import numpy as np
import pytest

from playground.core.names import parameter_title
from playground.core.weight_history import WeightHistory
from playground.mnist.architecture import layer_titles as lab_layers
from playground.sandbox.diagram import layer_titles as sandbox_layers
from playground.sandbox.diagram import weight_joins
from playground.sandbox.output import node_label, node_title
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def test_parameters_are_named_after_the_layers_as_each_page_names_them():
    sandbox = sandbox_layers(2)
    assert [parameter_title(f"{k}.W", sandbox) for k in (0, 2, 4)] == [
        "Layer 1 weights",
        "Layer 2 weights",
        "Output weights",
    ]
    assert parameter_title("2.b", sandbox) == "Layer 2 biases"
    lab = lab_layers([{"type": "flatten"}, {"type": "dense", "units": 64}, {"type": "batchnorm"}])
    assert parameter_title("1.W", lab) == "Layer 1 (dense 64) weights" and parameter_title("2.gamma", lab).endswith(
        "scales"
    )
    with pytest.raises(KeyError):
        parameter_title("9.W", sandbox)  # a name the page has no layer for is a bug, not a leak


def test_a_sessions_weight_record_and_its_legend_use_the_same_words_and_never_the_engines_names():
    session = Session(PlaygroundState(hidden_layers=[3]))
    assert [session.weights.title(name) for name in session.weights.edges] == ["Layer 1 weights", "Output weights"]
    assert weight_joins(session.state) == {"Layer 1 weights": "inputs → layer 1", "Output weights": "layer 1 → output"}
    history = WeightHistory("run", {0: "layer 1"})
    history.record(0, {"0.W": np.ones(3)})
    assert history.title("0.W") == "Layer 1 weights"


def test_nodes_are_named_in_words_where_the_engine_says_h0_0():
    state = PlaygroundState(hidden_layers=[2])
    assert node_title("h0:1", state) == "layer 1, neuron 2" and node_title("in:x", state) == "input X₁"
    assert node_label("in:x", state) == "X₁" and node_label("out:0", state) == "the output"
