"""The live part of a lesson page: the lesson's state and views, tasks that latch, reset, the link to the free page,
roots."""

import json
from pathlib import Path

import pytest
from bokeh.document import Document
from bokeh.models import TextInput

from playground.lessons import load_lesson, metrics
from playground.lessons.app import PROGRESS_CLASS, LessonPage, lesson_app
from playground.lessons.render import lesson_embeds
from playground.mnist.state import MnistState
from playground.sandbox.state import PlaygroundState

LESSONS = Path(__file__).parents[2] / "lessons"
ONE_NEURON = load_lesson(LESSONS / "01-one-neuron.md")


@pytest.fixture
def page():
    return LessonPage(ONE_NEURON, lesson_embeds(ONE_NEURON))


def train(page, epochs):
    for _ in range(epochs):
        page.app.session.step_epoch()
    page.app.redraw()


def test_the_page_starts_from_the_lessons_setup_with_its_controls_locked_and_hidden(page):
    state = page.state
    assert (state.dataset, state.hidden_layers, state.learning_rate) == ("gauss", [4, 2], 0.03)
    assert state.lock == ["dataset", "noise"] and "optimizer" in state.hide
    optimizer = next(w for w in page.app.layout.select() if "pg-setting-optimizer" in getattr(w, "css_classes", []))
    assert not optimizer.visible
    assert page.done == {"no-hidden-layer": False, "one-input": False}


def test_a_task_is_done_when_its_check_holds_and_stays_done(page):
    page.state.hidden_layers = []
    train(page, 20)
    assert page.done == {"no-hidden-layer": True, "one-input": False}
    assert json.loads(page.progress.value) == ["no-hidden-layer"]
    page.state.hidden_layers = [3]  # the check no longer holds: the task stays done
    page.app.redraw()
    assert page.done["no-hidden-layer"]


def test_tasks_are_checked_after_each_training_tick(page, monkeypatch):
    clock = iter(range(0, 10_000, 1))  # a second passes between two looks at the clock: every tick may check
    monkeypatch.setattr("playground.lessons.app.time.monotonic", lambda: next(clock))
    page.state.hidden_layers = []
    page.app.session.toggle()
    for _ in range(200):
        page.app.session.tick(20)
        page.app._after_tick()  # what the Ticker calls after each tick
        if page.done["no-hidden-layer"]:
            break
    assert page.done["no-hidden-layer"]


def test_a_task_ticks_at_the_first_redraw_that_shows_its_check_holding(monkeypatch):
    """Lesson 18's batches of one point move the test accuracy above and below the task's 97% from one redraw to the
    next; looked at only twice a second, the task missed every redraw above it in a run of CI's browser test."""
    monkeypatch.setattr("playground.lessons.app.time.monotonic", lambda: 0.0)  # never a periodic check
    lesson = load_lesson(LESSONS / "18-batch-size-and-noise.md")
    page = LessonPage(lesson, lesson_embeds(lesson))
    page.state.batch_size = 1
    session = page.app.session
    session.reset()
    session.play()
    while session.view.test_accuracy is None or session.view.test_accuracy < 0.97:
        assert not page.done["batch-of-one"]
        session.tick(97)  # frames end between epochs, as on the page
        page.app.redraw()
    assert page.done["batch-of-one"] and session.view.epoch < 20


def test_a_costly_check_is_looked_at_every_check_interval_while_training(monkeypatch):
    """Lesson 8's gradient check is a forward and backward pass per weight: while training, it runs twice a second,
    not at each redraw; paused, at each redraw."""
    tenths = [0]
    monkeypatch.setattr("playground.lessons.app.time.monotonic", lambda: tenths[0] / 10)
    checks = []
    gradient_error = metrics.gradient_error
    monkeypatch.setattr(metrics, "gradient_error", lambda session: checks.append(1) or gradient_error(session))
    lesson = load_lesson(LESSONS / "08-backprop-and-gradient-check.md")
    page = LessonPage(lesson, lesson_embeds(lesson))
    assert lesson.costly_checks and not ONE_NEURON.costly_checks and len(checks) == 1  # at the start
    session = page.app.session
    session.play()
    for _ in range(20):  # two seconds of redraws
        tenths[0] += 1
        session.tick(5)
        page.app.redraw()
    assert len(checks) == 1 + 4
    session.pause()
    page.app.redraw()
    page.app.redraw()
    assert len(checks) == 1 + 4 + 2


def test_progress_stored_by_the_page_marks_tasks_done_and_bad_values_are_ignored(page):
    page.progress.value = json.dumps(["one-input", "no-such-task", 3])
    assert page.done == {"no-hidden-layer": False, "one-input": True}
    page.progress.value = "not json"
    assert page.done["one-input"] and json.loads(page.progress.value) == ["one-input"]


def test_reset_brings_back_the_lessons_setup_and_fresh_weights_but_keeps_progress(page):
    page.state.hidden_layers = []
    page.state.learning_rate = 0.3
    train(page, 20)
    page.reset_to_setup()
    assert page.state.hidden_layers == [4, 2] and page.state.learning_rate == 0.03
    assert page.app.session.view.epoch == 0
    assert page.done["no-hidden-layer"]


