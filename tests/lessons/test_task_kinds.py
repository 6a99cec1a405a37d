"""Task kinds (issue 22 item 3): predict-then-run, multiple choice and observe tasks. A header's kinds and options are
checked in the author's words at FILE:LINE; the answers a student gives are kept, merged and judged as the page does;
the doctor's findings are metrics; `--verify` lets observe and predict tasks pass at the start and reports what each
run's predictions showed."""

import json
from pathlib import Path

import pytest

from playground.cli import main
from playground.lessons import LessonError, TaskKind, evaluate_tasks, latch, load_lesson, render_html, verify
from playground.lessons.answers import Answers
from playground.lessons.app import LessonPage
from playground.lessons.metrics import DOCTOR_METRICS, lesson_metrics
from playground.lessons.render import lesson_embeds
from playground.sandbox import doctor
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

LESSONS = Path(__file__).parents[2] / "lessons"
LESSON = """\
---
title: Kinds
summary: Every kind of task.
level: beginner
order: 1
setup:
  dataset: circle
  hidden_layers: [4]
  learning_rate: 10
locked: [dataset, problem]
tasks:
  - id: rate-3
    kind: predict
    text: What will learning rate 10 do?
    check: epoch >= 30
    options:
      - text: It learns.
        outcome: test_accuracy >= 0.9
        feedback: Not at this rate.
      - text: It gets stuck.
        outcome: test_accuracy < 0.9
        feedback: The neurons saturate.
  - id: why
    kind: choice
    text: Why?
    options:
      - {text: The steps are too long., correct: true, feedback: Yes.}
      - {text: The network is too small., feedback: It learns at 0.03.}
      - {text: It needs more epochs., feedback: They do not help.}
  - id: stuck
    kind: observe
    text: Press Play and watch it get stuck.
    check: saturated
  - id: learn
    text: Lower the rate, press Reset and learn.
    check: learning_rate <= 0.3 and test_accuracy >= 0.9
solution:
  - epochs: 30
  - settings: {learning_rate: 0.3}
    reset: true
    epochs: 30
---
# Kinds
"""


