"""A task's `kind` and `options` as a lesson header gives them, checked in the author's words.

    - id: rate-3                       # predict: commit to an option, then run; `check` says when the run is decided
      kind: predict
      text: What will learning rate 3 do?
      check: diverged or epoch >= 50
      options:
        - text: It learns in a few epochs.
          outcome: test_accuracy >= 0.9      # true at that moment when this option is what happened
          feedback: A rate this big does not settle into the valley.
        - text: The loss jumps about and never settles.
          outcome: test_accuracy < 0.9
    - id: remedy                       # choice: done once the student picks an option marked correct
      kind: choice
      text: Which remedy brings a dead ReLU back?
      options:
        - {text: New weights for it, correct: true, feedback: Its input can be positive again.}
        - {text: More epochs, feedback: No gradient reaches it however long you train.}

An observe task is a reach task (`check`, no options) that the lesson's start may already pass (`verify`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from playground.lessons.lesson import Option, TaskKind
from playground.lessons.suggest import did_you_mean

MIN_OPTIONS, MAX_OPTIONS = 2, 6
MAX_OPTION_CHARS = 200  # an option's words (its feedback may have MAX_TEXT_CHARS, as a hint)
KINDS_SAID = (
    "reach (the default: the student makes the check true), observe (the student watches the check become true "
    "while training; the lesson's start may already do it), predict (the student commits to one of the options, "
    "then runs until the check holds), choice (the student picks an option marked `correct: true`)"
)
# The fields of an option, and what each says, per kind.
OPTION_FIELDS = {
    TaskKind.PREDICT: {
        "text": "what the student may predict",
        "outcome": "a check, true when the run is decided if this is what happened",
        "feedback": "shown once the run is decided",
    },
    TaskKind.CHOICE: {
        "text": "an answer the student may pick",
        "correct": "true for a right answer",
        "feedback": "shown once the student picks it",
    },
}
MISPLACED = {  # (kind, field) -> why that field does not belong to an option of that kind
    (TaskKind.PREDICT, "correct"): "a prediction is right when its `outcome` holds once the run is decided: give "
    "`outcome: CHECK` instead of `correct`",
    (TaskKind.CHOICE, "outcome"): "a choice is right when it is marked `correct: true`; outcomes belong to "
    "`kind: predict` tasks",
}


def task_kind(value: Any, report: Callable[[str], None]) -> TaskKind | None:
    """The TaskKind a header's `kind:` names, or None after reporting what it may be."""
    if value in tuple(TaskKind):
        return TaskKind(value)
    report(f"unknown task kind {value!r}{did_you_mean(value, tuple(TaskKind))}; a task is one of: {KINDS_SAID}")
    return None


def task_options(
    entry: dict,
    kind: TaskKind,
    parse_outcome: Callable[[Any, Callable[[str], None]], Any],
    report: Callable[[tuple, str], None],
    text_problems: Callable[[str], list[str]],
    max_text: int,
) -> tuple[Option, ...]:
    """The options of the task `entry` of `kind`, every problem reported at its path below the task (`report(path,
    message)`): `parse_outcome(source, report)` gives an outcome's Check or None after reporting why not."""
    options = entry.get("options")
    if kind not in OPTION_FIELDS:
        if options is not None:
            report(("options",), "only predict and choice tasks have options: add `kind: predict` or `kind: choice`, "
                   "or take the options out")  # fmt: skip
        return ()
    fields = OPTION_FIELDS[kind]
    listed = ", ".join(f"`{name}` ({what})" for name, what in fields.items())
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        count = f", this one {len(options)}" if isinstance(options, list) else ""
        report(("options",), f"a {kind} task needs `options`: a list of {MIN_OPTIONS} to {MAX_OPTIONS}{count}, each "
               f"with {listed}")  # fmt: skip
        return ()
    found = []
    for index, option in enumerate(options):
        where = ("options", index)
        if not isinstance(option, dict):
            report(where, f"expected an option: {listed}; write `- text: ...` and the other fields below it")
            continue
        for key in option.keys() - fields.keys():
            unknown = f"unknown option field{did_you_mean(key, fields)}; an option has {listed}"
            report((*where, key), MISPLACED.get((kind, key), unknown))
        text, feedback = option.get("text"), option.get("feedback", "")
        if not isinstance(text, str) or not 0 < len(text.strip()) <= MAX_OPTION_CHARS:
            report((*where, "text"), f"expected {fields['text']}, 1 to {MAX_OPTION_CHARS} characters")
        else:
            for message in text_problems(text):
                report((*where, "text"), message)
        if not isinstance(feedback, str) or ("feedback" in option and not 0 < len(feedback.strip()) <= max_text):
            report((*where, "feedback"), f"expected feedback of 1 to {max_text} characters, {fields['feedback']}")
        else:
            for message in text_problems(feedback):
                report((*where, "feedback"), message)
        outcome, correct = None, option.get("correct", False)
        if kind == TaskKind.PREDICT:
            if "outcome" not in option:
                report((*where, "outcome"), "missing: the check that is true when this prediction is what happened, "
                       "e.g. `diverged` or `test_accuracy >= 0.9`")  # fmt: skip
            else:
                outcome = parse_outcome(option["outcome"], partial(report, (*where, "outcome")))
        elif not isinstance(correct, bool):
            report((*where, "correct"), f"expected true or false, got {correct!r}")
            correct = False
        found.append(Option(text, feedback, outcome, correct))
    if kind == TaskKind.CHOICE and len(found) == len(options):
        right = sum(option.correct for option in found)
        if right == 0:
            report(("options",), "no option is marked `correct: true`, so the student could never finish the task: "
                   "mark the right one (or several)")  # fmt: skip
        elif right == len(found):
            report(("options",), "every option is marked `correct: true`: give the student at least one wrong answer "
                   "to weigh")  # fmt: skip
    return tuple(found)
