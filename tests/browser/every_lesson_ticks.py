"""Every lesson of lessons/ solved on its page of the built site as a student solves it (issue #22): its own `solution`
stages played through the page's controls, and every task's check mark seen to tick.

The lesson data comes from the lesson files (`playground.lessons`), so the test follows the lessons: each stage's
settings are set with the controls a student uses (menus, the data set's buttons and sliders, the feature toggles,
the diagram's layer buttons and neuron counts, the MNIST lab's layer editor), Reset is pressed where the stage says
so, a stage's code is typed into the layer editor and used, and the network trains by Play (or the Step button, for a
stage of steps) until the stage's epochs are done. The settings change one at a time, in the order `verify` changes
them, each waiting until the page's link to the free sandbox or lab (which its Python writes after each change) shows
it, as a student sees a change before making the next. A choice task is answered with its right option (from the
file) and every prediction is committed (its first option, as `lesson check --verify` commits) before anything trains.

No route but the controls: a lesson page takes no settings from its address (its live part starts from the lesson's
setup, `LessonPage`), and every setting a solution changes has a control in the lesson's views (`lesson check`
refuses a solution that changes one without: tests/lessons/test_controls_in_views.py).

A stage trains no longer than needed: Pause is pressed once a task ticked during it and no task still to do could
hold with the stage's settings (`Check.could_hold` on the metrics the settings alone decide, as `lesson check` judges
tasks a lesson makes impossible), or once the page shows the stage's epochs done, unless the network stopped by itself
(diverged). The page trains on in its worker between two of its redraws, so a stage often ends some epochs, for the
smallest networks a few hundred, past the solution's count, as a student's would: each lesson prints what its stages
trained. Found with it: the failure doctor saw a stall only after ten of the page's redraws, not ten epochs, so
lesson 15's stall did not tick within its solution's epochs (tests/playground/test_stall_check_every_epoch.py); and
`verify` built a fresh network for a new `hidden_layers` where the page's diagram keeps the trained weights, so lesson
7's deep spiral verified but missed its epochs on the page (tests/lessons/test_verify_edits_like_the_diagram.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import panel as pn
import pytest
from test_lesson_pages import start, task

from nn_core.datasets import DATASETS, FEATURES
from playground.core.code_starts import STARTS
from playground.lessons import load_all
from playground.lessons.app import APP_LINKS
from playground.lessons.lesson import TaskKind
from playground.mnist.architecture import insert_layer, remove_layer, set_field

LESSONS = load_all(Path(__file__).parents[2] / "lessons")
POLL_MS = 200


def solving_test(part: int, parts: int = 2):
    """The test of the lessons of one of `parts` test files: every `parts`-th lesson by order, from `part`, so each
    file has its share of the sandbox and the MNIST lessons (pytest-xdist runs a file on one worker)."""

    @pytest.mark.parametrize("lesson", LESSONS[part::parts], ids=lambda lesson: lesson.slug)
    def test(full_site_url, offline_page, lesson):
        print(f"{lesson.slug}: {solve(offline_page, full_site_url + f'lesson-{lesson.slug}.html', lesson)}")

    return test


class Student:
    """A lesson's page in the browser, and the settings it holds (mirrored as `verify` sets them)."""

    def __init__(self, offline_page, url, lesson):
        opened = time.monotonic()
        self.page = start(offline_page, url)
        self.lesson = lesson
        self.live = self.page.locator(".lesson-embed[data-embed=playground]")
        self.status = self.live.locator("#pg-status")
        self.state = lesson.make_state()
        self.log = [f"ready in {time.monotonic() - opened:.1f} s"]  # what each stage took

    # -- what the page shows ----------------------------------------------------------------------------

    def done(self) -> set[str]:
        """The ids of the tasks whose check mark the page shows."""
        return set(
            self.page.evaluate(
                "() => Array.from(document.querySelectorAll('.lesson-tasks [data-task][data-done=true]'),"
                " (task) => task.dataset.task)"
            )
        )

    def counter(self, name: str) -> int:
        return int(self.status.get_attribute(f"data-{name}"))

    def training(self) -> str:
        """Where training stands: "ready", "running", "paused", "diverged"..."""
        return self.status.get_attribute("data-state")

    def wait(self, condition, seconds: float = 60, what: str = "") -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{self.lesson.slug}: waited {seconds} s for {what}"
            self.page.wait_for_timeout(POLL_MS)

    # -- answers ----------------------------------------------------------------------------------------

    def answer(self) -> None:
        """Every choice task answered with its right option; every prediction committed (its first option)."""
        for item in self.lesson.tasks:
            if item.kind == TaskKind.CHOICE:
                right = next(index for index, option in enumerate(item.options) if option.correct)
                task(self.page, item.id).get_by_role("radio").nth(right).check()
                task(self.page, item.id).get_by_role("button", name="Check my answer").click()
                self.wait(lambda item=item: item.id in self.done(), 10, f"the right answer to {item.id}")
            elif item.kind == TaskKind.PREDICT:
                task(self.page, item.id).get_by_role("radio").first.check()
                task(self.page, item.id).get_by_role("button", name="Commit my prediction").click()

    # -- a stage ----------------------------------------------------------------------------------------

    def play(self, stage) -> None:
        """The stage's settings through the page's controls, Reset, its code typed and used, then its training."""
        for name in self.lesson.vocabulary.settings:  # one control at a time, in the order `verify` changes them
            if name in stage.settings:
                old = getattr(self.state, name)
                self.state.param.update({name: stage.settings[name]})
                new = getattr(self.state, name)
                if new != old:
                    CONTROLS[self.lesson.page].get(name, choose)(self, name, old, new)
                    self.wait(self.took_settings, 60, f"the page to take {name} = {new}")
        if stage.reset:
            self.live.get_by_role("button", name="Reset", exact=True).click()
            self.wait(lambda: self.counter("epoch") == self.counter("step") == 0, 60, "the reset")
        if stage.code is not None:
            self.page.get_by_role("textbox", name="Your code").fill(STARTS[stage.code].text())
            self.page.get_by_role("button", name="Use my code").click()
        done = self.done()
        if stage.epochs:
            self.train(stage.epochs, done)
        if stage.steps:
            steps = self.counter("step") + stage.steps
            for _ in range(stage.steps):
                self.live.get_by_role("button", name="Step", exact=True).click()
            self.wait(lambda: self.counter("step") >= steps, 60, f"{stage.steps} steps")
            self.log.append(f"{stage.steps} steps")

    def train(self, epochs: int, done_before: set[str]) -> None:
        """Play until `epochs` more epochs are done, or sooner once this stage ticked a task and none still to do
        could hold with these settings; then Pause (which the page takes a fraction of a second later: some epochs
        more). Logs the epochs trained."""
        started, first = time.monotonic(), self.counter("epoch")
        self.live.get_by_role("button", name="Play").click()
        self.wait(lambda: self.training() in ("running", "diverged"), 60, "training to start")
        while self.training() == "running" and self.counter("epoch") < first + epochs:
            done = self.done()
            if done - done_before and not self.could_still_tick(done):
                break
            self.page.wait_for_timeout(POLL_MS)
        if self.training() == "running":
            self.live.get_by_role("button", name="Pause").click()
            self.wait(lambda: self.training() != "running", 30, "the pause")
        trained = self.counter("epoch") - first
        self.log.append(f"{trained} of {epochs} epochs in {time.monotonic() - started:.1f} s")

    def took_settings(self) -> bool:
        """Whether the page has taken every setting it should now have: its link to the free page, which its Python
        writes after each change, has them all."""
        href = self.page.locator(f"a.{APP_LINKS[self.lesson.page][2]}").get_attribute("href")
        shown, _ = type(self.state).from_query(href.partition("?")[2])
        return all(getattr(shown, name) == getattr(self.state, name) for name in self.lesson.vocabulary.settings)

    def could_still_tick(self, done: set[str]) -> bool:
        """Whether a task not done yet (but the choices) could hold with the settings the page now has."""
        known = self.lesson.vocabulary.state_metrics(self.state)
        return any(
            item.check.could_hold(known)
            for item in self.lesson.tasks
            if item.id not in done and item.kind != TaskKind.CHOICE
        )