def write(tmp_path, text=LESSON, name="kinds.md"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(tmp_path, old, new):
    """[(line, field, message)] lesson check finds once `old` is replaced by `new` in LESSON."""
    assert old in LESSON, old
    with pytest.raises(LessonError) as error:
        load_lesson(write(tmp_path, LESSON.replace(old, new, 1)))
    return [(problem.line, problem.field, problem.message) for problem in error.value.problems]


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    return load_lesson(write(tmp_path_factory.mktemp("kinds")))


# -- the header -----------------------------------------------------------------------------------------------------


def test_a_lesson_with_every_kind_loads_with_its_options(lesson):
    predict, choice, observe, reach = lesson.tasks
    assert [task.kind for task in lesson.tasks] == ["predict", "choice", "observe", "reach"]
    assert predict.check.source == "epoch >= 30" and [option.outcome.source for option in predict.options] == [
        "test_accuracy >= 0.9",
        "test_accuracy < 0.9",
    ]
    assert predict.options[1].feedback == "The neurons saturate." and not predict.options[0].correct
    assert choice.check is None and [option.correct for option in choice.options] == [True, False, False]
    assert observe.options == () and reach.kind == TaskKind.REACH
    assert {"epoch", "test_accuracy", "saturated", "learning_rate"} == lesson.metric_names
    assert [task.may_pass_at_start for task in lesson.tasks] == [True, False, True, False]


@pytest.mark.parametrize(
    "old, new, line, field, message",
    [
        ("kind: predict", "kind: predicted", 13, "tasks[0].kind", "unknown task kind 'predicted' (did you mean"),
        ("kind: observe", "kind: watch", 31, "tasks[2].kind", "a task is one of: reach (the default: the student"),
        ("    check: epoch >= 30\n", "", 12, "tasks[0].check", "missing: when the run is far enough to judge"),
        ("    check: epoch >= 30\n", "    check: epoch == 30\n", 15, "tasks[0].check", "write epoch >= 30"),
        ("outcome: test_accuracy >= 0.9", "outcome: accuracy >= 0.9", 18, "tasks[0].options[0].outcome",
         "unknown metric 'accuracy'"),
        ("outcome: test_accuracy >= 0.9", "outcome: dataset == 'xor'", 18, "tasks[0].options[0].outcome",
         "can never be true in this lesson: dataset stays 'circle' (dataset is locked)"),
        ("        outcome: test_accuracy >= 0.9\n", "", 17, "tasks[0].options[0].outcome",
         "missing: the check that is true when this prediction is what happened"),
        ("outcome: test_accuracy >= 0.9", "correct: true", 18, "tasks[0].options[0].correct",
         "a prediction is right when its `outcome` holds once the run is decided"),
        ("      - text: It learns.\n        outcome: test_accuracy >= 0.9\n        feedback: Not at this rate.\n",
         "      - It learns.\n", 17, "tasks[0].options[0]",
         "expected an option: `text` (what the student may predict), `outcome`"),
        ("feedback: Not at this rate.", "feedbak: Not at this rate.", 19, "tasks[0].options[0].feedbak",
         "unknown option field (did you mean feedback?)"),
        ("text: It learns.", f"text: {'x' * 201}", 17, "tasks[0].options[0].text", "1 to 200 characters"),
        ("text: It learns.", "text: '::: playground'", 17, "tasks[0].options[0].text",
         "`::: playground` cannot go in a task's text or a hint"),
        ("    text: Why?\n", "    text: Why?\n    check: epoch >= 1\n", 26, "tasks[1].check",
         "a choice task has no check: it is done when the student picks an option marked `correct: true`"),
        ("{text: The steps are too long., correct: true, feedback: Yes.}",
         "{text: The steps are too long., feedback: Yes.}", 26, "tasks[1].options",
         "no option is marked `correct: true`, so the student could never finish the task"),
        ("correct: true, feedback: Yes.", "correct: yes please, feedback: Yes.", 27, "tasks[1].options[0].correct",
         "expected true or false, got 'yes please'"),
        ("{text: The steps are too long., correct: true, feedback: Yes.}",
         "{text: The steps are too long., outcome: diverged}", 27, "tasks[1].options[0].outcome",
         "a choice is right when it is marked `correct: true`; outcomes belong to `kind: predict` tasks"),
        ("      - {text: The network is too small., feedback: It learns at 0.03.}\n"
         "      - {text: It needs more epochs., feedback: They do not help.}\n", "", 26, "tasks[1].options",
         "a choice task needs `options`: a list of 2 to 6, this one 1, each with `text` (an answer the student may"),
        ("    check: saturated\n", "    check: saturated\n    options: [{text: A}, {text: B}]\n", 34,
         "tasks[2].options", "only predict and choice tasks have options: add `kind: predict` or `kind: choice`"),
    ],
)  # fmt: skip
def test_each_mistake_in_a_kind_or_an_option_is_said_at_its_line(tmp_path, old, new, line, field, message):
    found = problems(tmp_path, old, new)
    assert any((at, where) == (line, field) and message in said for at, where, said in found), found


def test_every_option_correct_is_refused_and_the_cli_says_file_line(tmp_path, capsys):
    text = LESSON.replace(
        "{text: The network is too small., feedback", "{text: The network is too small., correct: true, feedback"
    )
    text = text.replace(
        "{text: It needs more epochs., feedback", "{text: It needs more epochs., correct: true, feedback"
    )
    path = write(tmp_path, text)
    assert main(["lesson", "check", str(path)]) == 1
    assert f"{path}:26: tasks[1].options: every option is marked `correct: true`" in capsys.readouterr().err


def test_options_render_as_a_list_with_hidden_feedback_and_the_right_choices_marked(lesson):
    html = render_html(lesson)
    assert '<li data-task="rate-3" data-kind="predict">' in html and '<li data-task="learn">' in html
    assert '<li data-option="0" data-correct="true"><span class="option-text">The steps are too long.</span>' in html
    assert '<div class="option-feedback"><p>It learns at 0.03.</p>' in html
    assert html.count('<ul class="task-options">') == 2 and '<li data-task="stuck" data-kind="observe">' in html


# -- answers and progress --------------------------------------------------------------------------------------------


def test_a_prediction_is_judged_once_its_check_holds_and_stays_as_committed(lesson):
    predict = lesson.tasks[0]
    answers = Answers().predict(predict, 1)
    assert answers.predict(predict, 0).predicted == {"rate-3": 1}  # committed: the options are locked
    assert answers.decide(lesson, {"epoch": 12, "test_accuracy": 0.5}) == answers  # not decided yet
    decided = answers.decide(lesson, {"epoch": 31, "test_accuracy": 0.5})
    assert decided.outcomes == {"rate-3": (1,)} and decided.done(predict)
    assert decided.decide(lesson, {"epoch": 60, "test_accuracy": 0.95}) == decided  # judged once
    assert Answers().decide(lesson, {"epoch": 31, "test_accuracy": 0.5}).outcomes == {}  # no prediction, no verdict


def test_a_choice_is_done_once_a_right_option_is_picked_and_wrong_picks_are_kept(lesson):
    choice = lesson.tasks[1]
    wrong = Answers().pick(choice, 2)
    assert not wrong.done(choice) and evaluate_tasks(lesson, {}, wrong)["why"] is False
    right = wrong.pick(choice, 0)
    assert right.picked == {"why": (2, 0)} and right.done(choice)
    assert latch({}, lesson, {"saturated": True}, right) == {
        "rate-3": False,
        "why": True,
        "stuck": True,
        "learn": False,
    }


def test_answers_from_the_browser_keep_only_what_fits_the_lesson_and_merge_in_any_order(lesson):
    stored = {
        "predicted": {"rate-3": 1, "why": 0, "ghost": 0},
        "picked": {"why": [2, 2, 7, "x", 0], "rate-3": [1]},
        "outcomes": {"rate-3": [1, 9]},
    }
    answers = Answers.from_json(lesson, json.dumps(stored))
    assert answers == Answers({"rate-3": 1}, {"why": (2, 0)}, {"rate-3": (1,)})
    assert Answers.from_json(lesson, "not json") == Answers() == Answers.from_json(lesson, "[1, 2]")
    assert Answers.from_json(lesson, answers.to_json()) == answers
    other = Answers({"rate-3": 0}, {"why": (1,)}, {})
    assert answers.merged(other) == Answers({"rate-3": 1}, {"why": (2, 0, 1)}, {"rate-3": (1,)})
    assert other.merged(answers).predicted == {"rate-3": 0}  # the first prediction kept stays


def page_of(lesson, answers=None, done=None):
    """A lesson page as a browser opens it: the stored progress and answers written back at start."""
    page = LessonPage(lesson, lesson_embeds(lesson))
    if done is not None:
        page.progress.value = json.dumps(done)
    if answers is not None:
        page.answers_input.value = answers
    return page


def test_the_page_hears_a_commit_judges_it_after_the_run_and_a_reload_finds_it_again(lesson):
    page = page_of(lesson)
    page.answers_input.value = json.dumps({"predicted": {"rate-3": 1}, "picked": {"why": [1]}})
    assert page.answers.predicted == {"rate-3": 1} and not page.done["why"]
    assert json.loads(page.answers_input.value)["picked"] == {"why": [1]}  # the page is told what Python kept
    page.answers_input.value = json.dumps({"predicted": {"rate-3": 0}, "picked": {"why": [1, 0]}})
    assert page.answers.predicted == {"rate-3": 1} and page.done["why"]  # still the first prediction; a right pick
    for _ in range(30):
        page.app.session.step_epoch()
    page.check_tasks()
    assert page.answers.outcomes == {"rate-3": (1,)} and page.done["rate-3"] and page.done["stuck"]
    assert json.loads(page.progress.value) == ["rate-3", "why", "stuck"]
    stored = page.answers_input.value
    again = page_of(lesson, stored, json.loads(page.progress.value))  # a reload: the browser's copy comes back
    assert again.answers == page.answers and again.done == page.done
    assert again.app.session.view.epoch == 0
    page.answers_input.value = "not json"
    assert page.answers.outcomes == {"rate-3": (1,)} and page.answers_input.value == stored


def test_a_prediction_committed_after_the_run_is_judged_at_once():
    lesson = load_lesson(LESSONS / "14-predict-the-learning-rate.md")
    page = page_of(lesson)
    for _ in range(40):
        page.app.session.step_epoch()
    page.check_tasks()
    assert not page.done["rate-0-003"]  # no prediction, no verdict
    page.answers_input.value = json.dumps({"predicted": {"rate-0-003": 1}})
    assert page.answers.outcomes == {"rate-0-003": (0,)} and page.done["rate-0-003"]


def test_a_committed_prediction_is_judged_at_the_first_redraw_where_its_run_is_decided(tmp_path):
    """Also in a lesson whose costly check is looked at only every CHECK_INTERVAL while training: lesson 14's small
    network trains about 100 epochs a second on the site, and half a second past epoch 40 its rate of 0.003 had got
    far enough for "It learns" to read as what happened."""
    text = (LESSONS / "14-predict-the-learning-rate.md").read_text()
    costly = "tasks:\n  - id: gradients\n    text: Check the gradients.\n    check: gradcheck_passed\n"
    (tmp_path / "14-with-a-gradient-check.md").write_text(text.replace("tasks:\n", costly, 1))
    lesson = load_lesson(tmp_path / "14-with-a-gradient-check.md")
    assert lesson.costly_checks
    page = page_of(lesson)
    page.answers_input.value = json.dumps({"predicted": {"rate-0-003": 1}})
    session = page.app.session
    session.play()
    page.check_tasks()  # as at Play: the periodic check is not due for another CHECK_INTERVAL
    while not page.done["rate-0-003"]:
        session.tick(session.steps_per_epoch())  # an epoch a redraw, all within the check interval
        page.app.redraw()
    assert session.view.epoch == 40
    assert page.answers.outcomes == {"rate-0-003": (0,)}  # it crawled: under 85% of the test points at epoch 40
    assert not page.answers.awaiting_run(lesson)


# -- observe: the doctor's findings as metrics ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings, epochs, found",
    [
        ({"learning_rate": 3.0, "activation": "relu", "hidden_layers": [8, 8]}, 2, "dead"),
        ({"learning_rate": 3.0, "activation": "sigmoid", "hidden_layers": [8, 8]}, 6, "blocked"),
        ({"learning_rate": 10.0, "activation": "tanh", "hidden_layers": [8, 8]}, 14, "stalled"),
    ],
)
def test_the_doctor_metrics_say_what_the_doctor_finds(settings, epochs, found):
    session = Session(PlaygroundState(**settings))
    assert lesson_metrics(session, DOCTOR_METRICS) == {
        "dead_neurons": 0,
        "saturated": False,
        "plateaued": False,
        "diagnoses": [],
    }
    for _ in range(epochs):
        session.step_epoch()
        metrics, kinds = lesson_metrics(session, DOCTOR_METRICS), [d.kind for d in doctor.diagnoses(session)]
        assert metrics["diagnoses"] == kinds and metrics["plateaued"] == ("stalled" in kinds)
        assert metrics["dead_neurons"] == sum(dead for dead, _ in doctor.dead_counts(session).values())
    assert found in metrics["diagnoses"]
    assert metrics["saturated"] == (found != "dead") and (metrics["dead_neurons"] > 0) == (found == "dead")


