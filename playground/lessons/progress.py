"""A student's progress through a lesson's tasks, and the proof that a lesson's claims hold in the engine.

`evaluate_tasks` is what the live page calls after each tick with the page's metrics (`lesson.measure(session)`);
a task is done the first time its check holds and stays done (`latch`). `verify` plays a lesson twice: the
`solution` (its settings changes and training) must pass every task, while the starting setup, trained just as
long and checked after every epoch and step, must pass none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playground.core.code_starts import STARTS
from playground.core.student_code import compile_methods

if TYPE_CHECKING:
    from playground.lessons.lesson import Lesson


def evaluate_tasks(lesson: Lesson, metrics: Mapping[str, Any]) -> dict[str, bool]:
    """{task id: whether its check holds} for a dict of metric values."""
    return {task.id: task.check.evaluate(metrics) for task in lesson.tasks}


def latch(done: Mapping[str, bool], lesson: Lesson, metrics: Mapping[str, Any]) -> dict[str, bool]:
    """`done` with every task that passes now marked True: tasks stay done once done."""
    now = evaluate_tasks(lesson, metrics)
    return {task_id: done.get(task_id, False) or passed for task_id, passed in now.items()}


@dataclass
class Verification:
    """Which tasks the solution passed, which the untouched start passed, and the solution's final figures."""

    solved: dict
    at_start: dict
    figures: dict

    @property
    def holds(self) -> bool:
        return all(self.solved.values()) and not any(self.at_start.values())


def verify(lesson: Lesson) -> Verification:
    """Plays the solution and the untouched start of a lesson (see the module doc)."""
    names = lesson.metric_names | {"epoch", "test_loss", "test_accuracy", "train_loss"}
    session_class, measure = lesson.vocabulary.session_class, lesson.vocabulary.measure
    solution, start = session_class(lesson.make_state()), session_class(lesson.make_state())
    lesson.start(solution)
    lesson.start(start)
    solved = dict.fromkeys(evaluate_tasks(lesson, {}), False)
    at_start = latch(solved, lesson, measure(start, names))
    for stage in lesson.solution:
        solution.state.param.update(**stage.settings)
        if stage.reset:
            solution.reset()
        if stage.code is not None:  # the student types that code into the editor and uses it
            typed = STARTS[stage.code]
            solution.use_own_code(typed.layer, compile_methods(typed.text()))
        _train(solution, stage)
        solved = latch(solved, lesson, measure(solution, names))
        for _ in range(stage.epochs):
            start.step_epoch()
            at_start = latch(at_start, lesson, measure(start, names))
        for _ in range(stage.steps):
            start.step_batch()
            at_start = latch(at_start, lesson, measure(start, names))
    figures = {name: value for name, value in measure(solution, names).items() if not name.startswith("grad")}
    return Verification(solved, at_start, figures)


def _train(session, stage):
    for _ in range(stage.epochs):
        session.step_epoch()
    for _ in range(stage.steps):
        session.step_batch()
