"""A loaded lesson and what can be wrong with one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playground.core.code_starts import start_code
from playground.lessons.checks import Check
from playground.lessons.vocabularies import VOCABULARIES, Vocabulary, apply_settings

if TYPE_CHECKING:
    from playground.mnist.session import MnistSession
    from playground.mnist.state import MnistState
    from playground.sandbox.session import Session
    from playground.sandbox.state import PlaygroundState


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a lesson file: where (file, line, field) and what was expected."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class LessonError(ValueError):
    """A lesson that cannot be used; `problems` lists every Problem found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: (problem.file, problem.line))
        super().__init__("\n".join(str(problem) for problem in self.problems))


class TaskKind(StrEnum):
    """What a task asks of the student, and so what makes it done (a StrEnum: it equals the header's word)."""

    REACH = "reach"  # make `check` true (the default)
    OBSERVE = "observe"  # watch `check` become true while training; the lesson's start may already do it
    PREDICT = "predict"  # commit to one of `options`, then run: once `check` holds, each option's `outcome` says
    CHOICE = "choice"  # pick an option marked correct; a wrong pick shows its feedback and may be tried again


@dataclass(frozen=True)
class Option:
    """One answer of a predict or choice task: its words, the feedback shown once it is judged, and what makes it
    right: for a prediction the `outcome` that holds when the run is decided, for a choice `correct`."""

    text: str  # Markdown, one line
    feedback: str = ""  # Markdown, one paragraph or a few
    outcome: Check | None = None  # predict
    correct: bool = False  # choice


@dataclass(frozen=True)
class Task:
    """Something the student does, checked live by `check` (a predict task: when the run is decided; a choice task has
    none); hints are shown one at a time on request."""

    id: str
    text: str  # Markdown, one paragraph
    check: Check | None
    hints: tuple = ()
    kind: TaskKind = TaskKind.REACH
    options: tuple = ()  # of Option (predict and choice tasks)

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every check the task reads: its own, then its options' outcomes."""
        own = () if self.check is None else (self.check,)
        return own + tuple(option.outcome for option in self.options if option.outcome is not None)

    @property
    def answered(self) -> bool:
        """Whether the student's answers decide it (`answers.py`): a predict or choice task."""
        return self.kind in (TaskKind.PREDICT, TaskKind.CHOICE)

    @property
    def may_pass_at_start(self) -> bool:
        """Whether the lesson's untouched start may already pass it (`verify`): watching what the start does is the
        point of an observe or predict task ("press Play and watch it fail")."""
        return self.kind in (TaskKind.OBSERVE, TaskKind.PREDICT)


@dataclass(frozen=True)
class Stage:
    """One step of a lesson's solution: settings a student changes, maybe Reset, then epochs and steps of training."""

    settings: dict
    epochs: int = 0
    steps: int = 0
    reset: bool = False  # press Reset after the settings: live settings (learning rate...) keep the trained weights
    code: str | None = None  # a start of the glass box's editor the student types in and uses (code_starts.STARTS)


@dataclass(frozen=True)
class Lesson:
    """A lesson: its header's fields, checked against its page's vocabulary, and its Markdown body."""

    path: Path
    title: str
    summary: str
    level: str
    order: int
    page: str  # the site page whose views the lesson uses: "sandbox" or "mnist"
    setup: dict  # settings in the page's registry vocabulary (the URL's keys)
    views: tuple
    locked: tuple
    hidden: tuple
    tasks: tuple  # of Task
    solution: tuple  # of Stage
    body: str
    body_line: int  # the file line the body starts on
    code: str | None = None  # the glass box editor's start (code_starts.STARTS): a planted bug, a pass to write
    # The file's header as read, `---` lines included: all a live page needs (the text is rendered at build time). Kept,
    # not read again: a file edited after its check must not slip an unchecked header into a site (lesson serve).
    header_text: str = ""

    @property
    def slug(self) -> str:
        """The lesson's name on the site: its file name without `.md`."""
        return self.path.stem

    @property
    def vocabulary(self) -> Vocabulary:
        return VOCABULARIES[self.page]

    @property
    def metric_names(self) -> frozenset[str]:
        """Every metric the tasks' checks read (what `lesson_metrics` needs to compute)."""
        return frozenset().union(*(check.names for task in self.tasks for check in task.checks))

    @property
    def costly_checks(self) -> bool:
        """Whether a task's check reads a metric worked out anew at each look (`Metric.costly`)."""
        return any(self.vocabulary.metrics[name].costly for name in self.metric_names)

    def measure(self, session: Session | MnistSession) -> dict[str, Any]:
        """The values of the metrics the tasks read, for a session of the lesson's page."""
        return self.vocabulary.measure(session, self.metric_names)

    def start(self, session: Session | MnistSession) -> None:
        """What the lesson gives a fresh session beyond its settings: the editor's start (`code`)."""
        if self.code is not None:
            start_code(session, self.code)

    def make_state(self) -> PlaygroundState | MnistState:
        """A fresh settings object of the lesson's page with the setup, hidden and locked controls applied."""
        state = self.vocabulary.state_class()
        apply_settings(state, self.setup, self.vocabulary)
        state.param.update(hide=list(self.hidden), lock=list(self.locked))
        return state
