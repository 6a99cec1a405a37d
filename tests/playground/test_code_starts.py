"""The editor's starts: made from the engine's source as it is, each doing what a lesson says of it."""

import pytest

from nn_core import LAYER_TYPES, build_model
from nn_core.layers.dense import Dense
from playground.core.code_starts import STARTS, edited, engine_helpers, engine_text, start_code
from playground.core.student_code import StudentCodeError, compile_methods, gradient_check
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState
from playground.widgets.own_layer import OwnLayer


def square_layer():
    return Session(PlaygroundState(hidden_layers=[2])).model.layers[0]  # 2 inputs -> 2 neurons


@pytest.mark.parametrize("name", STARTS)
def test_every_start_is_made_from_the_engines_text_and_checks_as_it_says(name):
    start = STARTS[name]
    text = start.text()
    assert source_line(text, "def forward(self, x):") and start.layer is Dense
    if name == "dense-backward-blank":
        with pytest.raises(StudentCodeError, match=r"what backward returns .* not ellipsis|self.grads\['W'\] must be"):
            gradient_check(square_layer(), compile_methods(text))
        return
    errors = gradient_check(square_layer(), compile_methods(text))
    wrong = {key for key, error in errors.items() if error > 1e-3}
    assert wrong == {"dense": set(), "dense-bias-sign": {"b"}, "dense-missing-transpose": {"W"}}[name]


def source_line(text, line):
    return any(row.strip() == line for row in text.splitlines())


def test_a_start_whose_edit_no_longer_fits_the_engine_fails_loudly():
    with pytest.raises(LookupError, match="no longer holds 'self.grads\\[\"W\"\\] = 2 \\* x' once"):
        edited(Dense, 'self.grads["W"] = 2 * x', "")()
    assert engine_text(Dense).count("def ") == 3


def test_a_planted_bug_runs_from_the_start_and_a_blank_waits_in_the_editor():
    session = Session(PlaygroundState())
    start_code(session, "dense-bias-sign")
    assert session.own_code == "Dense" and type(session.model.layers[0]).__name__ == "YourDense"
    assert OwnLayer(session).editor.value == STARTS["dense-bias-sign"].text()
    start_code(session, "dense-backward-blank")
    assert session.own_code is None and type(session.model.layers[0]) is Dense
    own = OwnLayer(session)
    assert "return ...  # your code" in own.editor.value and own.back.disabled


SETTINGS = {"dense": {"units": 3}, "conv2d": {"filters": 2, "kernel_size": 3}, "maxpool2d": {"size": 2},
            "avgpool2d": {"size": 2}, "dropout": {"rate": 0.5}}  # fmt: skip
IMAGES = {"conv2d", "maxpool2d", "avgpool2d", "flatten", "batchnorm"}  # kinds tried on (2, 4, 4) inputs, not (5,)


@pytest.mark.parametrize("kind", LAYER_TYPES)
def test_the_engines_text_of_a_layer_runs_as_a_students_code_unless_it_calls_the_engines_helpers(kind):
    spec = {"input_shape": [2, 4, 4] if kind in IMAGES else [5], "dtype": "float64",
            "layers": [{"type": kind, **SETTINGS.get(kind, {})}]}  # fmt: skip
    layer = build_model(spec, seed=0).layers[0]
    helpers = engine_helpers(type(layer))
    assert helpers == {"conv2d": ("cut_windows", "scatter_windows")}.get(
        kind, ("sigmoid",) if kind in ("sigmoid", "swish", "softplus") else ()
    )
    if helpers:  # a student's code sees numpy alone: the editor does not offer these kinds
        with pytest.raises(StudentCodeError, match=f"NameError: name '({'|'.join(helpers)})' is not defined"):
            gradient_check(layer, compile_methods(engine_text(type(layer))))
    else:
        errors = gradient_check(layer, compile_methods(engine_text(type(layer))))
        assert max(errors.values()) < 1e-6, errors
