"""A student's progress through a lesson's tasks, and the proof that a lesson's claims hold in the engine.

`evaluate_tasks` is what the live page calls after each tick with the page's metrics (`lesson.measure(session)`) and
the student's answers (`answers.py`: first `Answers.decide`, which judges the predictions whose run is decided); a task
is done the first time it passes and stays done (`latch`). Reach and observe tasks pass when their check holds, a
predict task once its run is decided, a choice task once a correct option is picked.

`verify` plays a lesson twice: the `solution` (its settings changes and training) must pass every task but the choice
tasks (the student answers those; `lesson check` makes sure one option is right), while the starting setup, trained
just as long and checked after every epoch and step, must pass none of the reach tasks (observe and predict tasks ask
the student to watch what the start does). Every predict task a run decides must have an option for what happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from playground.core.code_starts import STARTS
from playground.core.student_code import compile_methods
from playground.lessons.answers import Answers
from playground.lessons.lesson import TaskKind

if TYPE_CHECKING:
    from playground.lessons.lesson import Lesson

NO_ANSWERS = Answers()


def evaluate_tasks(lesson: Lesson, metrics: Mapping[str, Any], answers: Answers = NO_ANSWERS) -> dict[str, bool]:
    """{task id: whether it passes} for a dict of metric values and the student's answers."""
    return {task.id: answers.done(task) if task.answered else task.check.evaluate(metrics) for task in lesson.tasks}


def latch(
    done: Mapping[str, bool], lesson: Lesson, metrics: Mapping[str, Any], answers: Answers = NO_ANSWERS
) -> dict[str, bool]:
    """`done` with every task that passes now marked True: tasks stay done once done."""
    now = evaluate_tasks(lesson, metrics, answers)
    return {task_id: done.get(task_id, False) or passed for task_id, passed in now.items()}


@dataclass
class Verification:
    """Which tasks the solution passed (all but choice tasks), which of those the untouched start must not pass it did
    (reach tasks), the solution's final figures, and the options each run's decided predictions showed."""

    solved: dict
    at_start: dict
    figures: dict
    outcomes: dict = field(default_factory=dict)  # {predict task id: options whose outcome held} (the solution's run)
    start_outcomes: dict = field(default_factory=dict)  # the same for the predictions the start's run decided

    @property
    def unforeseen(self) -> list[tuple[str, str]]:
        """[(run, task id)] of the predictions a run decided with no option's outcome true: "solution" or "start"."""
        runs = (("solution", self.outcomes), ("start", self.start_outcomes))
        return [(run, task_id) for run, outcomes in runs for task_id, held in outcomes.items() if not held]

    @property
    def holds(self) -> bool:
        return all(self.solved.values()) and not any(self.at_start.values()) and not self.unforeseen


def change_settings(session, settings: Mapping[str, Any], vocabulary) -> None:
    """A solution stage's `settings` changed as a student changes them on the page: one control at a time, in the
    registry's order, each setting set on the state but those whose control edits the session (`Vocabulary.edits`:
    the sandbox diagram's layers and neurons keep the trained weights)."""
    for name in vocabulary.settings:
        if name in settings:
            edit = vocabulary.edits.get(name)
            if edit is None:
                session.state.param.update({name: settings[name]})
            else:
                edit(session, settings[name])


def verify(lesson: Lesson) -> Verification:
    """Plays the solution and the untouched start of a lesson (see the module doc), both committed to a prediction for
    every predict task."""
    names = lesson.metric_names | {"epoch", "test_loss", "test_accuracy", "train_loss"}
    session_class, measure = lesson.vocabulary.session_class, lesson.vocabulary.measure
    solution, start = session_class(lesson.make_state()), session_class(lesson.make_state())
    lesson.start(solution)
    lesson.start(start)
    predicting = Answers(predicted={task.id: 0 for task in lesson.tasks if task.kind == TaskKind.PREDICT})
    runs = {"solution": (solution, {}, predicting), "start": (start, {}, predicting)}

    def look(run):
        session, done, answers = runs[run]
        metrics = measure(session, names)
        answers = answers.decide(lesson, metrics)
        runs[run] = session, latch(done, lesson, metrics, answers), answers

    def train(run, stage, every_epoch):
        """The stage's epochs and steps on `run`'s session, looking at the tasks after each when `every_epoch()`."""
        for step, count in ((runs[run][0].step_epoch, stage.epochs), (runs[run][0].step_batch, stage.steps)):
            for _ in range(count):
                step()
                if every_epoch():
                    look(run)

    def undecided():  # a prediction is judged when its check first holds, as on the page: looked at every epoch
        return runs["solution"][2].outcomes.keys() != predicting.predicted.keys()

    look("start")
    for stage in lesson.solution:
        change_settings(solution, stage.settings, lesson.vocabulary)
        if stage.reset:
            solution.reset()
        if stage.code is not None:  # the student types that code into the editor and uses it
            typed = STARTS[stage.code]
            solution.use_own_code(typed.layer, compile_methods(typed.text()))
        train("solution", stage, undecided)
        look("solution")
        train("start", stage, lambda: True)
    (_, solved, answers), (_, at_start, start_answers) = runs["solution"], runs["start"]
    figures = {name: value for name, value in measure(solution, names).items() if not name.startswith("grad")}
    return Verification(
        {task.id: solved[task.id] for task in lesson.tasks if task.kind != TaskKind.CHOICE},
        {task.id: at_start[task.id] for task in lesson.tasks if task.kind == TaskKind.REACH},
        figures,
        dict(answers.outcomes),
        dict(start_answers.outcomes),
    )