# -- the controls: (page, setting name, old value, new value) -------------------------------------------


def choose(student: Student, name, old, new) -> None:
    """A menu (every setting the pages show as one: the learning rate, the activation, the MNIST lab's input size)."""
    menu = pn.widgets.Select.from_param(student.state.param[name])  # its labels, as the page's menu has them
    label = menu.labels[menu.values.index(new)]
    student.live.locator(f".pg-setting-{name} select").select_option(label)


def pick_dataset(student: Student, name, old, new) -> None:
    student.live.get_by_role("button", name=DATASETS[new].display_name, exact=True).click()


def toggle_features(student: Student, name, old, new) -> None:
    """The new features switched on first (the last feature on stays on), then the old ones off."""
    for feature in [f for f in new if f not in old] + [f for f in old if f not in new]:
        student.live.get_by_role("button", name=FEATURES[feature].label, exact=True).click()


def slide(student: Student, name, old, new) -> None:
    """A click on the slider's track where the value is, then the arrow keys to the exact value."""
    page, slider = student.page, student.live.locator(f".pg-setting-{name} .noUi-handle")
    parameter = student.state.param[name]
    low, high = parameter.bounds
    base = student.live.locator(f".pg-setting-{name} .noUi-base")
    base.scroll_into_view_if_needed()
    track = base.bounding_box()
    page.mouse.click(track["x"] + track["width"] * (new - low) / (high - low), track["y"] + track["height"] / 2)
    student.wait(lambda: slider.get_attribute("aria-valuenow") is not None, 10, f"the {name} slider")
    for _ in range(high - low):
        shown = round(float(slider.get_attribute("aria-valuenow")))
        if shown == new:
            break
        slider.press("ArrowRight" if shown < new else "ArrowLeft")


