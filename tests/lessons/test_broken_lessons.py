"""`lesson check` never passes a lesson that is broken for students (issue #22): a task on `activation` means every
hidden layer's, a counter is never asked to be at or below a number it can jump over, a task never needs a setting
the lesson locks or hides, and an MNIST stack is checked as the lab's editor checks it. Each refusal names the file,
the line, and how to fix it."""

import pytest

from playground.cli import main
from playground.lessons import LessonError, load_lesson
from playground.lessons.vocabularies import MNIST_MOVES, SANDBOX_MOVES
from playground.mnist.architecture import PRESETS
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

SANDBOX = """\
---
title: Broken
summary: A lesson to break.
level: beginner
order: 1
setup:
  dataset: circle
  hidden_layers: [4, 2]
locked: [dataset]
hidden: [noise]
tasks:
  - id: the-task
    text: Do it.
    check: test_accuracy >= 0.9
solution:
  epochs: 10
---
# Broken
"""
MNIST = """\
---
title: Broken digits
summary: An MNIST lesson to break.
level: advanced
order: 1
page: mnist
setup:
  preset: mlp
  layers:
    - {type: flatten}
    - {type: dense, units: 16}
    - {type: relu}
    - {type: dense, units: 10}
locked: [input_size]
tasks:
  - id: the-task
    text: Do it.
    check: test_accuracy >= 0.5
solution:
  steps: 20
---
# Broken digits
"""


def lesson_file(tmp_path, text, **replacements):
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "lesson.md"
    path.write_text(text)
    return path


def refusals(path):
    """[(line, field, message)] of every problem `lesson check` finds in `path`."""
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert all(problem.file == str(path) for problem in error.value.problems)
    return [(problem.line, problem.field, problem.message) for problem in error.value.problems]


# -- activation: the one every hidden layer uses ----------------------------------------------------------


def ticks(lesson, **settings):
    """Whether the lesson's one task holds on a fresh sandbox with the lesson's setup and `settings`."""
    session = Session(lesson.make_state())
    session.state.param.update(**settings)
    return lesson.tasks[0].check.evaluate(lesson.measure(session))


def test_a_task_on_activation_ticks_when_every_hidden_layer_uses_it_whichever_menu_set_it(tmp_path):
    lesson = load_lesson(lesson_file(tmp_path, SANDBOX, **{"test_accuracy >= 0.9": 'activation == "relu"'}))
    assert ticks(lesson, activation="relu")  # the shared menu
    assert ticks(lesson, layer_activations=["relu", "relu"])  # each layer's own menu
    assert not ticks(lesson, activation="relu", layer_activations=["tanh"])  # a tanh layer is no ReLU network
    assert not ticks(lesson, layer_activations=["relu"])  # the second layer still uses the shared tanh
    assert ticks(lesson, hidden_layers=[], activation="relu")  # no hidden layer: the menu's


def test_a_task_on_one_layers_activation_reads_activations(tmp_path):
    check = """'"relu" in activations and "tanh" in activations'"""  # quoted: YAML reads a leading " as a string
    lesson = load_lesson(lesson_file(tmp_path, SANDBOX, **{"test_accuracy >= 0.9": check}))
    assert ticks(lesson, layer_activations=["relu"]) and not ticks(lesson, activation="relu")


def test_a_task_on_activation_is_refused_when_no_menu_the_student_may_use_can_make_it_true(tmp_path):
    text = SANDBOX.replace("locked: [dataset]", "locked: [dataset, hidden_layers, activation]")
    path = lesson_file(tmp_path, text, **{"hidden: [noise]": "hidden: [noise, layer_activations]",
                                          "test_accuracy >= 0.9": 'activation == "relu"'})  # fmt: skip
    assert refusals(path) == [
        (
            14,
            "tasks[0].check",
            "can never be true in this lesson: activation stays 'tanh' (hidden_layers is locked, activation is "
            "locked, layer_activations is hidden). Let the student change it (take it out of `locked` and `hidden`, "
            "and show the view with its control), or ask for something the student can change",
        )
    ]
    freed = path.read_text().replace("hidden: [noise, layer_activations]", "hidden: [noise]")
    assert load_lesson(lesson_file(tmp_path, freed)).tasks  # each layer's menu can still make it ReLU


