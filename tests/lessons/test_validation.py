"""Every malformed lesson is refused with each problem's file, line, field and what was expected."""

import pytest

from playground.lessons import LessonError, load_all, load_lesson

GOOD = """\
---
title: Good
summary: A lesson that passes.
level: beginner
order: 1
setup:
  dataset: circle
  hidden_layers: [4]
views: [network, output]
locked: [dataset]
hidden: [noise]
tasks:
  - id: learn
    text: Train.
    check: test_accuracy >= 0.9
    hints: [Press play.]
solution:
  epochs: 10
---
# Good

::: view output
"""


def write(tmp_path, text, name="lesson.md"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    return [(p.file, p.line, p.field, p.message) for p in error.value.problems], str(path)


def test_the_good_lesson_loads_with_its_fields(tmp_path):
    lesson = load_lesson(write(tmp_path, GOOD))
    assert (lesson.title, lesson.order, lesson.page, lesson.slug) == ("Good", 1, "sandbox", "lesson")
    assert lesson.setup == {"dataset": "circle", "hidden_layers": [4]} and lesson.views == ("network", "output")
    assert lesson.tasks[0].hints == ("Press play.",) and lesson.solution[0].epochs == 10
    assert lesson.make_state().hidden_layers == [4]


@pytest.mark.parametrize(
    "old, new, line, field, message",
    [
        ("title: Good\n", "", 1, "title", "missing: the lesson's title"),
        ("title: Good", "title: ''", 2, "title", "expected the lesson's title, at most 100 characters"),
        ("level: beginner", "level: expert", 4, "level", "expected one of beginner, intermediate, advanced"),
        ("order: 1", "order: first", 5, "order", "expected the lesson's place in the curriculum"),
        ("order: 1", "order: 1\ncolour: red", 6, "colour", "unknown field; the fields are: title"),
        ("order: 1", "order: 1\npage: chess", 6, "page", "unknown page 'chess'; expected"),
        ("dataset: circle", "dataset: circles", 7, "setup.dataset", "does not accept 'circles'"),
        ("dataset: circle", "datasets: circle", 7, "setup.datasets", "(did you mean dataset?); the settings"),
        ("[4]", "[40]", 8, "setup.hidden_layers", "every width must be from 1 to 16, got 40"),
        (
            "hidden_layers: [4]",
            "hidden_layers: [4]\n  problem: regression",
            9,
            "setup.problem",
            "is 'classification' with the other settings, not 'regression'",
        ),
        ("[network, output]", "[network, loss-curve]", 9, "views[1]", "unknown view 'loss-curve'; expected one of"),
        ("locked: [dataset]", "locked: [dataset, wings]", 10, "locked[1]", "unknown setting 'wings'"),
        ("hidden: [noise]", "hidden: [nosie]", 11, "hidden[0]", "unknown setting 'nosie' (did you mean noise?)"),
        ("id: learn", "id: Learn Fast", 13, "tasks[0].id", "expected a short id of lower-case letters"),
        ("test_accuracy >= 0.9", "accuracy >= 0.9", 15, "tasks[0].check", "unknown metric 'accuracy'"),
        ("test_accuracy >= 0.9", "activation > 2", 15, "tasks[0].check", "`>` compares two numbers, not a string"),
        ("test_accuracy >= 0.9", "test_accuracy >=", 15, "tasks[0].check", "not a valid expression"),
        ("    text: Train.\n", "", 13, "tasks[0].text", "expected what the student should do"),
        ("hints: [Press play.]", "hint: [Press play.]", 16, "tasks[0].hint", "unknown task field"),
        (
            "epochs: 10",
            "epochs: -3",
            18,
            "solution.epochs",
            "expected a whole number of epochs from 0 to 2,000, got -3",
        ),
        ("epochs: 10", "epochs: 1000000", 18, "solution.epochs", "from 0 to 2,000, got 1000000"),
        (
            "hidden_layers: [4]",
            "hidden_layers: 1",
            8,
            "setup.hidden_layers",
            "must be a list (neurons in each hidden layer), e.g. [4, 2], not 1",
        ),
        (
            "test_accuracy >= 0.9",
            "test_accuracy >= 95%",
            15,
            "tasks[0].check",
            "write 0.95 for 95%: shares run from 0 to 1 (at column 18 of",
        ),
        ("test_accuracy >= 0.9", "test_loss < 1e400", 15, "tasks[0].check", "the number is too large (not finite)"),
        (
            "text: Train.",
            "text: |\n      Train.\n\n      ::: tasks",
            14,
            "tasks[0].text",
            "`::: tasks` cannot go in a task's text or a hint",
        ),
        (
            "hints: [Press play.]",
            "hints:\n      - |\n        Look:\n\n        ::: playground",
            17,
            "tasks[0].hints[0]",
            "`::: playground` cannot go in a task's text or a hint",
        ),
        ("text: Train.", "text: '![a](missing.png)'", 14, "tasks[0].text", "image 'missing.png': no such file"),
        ("hints: [Press play.]", "hints: ['![a](../secret.png)']", 16, "tasks[0].hints[0]", "is outside the lessons"),
        (
            "hints: [Press play.]",
            "hints: ['```figure\n\n      kind: pie\n\n      ```']",
            16,
            "tasks[0].hints[0]",
            "figure.kind: expected one of activations",
        ),
        ("epochs: 10", "reset: yes please", 18, "solution.reset", "expected true or false"),
        ("epochs: 10", "settings: {dataset: xor}", 18, "solution.settings.dataset", "is locked or hidden"),
        ("epochs: 10", "settings: {learning_rate: 0.5}", 18, "solution.settings.learning_rate", "does not accept 0.5"),
        ("::: view output", "::: view loss-curve", 22, "body", "unknown view 'loss-curve'; the views are"),
        ("::: view output", "::: dance", 22, "body", "unknown placeholder `::: dance`"),
        ("::: view output", "![a](http://example.com/a.png)", 22, "body", "images are files beside the lesson"),
        ("::: view output", "![a](../secret.png)", 22, "body", "is outside the lessons folder"),
        ("::: view output", "text\n\n![a](missing.png)", 24, "body", "image 'missing.png': no such file"),
        ("order: 1", "order: 1\norder: 2", 6, "order", "given twice; keep one"),
        ("order: 1", "order: 1\ncode: dense-bug", 6, "code", "expected the start of the glass box's layer editor"),
        ("epochs: 10", "code: mine", 18, "solution.code", "expected the code the student uses, one of: dense,"),
    ],
)
def test_each_problem_names_file_line_field_and_what_was_expected(tmp_path, old, new, line, field, message):
    assert old in GOOD
    found, file = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(p[:3] == (file, line, field) and message in p[3] for p in found), found


def test_a_duplicate_task_id_is_reported_at_the_second_task(tmp_path):
    text = GOOD.replace("solution:", "  - id: learn\n    text: Again.\n    check: epoch > 1\nsolution:")
    found, file = problems(tmp_path, text)
    assert found == [(file, 17, "tasks[1].id", "duplicate task id 'learn'; every task needs its own")]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = (
        GOOD.replace("level: beginner", "level: 3").replace("[dataset]", "[wings]").replace("::: view output", "::: x")
    )
    found, _ = problems(tmp_path, text)
    assert [p[2] for p in found] == ["level", "locked[0]", "body"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("# no header\n", 1, "a lesson starts with a `---` line"),
        ("---\ntitle: x\n", 2, "the header never ends"),
        ("---\ntitle: [unclosed\n---\n", 3, "the header is not valid YAML"),
        ("---\n- a list\n---\n", 2, "the header must be `key: value` lines"),
        ("---\ntitle: !!python/object/apply:os.system [ls]\n---\n", 2, "the header is not valid YAML"),
        ("---\na: &x [1, 2]\nb: *x\n---\n", 2, "anchors and aliases (& and *) are not allowed"),
        (
            "---\ntitle: x\nsummary: Note: y\n---\n",
            3,
            'a value that contains `: ` must be quoted, e.g. summary: "Note: y"',
        ),
    ],
)
def test_an_unreadable_header_is_one_problem_with_its_line(tmp_path, text, line, message):
    found, file = problems(tmp_path, text)
    assert len(found) == 1 and found[0][:3] == (file, line, "header") and message in found[0][3]


