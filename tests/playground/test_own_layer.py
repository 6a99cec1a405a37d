"""Write your own layer, in the sandbox's session: the engine's text to start from, a checked swap, a clear message
for broken code with the engine's code running on, and the way back."""

import numpy as np

from nn_core.layers.dense import Dense
from playground.core.code_starts import engine_text
from playground.core.code_trace import step_sources
from playground.core.status import Status
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState
from playground.widgets.own_layer import OwnLayer


def editor(**settings):
    changes = []
    session = Session(PlaygroundState(**settings))
    return session, OwnLayer(session, on_change=lambda: changes.append(1)), changes


def test_the_editor_starts_from_the_engines_own_text_of_the_chosen_kind_of_layer():
    session, own, _ = editor()
    assert own.kind.options == ["Dense", "Tanh"] and own.kind.value == "Dense"
    assert own.editor.value == engine_text(Dense) and own.editor.value.startswith("def forward(self, x):")
    own.kind.value = "Tanh"
    assert "np.tanh" in own.editor.value and "def backward(self, grad_y)" in own.editor.value


def test_a_kind_whose_code_calls_the_engines_helpers_is_not_offered_and_the_editor_says_why():
    _, own, _ = editor(activation="sigmoid")  # Sigmoid's code calls the engine's sigmoid(), unknown to a student's
    assert own.kind.options == ["Dense", "Tanh"]
    assert "Not offered, as your code sees numpy alone: Sigmoid (its code calls the engine's sigmoid)" in (
        own.left_out.object
    )


def test_use_my_code_checks_it_and_trains_with_it_and_back_restores_the_engines():
    session, own, changes = editor()
    own.editor.value = own.editor.value.replace('matmul(grad_y, self.params["W"].T)', '2 * grad_y @ self.params["W"].T')
    own.use_code()
    assert type(session.model.layers[2]).__name__ == "YourDense" and changes == [1]
    shown = {
        source.title: source for source in step_sources(session.model, session.trainer.loss, session.trainer.optimizer)
    }
    assert shown["YourDense.backward"].text.startswith("def backward(self, grad_y):") and "Dense.forward" not in shown
    assert shown["YourDense.backward"].path == "<your code>" and "2 * grad_y" in shown["YourDense.backward"].text
    assert "✗ wrong" in own.result.object and "input gradient" in own.result.object
    assert "1 of 3 gradients do not match" in own.result.object
    session.play()
    session.tick(20)
    assert session.view.step == 20  # it trains with the student's (wrong) backward
    own.engine_code()
    assert type(session.model.layers[2]) is Dense and own.back.disabled and changes == [1, 1]


def test_broken_code_is_refused_naming_its_line_and_the_network_keeps_its_code():
    session, own, changes = editor()
    own.editor.value = "def forward(self, x):\n    return x @ W"
    own.use_code()
    assert "Your code was not used: line 2: NameError: name &#x27;W&#x27; is not defined" in own.result.object
    assert type(session.model.layers[0]) is Dense and changes == []


def test_the_students_code_survives_a_new_network():
    session, own, _ = editor()
    text = own.editor.value.replace("return x @", "return 1.0 * x @")
    own.editor.value = text
    own.use_code()
    session.state.hidden_layers = [3]
    assert session.view.status != Status.ERROR
    assert all(type(layer).__name__ == "YourDense" for layer in session.model.layers[::2])
    assert own.editor.value == text
    out = session.model.forward(np.zeros((1, 2)))
    assert out.shape == (1, 1)
    session.add_neuron(0)  # a network edit that keeps the weights builds its model another way
    assert session.state.hidden_layers == [4]
    assert all(type(layer).__name__ == "YourDense" for layer in session.model.layers[::2])
    own.engine_code()
    session.state.hidden_layers = [2]
    assert not any(type(layer).__name__.startswith("Your") for layer in session.model.layers)


def test_code_that_fails_while_training_hands_back_to_the_engine_with_a_message():
    session, own, _ = editor()
    own.editor.value = (
        "def forward(self, x):\n    self.calls = getattr(self, 'calls', 0) + 1\n    if self.calls > 30:\n"
        "        raise ValueError('tired')\n    self.x = x\n    return x @ self.params['W'] + self.params['b']"
    )
    own.use_code()
    assert session.own_code == "Dense" and "✓ right" in own.result.object
    session.play()
    for _ in range(10):
        session.tick(5)
    assert session.own_code is None and session.view.status == Status.PAUSED
    assert session.view.message.startswith("Your code stopped training: line 4: ValueError: tired.")
    assert type(session.model.layers[0]) is Dense
    own.refresh()
    assert own.back.disabled and "line 4: ValueError: tired" in own.result.object
    session.play()
    session.tick(5)
    assert session.view.status == Status.RUNNING  # trains on with the engine's code
