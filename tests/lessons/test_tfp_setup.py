"""A lesson's `tfp_url:` (a TensorFlow Playground link as the setup), "did you mean" for TFP's names, and the
sandbox's Copy as lesson setup: its lines, as a lesson's header, start the same state."""

import re
from pathlib import Path

import pytest

from playground.core.query import query_of
from playground.lessons import LessonError, load_lesson
from playground.sandbox.lesson_setup import lesson_setup
from playground.sandbox.state import SETTINGS, PlaygroundState

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lessons.md"
HEAD = "---\ntitle: T\nsummary: S.\nlevel: beginner\norder: 1\n"
LINK = (
    "https://playground.tensorflow.org/#activation=relu&problem=regression&regDataset=reg-gauss&learningRate_hide=true"
)


def lesson(tmp_path, header):
    path = tmp_path / "lesson.md"
    path.write_text(HEAD + header + "---\n# T\n")
    return load_lesson(path)


def problems(tmp_path, header):
    with pytest.raises(LessonError) as error:
        lesson(tmp_path, header)
    return [(p.line, p.field, p.message) for p in error.value.problems]


def test_a_tfp_link_becomes_the_setup_and_its_hidden_controls_join_hidden(tmp_path):
    found = lesson(tmp_path, f'setup:\n  tfp_url: "{LINK}"\n  seed: 3\nhidden: [noise]\n')
    assert found.setup == {"problem": "regression", "dataset": "reg-gauss", "activation": "relu", "seed": 3}
    assert found.hidden == ("noise", "learning_rate")
    state = found.make_state()
    assert (state.dataset, state.activation, state.seed, state.hide) == (
        "reg-gauss",
        "relu",
        3,
        ["noise", "learning_rate"],
    )


def test_the_setups_own_lines_win_over_the_links_even_for_the_data_set(tmp_path):
    found = lesson(tmp_path, f'setup:\n  tfp_url: "{LINK}"\n  dataset: xor\n')
    assert found.setup == {"activation": "relu", "dataset": "xor"}  # the link's regression problem went with its data
    assert found.make_state().problem == "classification"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('setup:\n  tfp_url: "#learningRate=0.05"\n', "the link's learning_rate: cannot use '0.05' (not one of"),
        ('setup:\n  tfp_url: "#playButton_hide=true&initZero=true"\n',
         "the link's TensorFlow Playground's playButton_hide=true, initZero=true: no equivalent here, ignored"),
        ("setup:\n  tfp_url: 5\n", "expected a TensorFlow Playground link, e.g. 'https://playground.tensorflow.org/#"),
        ('setup:\n  tfp_url: "http://[x"\n', "the link's http://[x: unknown setting, ignored"),
        ('page: mnist\nsetup:\n  tfp_url: "#noise=5"\n', "a TensorFlow Playground link sets up the sandbox only"),
    ],
)  # fmt: skip
def test_what_of_a_link_cannot_be_used_is_a_problem_at_tfp_url(tmp_path, header, message):
    found = problems(tmp_path, header)
    assert any(field == "setup.tfp_url" and message in text for _, field, text in found), found


@pytest.mark.parametrize(
    ("header", "field", "message"),
    [
        ("setup:\n  learningRate: 0.1\n", "setup.learningRate", "unknown setting (did you mean learning_rate?); the"),
        ("setup:\n  percTrainData: 70\n", "setup.percTrainData", "(did you mean train_percent?)"),
        ("setup:\n  networkShape: [4]\n", "setup.networkShape", "(did you mean hidden_layers?)"),
        ("setup:\n  xTimesY: true\n", "setup.xTimesY", "(did you mean features?)"),
        ("setup:\n  regDataset: reg-gauss\n", "setup.regDataset", "(did you mean dataset?)"),
        ("setup:\n  learningRate_hide: true\n", "setup.learningRate_hide", "(did you mean hidden: [learning_rate]?)"),
        ("setup:\n  learning_rat: 0.1\n", "setup.learning_rat", "(did you mean learning_rate?)"),
        ("hidden: [learningRate]\n", "hidden[0]", "unknown setting 'learningRate' (did you mean learning_rate?)"),
        ("locked: [numHiddenLayers]\n", "locked[0]", "(did you mean hidden_layers?)"),
        ("hide: [noise]\n", "hide", "unknown field (did you mean hidden?)"),
        ("solution:\n  settings: {batchSize: 5}\n", "solution.settings.batchSize", "(did you mean batch_size?)"),
    ],
)
def test_the_checker_answers_tfps_names_and_near_misses_with_ours(tmp_path, header, field, message):
    found = problems(tmp_path, header)
    assert any(where == field and message in text for _, where, text in found), found


def test_no_suggestion_for_a_name_like_none_of_ours(tmp_path):
    [(_, _, message)] = problems(tmp_path, "setup:\n  playButton_hide: true\n")
    assert message.startswith("unknown setting; the settings are:")


STATES = [
    PlaygroundState(),
    PlaygroundState.from_query(query_of(LINK))[0],
    PlaygroundState(
        dataset="spiral", noise=25, train_percent=70, batch_size=5, seed=42, features=["x", "y", "sinX"],
        hidden_layers=[8, 8, 3], layer_activations=["relu", "", "sigmoid"], learning_rate=0.00001,
        regularization="l2", regularization_rate=0.003, optimizer="adam", loss="cross_entropy", keep_weights=False,
        discretize=True, show_test_data=True, network_shows="gradients", hide=["noise", "seed"], lock=["dataset"],
    ),
    PlaygroundState(problem="regression", hidden_layers=[], lock=["hidden_layers", "learning_rate"]),
]  # fmt: skip


@pytest.mark.parametrize("state", STATES, ids=range(len(STATES)))
def test_the_copied_setup_as_a_lessons_header_gives_the_same_state(tmp_path, state):
    text = lesson_setup(state)
    started = lesson(tmp_path, text).make_state()
    assert {name: getattr(started, name) for name in [*SETTINGS, "hide", "lock"]} == {
        name: getattr(state, name) for name in [*SETTINGS, "hide", "lock"]
    }


def test_the_copied_setup_lists_only_what_differs_from_the_defaults():
    assert lesson_setup(PlaygroundState()) == "setup: {}\n"
    state = PlaygroundState(activation="relu", hidden_layers=[3], hide=["learning_rate"], lock=["noise"])
    assert lesson_setup(state) == (
        "setup:\n  hidden_layers: [3]\n  activation: relu\nlocked: [noise]\nhidden: [learning_rate]\n"
    )


def test_the_docs_example_of_a_tfp_url_loads(tmp_path):
    [example] = re.findall(r"```yaml\n(setup:\n  tfp_url:.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL)
    found = lesson(tmp_path, example)
    assert found.setup["dataset"] == "reg-gauss" and found.setup["seed"] == 3 and found.hidden == ("learning_rate",)