@pytest.mark.parametrize(
    "old, new, field, message",
    [
        ("# Good", "x" * 100_001, "file", "at most 100,000 bytes"),
        ("# Good", "x\n" * 25_001, "body", "at most 50,000 characters"),
        (
            "solution:",
            "".join(f"  - id: t{i}\n    text: T.\n    check: epoch > 1\n" for i in range(12)) + "solution:",
            "tasks",
            "at most 12 tasks",
        ),
        ("hints: [Press play.]", "hints: [a, b, c, d, e, f]", "tasks[0].hints", "at most 5 hints"),
    ],
)
def test_size_limits(tmp_path, old, new, field, message):
    found, _ = problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(p[2] == field and message in p[3] for p in found), found


@pytest.mark.parametrize("name, suggestion", [("my lesson.md", "my-lesson.md"), ("x².md", "x2.md")])
def test_a_file_name_the_site_cannot_use_is_refused_with_a_suggestion(tmp_path, name, suggestion):
    path = write(tmp_path, GOOD, name)
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert [(p.line, p.field) for p in error.value.problems] == [(1, "file")]
    assert "may hold only ASCII letters, digits and dashes (it names the lesson's page" in str(error.value)
    assert f"rename it, e.g. {suggestion}" in str(error.value)


def test_load_all_orders_lessons_and_reports_every_file(tmp_path):
    write(tmp_path, GOOD.replace("order: 1", "order: 2"), "b.md")
    write(tmp_path, GOOD, "a.md")
    assert [lesson.slug for lesson in load_all(tmp_path)] == ["a", "b"]
    write(tmp_path, GOOD.replace("order: 1", "order: 2"), "c.md")
    write(tmp_path, "oops", "d.md")
    with pytest.raises(LessonError) as error:
        load_all(tmp_path)
    assert [(p.file.rsplit("/", 1)[-1], p.field) for p in error.value.problems] == [
        ("c.md", "order"),
        ("d.md", "header"),
    ]
    assert "2 is also the order of b.md" in str(error.value)


