"""Every number the network uses: a weight's or bias's story holds the engine's own numbers of the next step, and its
formulas add up."""

import copy

import pytest

from nn_core.trainer import train_step
from playground.core.parameter_story import in_formula, parameter_story
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

CASES = [
    ({}, "0.W", (1, 2)),
    ({}, "4.b", (0,)),  # the output neuron's bias
    ({"regularization": "l2", "regularization_rate": 0.01}, "2.W", (3, 0)),
    ({"regularization": "l1", "regularization_rate": 0.01, "optimizer": "adam"}, "0.W", (0, 0)),
]


@pytest.mark.parametrize(("settings", "name", "index"), CASES)
def test_a_parameters_story_adds_up_and_is_the_engines_next_step(settings, name, index):
    session = Session(PlaygroundState(**settings))
    trainer = session.trainer
    x, y = trainer.x_train[:10], trainer.y_train[:10]
    model, loss, optimizer = session.model, trainer.loss, trainer.optimizer
    before = copy.deepcopy(model.state_dict())
    story = parameter_story(model, loss, optimizer, x, y, name, index, example=2)
    assert all((model.state_dict()[key] == value).all() for key, value in before.items())  # left as it was

    assert story.value == model.state_dict()[name][index]
    assert story.z == pytest.approx(story.weights @ story.inputs + story.bias)
    assert story.gradient == pytest.approx(story.batch_inputs @ story.deltas)
    twin_model, twin_loss, twin_optimizer = copy.deepcopy((model, loss, optimizer))
    train_step(twin_model, twin_loss, twin_optimizer, x, y)
    assert story.new_value == twin_model.state_dict()[name][index]
    if not settings:
        assert story.new_value == pytest.approx(story.value - optimizer.learning_rate * story.gradient)
    forward, backward, update = story.lines()
    assert forward.startswith("Forward, example 3: z = Σ w·a + b = ") and forward.endswith(
        f"(neuron {index[-1] + 1}, before its activation)"
    )
    assert ("dLoss/db = Σ δ" if name.endswith(".b") else "dLoss/dw = Σ a·δ") in backward
    assert update.endswith(f"= {in_formula(story.new_value, 6)}")
    if "regularization" in settings:
        assert f"({settings['regularization'].upper()})" in update


def test_the_sum_of_a_big_batch_is_shortened():
    session = Session(PlaygroundState())
    trainer = session.trainer
    story = parameter_story(session.model, trainer.loss, trainer.optimizer, trainer.x_train[:50],
                            trainer.y_train[:50], "2.W", (0, 0))  # fmt: skip
    assert "… (44 more)" in story.lines()[1]


def test_a_negative_number_in_a_formula_is_bracketed_with_a_real_minus():
    assert (in_formula(-0.4591), in_formula(0.1), in_formula(-2.5e-7, 2)) == ("(−0.459)", "0.1", "(−2.5e-07)")


def test_only_a_dense_layers_parameters_have_a_story():
    session = Session(PlaygroundState())
    trainer = session.trainer
    assert parameter_story(session.model, trainer.loss, trainer.optimizer, trainer.x_train[:4], trainer.y_train[:4],
                           "1.W", (0, 0)) is None  # fmt: skip