# -- counters: only "has reached" --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "check, column, fix",
    [
        ("epoch == 57", 1, "so it may never be seen at exactly 57: write epoch >= 57"),
        ("step == 1 and learning_rate == 0.3", 1, "so it may never be seen at exactly 1: write step >= 1"),
        ("test_accuracy >= 0.95 and epoch <= 10", 27, "so `epoch <= 10` can be jumped over: a check may only ask"),
        ("50 <= epoch < 60", 7, "so `epoch < 60` can be jumped over"),
        ("not (epoch >= 10) and test_loss < 0.1", 6, "so `epoch < 10` can be jumped over"),
        ("not epoch != 57", 5, "write epoch >= 57"),
    ],
)
def test_a_check_a_jumping_counter_can_step_over_is_refused_with_a_fix(tmp_path, check, column, fix):
    [(line, field, message)] = refusals(lesson_file(tmp_path, SANDBOX, **{"test_accuracy >= 0.9": check}))
    counter = "step" if "step" in check else "epoch"
    assert (line, field) == (14, "tasks[0].check")
    assert message.startswith(f"{counter} counts up by many between two looks at the task while the student trains")
    assert fix in message and message.endswith(f"(at column {column} of {check!r})")


@pytest.mark.parametrize(
    "check",
    ["epoch >= 57", "57 < epoch", "not (epoch < 57)", "step != 0", "step > 9 or epoch > 5"],
)
def test_a_counter_that_has_reached_a_number_is_accepted(tmp_path, check):
    assert load_lesson(lesson_file(tmp_path, SANDBOX, **{"test_accuracy >= 0.9": check})).tasks


def test_an_mnist_counter_is_refused_alike(tmp_path):
    [(line, field, message)] = refusals(lesson_file(tmp_path, MNIST, **{"test_accuracy >= 0.5": "epoch == 2"}))
    assert (line, field) == (18, "tasks[0].check") and "write epoch >= 2" in message


# -- tasks that need a locked or hidden setting ------------------------------------------------------------


@pytest.mark.parametrize(
    "check, locked, hidden, reason",
    [
        ("noise >= 10 and test_accuracy > 0.5", "[dataset]", "[noise]", "noise stays 0 (noise is hidden)"),
        ("depth == 1 or widest_layer > 8", "[dataset, hidden_layers]", "[noise]",
         "depth stays 2 (hidden_layers is locked); widest_layer stays 4 (hidden_layers is locked)"),
        ('dataset == "xor"', "[dataset, problem]", "[noise]", "dataset stays 'circle' (dataset is locked)"),
        ('optimizer == "adam" and "sinX" in features', "[dataset]", "[noise, optimizer, features]",
         "features stays ['x', 'y'] (features is hidden); optimizer stays 'sgd' (optimizer is hidden)"),
    ],
)  # fmt: skip
def test_a_task_that_needs_a_locked_or_hidden_setting_is_refused_naming_it(tmp_path, check, locked, hidden, reason):
    path = lesson_file(tmp_path, SANDBOX, **{"[dataset]": locked, "[noise]": hidden, "test_accuracy >= 0.9": check})
    [(line, field, message)] = refusals(path)
    assert (line, field) == (14, "tasks[0].check")
    assert message.startswith(f"can never be true in this lesson: {reason}. Let the student change it"), message


@pytest.mark.parametrize(
    "check, locked",
    [
        ('dataset == "reg-plane"', "[dataset]"),  # the problem menu picks the plane
        ("depth == 2 or test_accuracy > 0.9", "[dataset, hidden_layers]"),  # training can make it true
        ("not (depth == 3)", "[dataset, hidden_layers]"),
        ("depth >= 1", "[dataset]"),  # the student may change the layers
    ],
)
def test_a_task_the_student_can_make_true_is_accepted(tmp_path, check, locked):
    assert load_lesson(lesson_file(tmp_path, SANDBOX, **{"[dataset]": locked, "test_accuracy >= 0.9": check})).tasks


@pytest.mark.parametrize(
    "views, check, reason",
    [
        ("[controls, status, network, output]", "noise >= 10 and test_accuracy > 0.5",
         "noise stays 0 (noise has no control in the lesson's views)"),
        ("[controls, status, data, output]", "depth == 1", "depth stays 2 (hidden_layers has no control in the"),
        ("[status, data, network, output]", "learning_rate >= 0.1", "learning_rate stays 0.03 (learning_rate has no"),
    ],
)  # fmt: skip
def test_a_task_that_needs_a_control_of_a_view_the_lesson_does_not_show_is_refused(tmp_path, views, check, reason):
    path = lesson_file(tmp_path, SANDBOX, **{"hidden: [noise]": f"hidden: []\nviews: {views}",
                                             "test_accuracy >= 0.9": check})  # fmt: skip
    [(line, field, message)] = refusals(path)
    assert field == "tasks[0].check" and message.startswith(f"can never be true in this lesson: {reason}"), message
    shown = path.read_text().replace(f"views: {views}", "views: [controls, status, data, network, output]")
    assert load_lesson(lesson_file(tmp_path, shown)).tasks


