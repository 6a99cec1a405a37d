"""A student's answers to a lesson's predict and choice tasks: the prediction committed, the options picked, and what
each decided run showed. Plain data, kept by the page as JSON beside the done tasks (`app.py`, `lesson.js`).

    {"predicted": {"rate-3": 1}, "picked": {"remedy": [2, 0]}, "outcomes": {"rate-3": [1]}}

A prediction, once committed, stays (the options lock); picks only add up; an outcome is what the options' `outcome`
checks said the first time the task's `check` held after the prediction. Merging answers kept elsewhere (the
browser's, a reload's) follows the same rules, so merging in any order gives the same answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from playground.lessons.lesson import TaskKind

if TYPE_CHECKING:
    from playground.lessons.lesson import Lesson, Task


@dataclass(frozen=True)
class Answers:
    """{task id: option index} of predictions, {task id: options picked, in order} of choices, {task id: the options
    whose outcome held} of decided predictions."""

    predicted: Mapping[str, int] = field(default_factory=dict)
    picked: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    outcomes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {
                "predicted": dict(self.predicted),
                "picked": {task_id: list(options) for task_id, options in self.picked.items()},
                "outcomes": {task_id: list(options) for task_id, options in self.outcomes.items()},
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, lesson: Lesson, text: str) -> Answers:
        """The answers in `text` that fit `lesson` (its tasks' ids, kinds and options); anything else is left out."""
        try:
            stored = json.loads(text)
        except ValueError:
            return cls()
        stored = stored if isinstance(stored, dict) else {}
        kinds = {TaskKind.PREDICT: "predicted", TaskKind.CHOICE: "picked"}
        found = {"predicted": {}, "picked": {}, "outcomes": {}}
        for task in lesson.tasks:
            if task.kind in kinds:
                given = _indexes(_entry(stored, kinds[task.kind], task.id), task)
                if task.kind == TaskKind.PREDICT and len(given) == 1:
                    found["predicted"][task.id] = given[0]
                elif task.kind == TaskKind.CHOICE and given:
                    found["picked"][task.id] = tuple(dict.fromkeys(given))
            if task.kind == TaskKind.PREDICT and task.id in found["predicted"]:
                outcome = _entry(stored, "outcomes", task.id)
                if isinstance(outcome, list):
                    found["outcomes"][task.id] = tuple(dict.fromkeys(_indexes(outcome, task)))
        return cls(**found)

    def merged(self, other: Answers) -> Answers:
        """These answers with `other`'s added: a prediction or outcome already here stays, picks join in order."""
        picked = {task_id: tuple(dict.fromkeys((*self.picked.get(task_id, ()), *options)))
                  for task_id, options in {**self.picked, **other.picked}.items()}  # fmt: skip
        return Answers({**other.predicted, **self.predicted}, picked, {**other.outcomes, **self.outcomes})

    def predict(self, task: Task, option: int) -> Answers:
        """With `option` committed as the prediction of `task`, unless one already is."""
        return self.merged(Answers(predicted={task.id: option}))

    def pick(self, task: Task, option: int) -> Answers:
        """With `option` picked for the choice `task`."""
        return self.merged(Answers(picked={task.id: (option,)}))

    def decide(self, lesson: Lesson, metrics: Mapping[str, Any]) -> Answers:
        """With an outcome for every predict task that has a prediction, no outcome yet, and its check holding now:
        the options whose outcome holds."""
        decided = {
            task.id: tuple(index for index, option in enumerate(task.options) if option.outcome.evaluate(metrics))
            for task in lesson.tasks
            if task.kind == TaskKind.PREDICT
            and task.id in self.predicted
            and task.id not in self.outcomes
            and task.check.evaluate(metrics)
        }
        return self.merged(Answers(outcomes=decided)) if decided else self

    def awaiting_run(self, lesson: Lesson) -> bool:
        """Whether a committed prediction of `lesson` waits for its run to be decided."""
        return any(
            task.kind == TaskKind.PREDICT and task.id in self.predicted and task.id not in self.outcomes
            for task in lesson.tasks
        )

    def done(self, task: Task) -> bool:
        """Whether the answers finish `task`: a prediction whose run is decided, or a correct option picked."""
        if task.kind == TaskKind.PREDICT:
            return task.id in self.outcomes
        return any(task.options[index].correct for index in self.picked.get(task.id, ()))


def _entry(stored: dict, part: str, task_id: str) -> Any:
    """stored[part][task_id] when both are there, else None; a prediction is kept as a list of one, as JSON gives it."""
    value = stored.get(part)
    value = value.get(task_id) if isinstance(value, dict) else None
    return [value] if type(value) is int else value


def _indexes(value: Any, task: Task) -> list[int]:
    """The option indexes of `task` in the list `value` (others dropped)."""
    values = value if isinstance(value, list) else []
    return [index for index in values if type(index) is int and 0 <= index < len(task.options)]