def test_an_mnist_lesson_is_checked_against_the_mnist_labs_registry(tmp_path):
    text = GOOD.replace("order: 1", "order: 1\npage: mnist").replace("dataset: circle", "preset: small-cnn")
    text = text.replace("hidden_layers: [4]", "input_size: 14").replace("[network, output]", "[controls, editor]")
    text = text.replace("locked: [dataset]\nhidden: [noise]\n", "locked: [preset]\nhidden: [input_size]\n")
    text = text.replace("::: view output", "::: view filters")
    lesson = load_lesson(write(tmp_path, text))
    state = lesson.make_state()
    assert lesson.vocabulary.page == "mnist" and (state.input_size, state.lock, state.hide) == (
        14,
        ["preset"],
        ["input_size"],
    )
    wrong = text.replace("input_size: 14", "input_size: 20").replace("0.9", "0.9 and depth > 1")
    wrong = wrong.replace("locked: [preset]", "locked: [preset, dataset]")
    found, _ = problems(tmp_path, wrong)
    assert [p[2] for p in found] == ["setup.input_size", "locked[1]", "tasks[0].check"]
    assert "unknown setting 'dataset'; expected one of: preset, layers, input_size" in found[1][3]


def test_a_lesson_may_start_the_glass_box_editor_and_place_its_views(tmp_path):
    text = GOOD.replace("order: 1", "order: 1\ncode: dense-bias-sign")
    text = text.replace("epochs: 10", "code: dense\n  epochs: 10")
    lesson = load_lesson(write(tmp_path, text.replace("::: view output", "::: view own-layer\n\n::: view code")))
    assert lesson.code == "dense-bias-sign" and lesson.solution[0].code == "dense"
    plain = load_lesson(write(tmp_path, GOOD.replace("views: [network, output]\n", ""), "plain.md"))
    assert plain.views == ("controls", "status", "data", "network", "output")  # no glass box unless placed