def test_a_solution_that_changes_a_setting_no_shown_view_controls_is_refused(tmp_path):
    text = SANDBOX.replace("solution:\n  epochs: 10", "solution:\n  settings: {noise: 10}\n  epochs: 10")
    path = lesson_file(tmp_path, text, **{"hidden: [noise]": "hidden: []\nviews: [controls, network, output]"})
    [(line, field, message)] = refusals(path)
    assert field == "solution.settings.noise" and message.startswith("has no control in the lesson's views")
    shown = path.read_text().replace("views: [controls, network, output]", "views: [controls, data, network]")
    assert load_lesson(lesson_file(tmp_path, shown)).solution


def test_an_mnist_seed_has_no_control_so_a_task_on_it_is_refused(tmp_path):
    path = lesson_file(tmp_path, MNIST, **{"test_accuracy >= 0.5": "seed == 3"})
    [(line, field, message)] = refusals(path)
    assert "seed stays 0 (seed has no control in the lesson's views)" in message


def test_an_mnist_task_on_the_stack_needs_the_stack_or_a_preset_free(tmp_path):
    locked = "locked: [input_size, layers, preset]"
    path = lesson_file(tmp_path, MNIST, **{"locked: [input_size]": locked, "test_accuracy >= 0.5": "conv_layers >= 1"})
    [(line, field, message)] = refusals(path)
    assert (line, field, message.split(".")[0]) == (
        18, "tasks[0].check", "can never be true in this lesson: conv_layers stays 0 (layers is locked)"
    )  # fmt: skip
    assert load_lesson(lesson_file(tmp_path, path.read_text().replace(", preset]", "]"))).tasks  # small-cnn has two


def test_each_control_said_to_move_other_settings_moves_them():
    assert SANDBOX_MOVES == {"problem": ("dataset",), "dataset": ("problem",), "hidden_layers": ("layer_activations",)}
    state = PlaygroundState(dataset="circle")
    state.problem = "regression"
    assert state.dataset == "reg-plane"
    state.dataset = "xor"
    assert state.problem == "classification"
    session = Session(PlaygroundState(hidden_layers=[2, 2], layer_activations=["relu", "elu"]))
    session.remove_layer(0)  # the network view's "remove" of a layer
    assert session.state.layer_activations == ["elu"]
    assert MNIST_MOVES == {"preset": ("layers",)}
    lab = MnistState(preset="mlp")
    lab.preset = "small-cnn"
    assert lab.layers == PRESETS["small-cnn"]


def test_verify_no_longer_passes_a_task_the_student_cannot_do(tmp_path, capsys):
    path = lesson_file(tmp_path, SANDBOX, **{"[noise]": "[noise, activation, layer_activations]",
                                             "[dataset]": "[dataset, hidden_layers]",
                                             "test_accuracy >= 0.9": 'activation == "relu" or noise > 5'})  # fmt: skip
    assert main(["lesson", "check", "--verify", str(path)]) == 1
    assert f"{path}:14: tasks[0].check: can never be true in this lesson: " in capsys.readouterr().err


# -- MNIST stacks, as the lab's editor checks them ---------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, line, field, message",
    [
        ("{type: dense, units: 16}", "{type: banana}", 11, "setup.layers[1]", "layer 1 (banana): 'type' must be"),
        ("units: 10}", "units: 5}", 13, "setup.layers[3]", "the last layer must give 10 scores, one per digit, but "
         "gives (5,); end with a dense layer of 10 units"),
        ("units: 16}", "units: 1000000000}", 11, "setup.layers[1]", "layer 1 (dense): gives 1,000,000,000 numbers per "
         "digit; the lab builds layers of at most 1,000,000: use fewer units or filters"),
        ("units: 16}", "units: 16, activation: relu}", 11, "setup.layers[1]", "the lab's dense layer takes units, not "
         "'activation'"),
        ("{type: flatten}", "{type: conv2d, filters: 8, kernel_size: 40}", 10, "setup.layers[0]",
         "'kernel_size' 40 is bigger than its input"),
        ("steps: 20", "settings: {layers: [{type: flatten}, {type: dense, units: 7}]}\n  steps: 20", 20,
         "solution.settings.layers[1]", "the last layer must give 10 scores"),
    ],
)  # fmt: skip
def test_an_mnist_stack_the_lab_cannot_build_is_refused_at_its_layer(tmp_path, old, new, line, field, message):
    [(found_line, found_field, found)] = refusals(lesson_file(tmp_path, MNIST, **{old: new}))
    assert (found_line, found_field) == (line, field)
    assert found.startswith("the MNIST lab cannot build this stack: ") and message in found, found


def test_verify_reports_a_broken_stack_instead_of_crashing(tmp_path, capsys):
    path = lesson_file(tmp_path, MNIST, **{"units: 16}": "units: 1000000000}"})
    assert main(["lesson", "check", "--verify", str(path)]) == 1
    assert f"{path}:11: setup.layers[1]: the MNIST lab cannot build this stack" in capsys.readouterr().err
