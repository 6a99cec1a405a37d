"""`lesson check --verify` changes a solution stage's hidden layers as a student changes them on the page, with the
diagram's buttons and neuron counts, which keep the trained weights (keep_weights), not as a new setting, which builds
a fresh network. Before, lesson 7's second stage verified from a fresh network while its page went on from the
trained one, and its deep spiral took 96 to 303 epochs there, depending on the first stage's, against the
solution's 200 (tests/browser/every_lesson_ticks.py)."""

import numpy as np

from playground.lessons.progress import change_settings
from playground.lessons.vocabularies import VOCABULARIES
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def test_a_stages_new_hidden_layers_keep_the_trained_weights_as_the_diagrams_controls_do():
    by_stage, by_clicks = Session(PlaygroundState(hidden_layers=[16])), Session(PlaygroundState(hidden_layers=[16]))
    for session in (by_stage, by_clicks):
        for _ in range(5):
            session.step_epoch()
    trained = by_stage.model.state_dict()
    change_settings(by_stage, {"hidden_layers": [8, 8, 8], "learning_rate": 0.1}, VOCABULARIES["sandbox"])
    by_clicks.add_layer()  # "+ Add layer" twice, then each layer's neuron count typed down to 8 (NetworkView)
    by_clicks.add_layer()
    for layer in range(3):
        for _ in range(8):
            by_clicks.remove_neuron(layer)
    by_clicks.state.learning_rate = 0.1
    assert by_stage.state.hidden_layers == [8, 8, 8] and by_stage.state.learning_rate == 0.1
    weights, clicked = by_stage.model.state_dict(), by_clicks.model.state_dict()
    assert weights.keys() == clicked.keys()
    for name in weights:
        np.testing.assert_array_equal(weights[name], clicked[name])
    first = next(name for name in trained if name.endswith("W"))
    np.testing.assert_array_equal(weights[first], trained[first][:, :8])  # the first layer's trained neurons kept