def test_the_sandbox_link_carries_the_current_settings_without_the_lessons_locks(page):
    page.state.hidden_layers = [3]
    query = page.app_query()
    restored, notices = PlaygroundState.from_query(query)
    assert notices == [] and restored.hidden_layers == [3] and restored.dataset == "gauss"
    assert restored.lock == [] and restored.hide == []
    assert f"sandbox.html?{query}" in page.app_link.object.replace("&amp;", "&")


def test_the_page_shows_only_the_lessons_views_and_names_a_root_per_placeholder(tmp_path):
    text = ONE_NEURON.path.read_text().replace("::: playground", "::: view network\n\n::: view output")
    text = text.replace("locked: [dataset, noise]", "views: [controls, network, output]\nlocked: [dataset, noise]")
    # Without the data view the features have no control: neither a task nor the solution may need them.
    text = text.replace(' and "y" not in features', "").replace("  - settings: {features: [x]}\n    epochs: 20\n", "")
    (tmp_path / "lesson.md").write_text(text)
    lesson = load_lesson(tmp_path / "lesson.md")
    assert lesson_embeds(lesson) == ["view-network", "view-output"]
    page = LessonPage(lesson, lesson_embeds(lesson))
    assert list(page.roots()) == ["lesson-toolbar", "lesson-view-network", "lesson-view-output"]
    assert page.arrangement() == (["controls"], [["network"], ["output"]])
    doc = page.__panel__().server_doc(Document())
    names = [root.name for root in doc.roots if root.name.startswith("lesson-")]
    assert names == ["lesson-toolbar", "lesson-view-network", "lesson-view-output"]
    progress = [model for model in doc.select({"type": TextInput}) if PROGRESS_CLASS in model.css_classes]
    assert len(progress) == 1


def test_the_site_builds_the_page_from_the_header_alone():
    page = lesson_app(ONE_NEURON.slug, ONE_NEURON.header_text, ["playground"])
    assert [task.check.source for task in page.lesson.tasks] == [task.check.source for task in ONE_NEURON.tasks]
    assert page.lesson.setup == ONE_NEURON.setup and page.lesson.body == ""
    assert list(page.roots()) == ["lesson-toolbar", "lesson-playground"]


def test_an_mnist_lesson_runs_the_lab_with_its_views_redrawn_and_its_tasks_checked():
    lesson = load_lesson(LESSONS / "09-mnist-mlp.md")
    page = LessonPage(lesson, lesson_embeds(lesson))
    assert [entry["type"] for entry in page.state.layers] == ["flatten", "dense"]
    assert list(page.roots()) == ["lesson-toolbar", "lesson-playground", "lesson-view-projection",
                                  "lesson-view-activation-rows"]  # fmt: skip
    assert page.app.tab_views == ([page.app.projection, page.app.rows],)  # redrawn after ticks, as a tab's views
    assert page.app.projection.layer.widget.options  # drawn from the start
    assert page.arrangement() == (["controls", "status"], [["editor", "blocks"], ["curves"]])
    assert page.app_link in page.toolbar().objects and "pg-lab-link" in page.app_link.object
    assert page.app.editor.preset.disabled and page.app.editor.input_size.disabled  # the lesson locks them
    assert not page.app.editor.kind.disabled
    page.state.layers = [{"type": "flatten"}, {"type": "dense", "units": 8}, {"type": "relu"},
                         {"type": "dense", "units": 10}]  # fmt: skip
    restored, notices = MnistState.from_query(page.app_query())
    assert notices == [] and restored.layers == page.state.layers and restored.lock == []
    assert f"mnist.html?{page.app_query()}" in page.app_link.object.replace("&amp;", "&")
    train(page, 2)
    assert page.done == {"hidden-layer": False, "tiny": True}
    page.reset_to_setup()
    assert [entry["type"] for entry in page.state.layers] == ["flatten", "dense"] and page.done["tiny"]


def test_a_planted_bug_lesson_runs_the_bug_until_the_student_fixes_it_and_reset_plants_it_again():
    lesson = load_lesson(LESSONS / "12-find-the-planted-bug.md")
    page = LessonPage(lesson, lesson_embeds(lesson))
    assert lesson_embeds(lesson) == ["view-own-layer", "playground", "view-code"]
    assert list(page.roots()) == ["lesson-toolbar", "lesson-view-own-layer", "lesson-playground", "lesson-view-code"]
    own, session = page.view("own-layer"), page.app.session
    assert session.own_code == "Dense" and "-grad_y.sum(axis=0)" in own.editor.value
    page.check_tasks()
    assert page.done == {"fix-it": False, "trains": False}
    own.editor.value = own.editor.value.replace("-grad_y.sum(axis=0)", "grad_y.sum(axis=0)")
    own.use_code()
    assert "Every gradient matches" in own.result.object
    page.check_tasks()
    assert page.done["fix-it"] and session.own_code == "Dense"
    page.reset_to_setup()
    assert "-grad_y.sum(axis=0)" in own.editor.value and "Every gradient" not in own.result.object
    assert type(session.model.layers[0]).__name__ == "YourDense" and page.done["fix-it"]  # progress kept