def shape_network(student: Student, name, old, new) -> None:
    """The diagram's "+ Add layer" and "− Remove layer", then each layer's neuron count typed in."""
    live, widths = student.live, list(old)
    while len(widths) != len(new):
        adding = len(widths) < len(new)
        live.get_by_role("button", name="+ Add layer" if adding else "− Remove layer").click()
        widths = [*widths, widths[-1] if widths else 2] if adding else widths[:-1]
        count = f"{len(widths)} hidden layer{'s' if len(widths) != 1 else ''}"
        live.get_by_text(count, exact=True).wait_for(timeout=30_000)
    for layer, width in enumerate(new):
        if widths[layer] != width:
            neurons = live.get_by_role("textbox", name=f"Layer {layer + 1} neurons", exact=True)
            redrawn_after(student, neurons, str(width))


def edit_stack(student: Student, name, old, new) -> None:
    """The MNIST lab's layer editor: the layers the new stack does not keep removed ("× remove"), the layers it adds
    inserted (their kind chosen under "New layer", then "+ below" on the row above), then each field that differs
    typed or chosen. The editor draws its rows again after each edit: each waits for that."""
    live, layers, pairs = student.live, list(old), same_kinds(old, new)
    for index in reversed(range(len(layers))):
        if index not in dict(pairs):
            redrawn_after(student, live.get_by_role("button", name="× remove").nth(index))
            layers = remove_layer(layers, index)
    kept = {target for _, target in pairs}
    for index, entry in enumerate(new):
        if index not in kept:
            live.get_by_role("combobox", name="New layer").select_option(entry["type"])
            redrawn_after(student, live.get_by_role("button", name="+ below").nth(index))  # row 0: the input's
            layers = insert_layer(layers, index, entry["type"])
    for index, entry in enumerate(new):
        for field, value in entry.items():
            if layers[index][field] != value:
                nth = sum(field in layer for layer in layers[:index])  # the editor shows one such widget per layer
                role = "combobox" if isinstance(value, str) else "textbox"  # a menu of choices, or a number
                widget = live.get_by_role(role, name=field.replace("_", " "), exact=True).nth(nth)
                redrawn_after(student, widget, str(value))
                layers = set_field(layers, index, field, value)


def same_kinds(old: list, new: list) -> list[tuple[int, int]]:
    """[(index in old, index in new)] of the longest run of layers of the same kinds, in order, that both stacks
    share (what the editor keeps rather than removing and adding)."""
    longest = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in reversed(range(len(old))):
        for j in reversed(range(len(new))):
            same = old[i]["type"] == new[j]["type"]
            longest[i][j] = longest[i + 1][j + 1] + 1 if same else max(longest[i + 1][j], longest[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < len(old) and j < len(new):
        if old[i]["type"] == new[j]["type"] and longest[i][j] == longest[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif longest[i + 1][j] >= longest[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def redrawn_after(student: Student, widget, value: str | None = None) -> None:
    """Clicks `widget`, or chooses `value` in it (a menu) or types it in and presses Enter (a text box); then waits
    until the page has drawn the widget anew (Python rebuilds those controls after each edit)."""
    handle = widget.element_handle(timeout=30_000)
    if value is None:
        widget.click()
    elif handle.evaluate("(element) => element.tagName") == "SELECT":
        widget.select_option(value)
    else:
        widget.fill(value)
        widget.press("Enter")
    student.page.wait_for_function("(element) => !element.isConnected", arg=handle, timeout=60_000)


CONTROLS = {
    "sandbox": {
        "dataset": pick_dataset,
        "noise": slide,
        "train_percent": slide,
        "batch_size": slide,
        "features": toggle_features,
        "hidden_layers": shape_network,
    },
    "mnist": {"layers": edit_stack},
}


def solve(offline_page, url, lesson) -> str:
    """Solves `lesson` on its page at `url`; asserts every task ticked; says how long it took and what each stage
    trained."""
    started = time.monotonic()
    student = Student(offline_page, url, lesson)
    assert student.done() == set(), "a task ticked before the student did anything"
    student.answer()
    for stage in lesson.solution:
        student.play(stage)
    tasks = {item.id for item in lesson.tasks}
    deadline = time.monotonic() + 10  # the last pause's check reaches the page
    while student.done() != tasks and time.monotonic() < deadline:
        student.page.wait_for_timeout(POLL_MS)
    assert student.done() == tasks, f"not ticked: {sorted(tasks - student.done())} ({'; '.join(student.log)})"
    total = len(tasks)
    assert student.page.locator("#lesson-progress").text_content() == f"All {total} tasks done"
    assert offline_page.blocked == [] and offline_page.errors == []
    return f"every task ticked {time.monotonic() - started:.1f} s after the page was opened ({'; '.join(student.log)})"