def test_a_check_on_an_unknown_diagnosis_is_refused(tmp_path):
    found = problems(tmp_path, "check: saturated", """check: '"dying" in diagnoses'""")
    assert found[0][:2] == (33, "tasks[2].check") and "diagnoses is never 'dying'; it is one of: dead" in found[0][2]


# -- verify -----------------------------------------------------------------------------------------------------------


def test_verify_lets_observe_and_predict_tasks_pass_at_the_start_but_not_reach_tasks(lesson):
    result = verify(lesson)
    assert result.solved == {"rate-3": True, "stuck": True, "learn": True}  # the student answers the choice
    assert result.at_start == {"learn": False}  # only the reach task must not pass at the start
    assert result.outcomes == {"rate-3": (1,)} == result.start_outcomes and result.holds


def test_verify_refuses_a_prediction_no_option_foresaw_and_a_reach_task_the_start_passes(tmp_path, capsys):
    text = LESSON.replace("outcome: test_accuracy < 0.9", "outcome: diverged")
    text = text.replace("check: learning_rate <= 0.3 and test_accuracy >= 0.9", "check: epoch >= 1")
    path = write(tmp_path, text)
    assert main(["lesson", "check", "--verify", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"{path}: solution: task 'rate-3': the solution's run decided it, but no option's outcome is true" in err
    assert f"{path}: solution: task 'learn' already passes with the starting setup" in err
    assert "task 'stuck'" not in err and f"{path}: NOT verified" in out


def test_the_two_lessons_verify_and_say_what_each_prediction_showed(capsys):
    paths = [str(LESSONS / name) for name in ("14-predict-the-learning-rate.md", "15-the-failure-doctor.md")]
    assert main(["lesson", "check", "--verify", *paths]) == 0
    out = capsys.readouterr().out
    assert "task 'rate-0-003': the solution's run decided it: option 1 ('It crawls." in out
    assert "task 'rate-0-03': the solution's run decided it: option 2 ('It learns." in out
    assert "task 'rate-10': the solution's run decided it: option 3 ('It overshoots" in out
    assert verify(load_lesson(paths[1])).at_start == {"cure": False}  # its observe task passes at the start, as meant
