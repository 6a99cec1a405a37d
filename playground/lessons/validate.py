"""A lesson's text to a Lesson, or every problem in it (file, line, field, what was expected).

The header's settings, controls, views and metrics are checked against the vocabulary of the lesson's page
(`vocabularies.py`): for the sandbox, the playground's one registry, PlaygroundState; the setup and every solution
stage as the page's own checks would (the MNIST lab's editor: a stack it can build); and every task against the
controls the lesson leaves the student (`controls.py`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from typing import TYPE_CHECKING

from playground.core.code_starts import STARTS
from playground.lessons.checks import CheckError, parse_check
from playground.lessons.controls import fixed_metrics, fixed_settings, never_true, unseen_settings
from playground.lessons.frontmatter import HeaderError, split_lesson
from playground.lessons.lesson import Lesson, LessonError, Problem, Stage, Task, TaskKind
from playground.lessons.suggest import did_you_mean
from playground.lessons.task_kinds import task_kind, task_options
from playground.lessons.tfp_setup import TFP_URL, linked_setup
from playground.lessons.vocabularies import VOCABULARIES, apply_settings

if TYPE_CHECKING:
    from pathlib import Path

MAX_FILE_BYTES = 100_000
MAX_BODY_CHARS = 50_000
MAX_TASKS = 12
MAX_HINTS = 5
MAX_TEXT_CHARS = 600  # a task's text or a hint
MAX_EPOCHS = 2_000
LEVELS = ("beginner", "intermediate", "advanced")
TASK_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
FILE_NAME = re.compile(r"[A-Za-z0-9-]+")  # the site's page is lesson-NAME.html
# field -> (required, expected type, what the reader is told)
FIELDS = {
    "title": (True, str, "the lesson's title, at most 100 characters"),
    "summary": (True, str, "one sentence for the lesson index, at most 300 characters"),
    "level": (True, str, f"one of {', '.join(LEVELS)}"),
    "order": (True, int, "the lesson's place in the curriculum, a whole number from 1"),
    "page": (False, str, f"the page the lesson uses: {', '.join(VOCABULARIES)} (default sandbox)"),
    "setup": (False, dict, "the starting settings, `name: value` lines (`tfp_url:` a TensorFlow Playground link)"),
    "views": (False, list, "a list of view names"),
    "locked": (False, list, "a list of setting names the student cannot change"),
    "hidden": (False, list, "a list of setting names the student does not see"),
    "tasks": (False, list, "a list of tasks, each with id, text, check and optional hints, kind and options"),
    "solution": (False, (dict, list), "settings, reset, epochs, steps that pass every task, or a list of stages"),
    "code": (False, str, f"the start of the glass box's layer editor, one of: {', '.join(STARTS)}"),
}
TEXT_LIMITS = {"title": 100, "summary": 300}
TASK_FIELDS = ("id", "kind", "text", "check", "options", "hints")
STARTS_DEFAULT = "dense"  # a solution stage without `code` (checked as if it named a known start)


def parse_lesson(text: str, path: Path, check_text: bool = True) -> Lesson:
    """The Lesson in `text` (read from `path`, whose folder holds its images); raises LessonError.
    `check_text=False` (a site's lesson page, built from a checked lesson) skips the Markdown of the text and
    tasks: markdown-it and bleach stay out of the page's start."""
    file = str(path)
    if len(text.encode()) > MAX_FILE_BYTES:
        raise LessonError([Problem(file, 1, "file", f"a lesson file has at most {MAX_FILE_BYTES:,} bytes")])
    try:
        header = split_lesson(text)
    except HeaderError as error:
        raise LessonError([Problem(file, error.line, "header", str(error))]) from None
    problems = [] if FILE_NAME.fullmatch(path.stem) else [Problem(file, 1, "file", _file_name_problem(path))]

    def report(path_in_header, message):
        field = "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path_in_header).lstrip(".")
        problems.append(Problem(file, header.line(*path_in_header), field, message))

    for key_path, line in header.duplicates:
        problems.append(Problem(file, line, ".".join(map(str, key_path)), "given twice; keep one"))
    values = _checked_fields(header.values, report)
    vocabulary = VOCABULARIES.get(values["page"], VOCABULARIES["sandbox"])
    values["setup"], link_hides, link_problems = linked_setup(values["setup"], vocabulary)
    for message in link_problems:
        report(("setup", TFP_URL), message)
    values["hidden"] += [name for name in link_hides if name not in values["hidden"]]
    state = vocabulary.state_class()
    for name, message in apply_settings(state, values["setup"], vocabulary):
        report(("setup", name), message)
    for where, message in vocabulary.problems(state):
        report(("setup", *where), message)
    for field in ("views", "locked", "hidden"):
        known = vocabulary.views if field == "views" else vocabulary.settings
        for index, name in enumerate(values[field]):
            if name not in known:
                report((field, index), f"unknown {field[:-1] if field == 'views' else 'setting'} {name!r}"
                       f"{did_you_mean(name, known)}; expected one of: {', '.join(known)}")  # fmt: skip
    text_problems = _text_checks(path.parent) if check_text else lambda text: []
    tasks = _tasks(values["tasks"], vocabulary.metrics, report, text_problems, _never_true(values, state, vocabulary))
    solution = _solution(values, state, vocabulary, report)
    body = header.body
    if len(body) > MAX_BODY_CHARS:
        problems.append(Problem(file, header.body_line, "body", f"the text has at most {MAX_BODY_CHARS:,} characters"))
    if check_text:
        from playground.lessons.render import markdown_problems

        for line, field, message in markdown_problems(body, path.parent, vocabulary.views):
            problems.append(Problem(file, header.body_line + line, field, message))
    if problems:
        raise LessonError(problems)
    return Lesson(
        path, values["title"], values["summary"], values["level"], values["order"], values["page"],
        values["setup"], tuple(values["views"] or vocabulary.default_views), tuple(values["locked"]),
        tuple(values["hidden"]), tasks, solution, body, header.body_line, values["code"],
        "".join(text.splitlines(keepends=True)[: header.body_line - 1]),
    )  # fmt: skip


def _checked_fields(header, report):
    """The header's fields with defaults for the optional ones; reports unknown, missing and mistyped fields."""
    values = {"page": "sandbox", "setup": {}, "views": [], "locked": [], "hidden": [], "tasks": [], "solution": [],
              "code": None}  # fmt: skip
    for key in header:
        if key not in FIELDS:
            report((key,), f"unknown field{did_you_mean(key, FIELDS)}; the fields are: {', '.join(FIELDS)}")
    for key, (required, kind, expected) in FIELDS.items():
        if key not in header:
            if required:
                report((key,), f"missing: {expected}")
            continue
        value = header[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            report((key,), f"expected {expected}, got {value!r}")
        elif key in TEXT_LIMITS and not 0 < len(value.strip()) <= TEXT_LIMITS[key]:
            report((key,), f"expected {expected}")
        elif (key == "level" and value not in LEVELS) or (key == "order" and value < 1):
            report((key,), f"expected {expected}, got {value!r}")
        elif key == "page" and value not in VOCABULARIES:
            report((key,), f"unknown page {value!r}; expected {expected}")
        elif key == "code" and (value not in STARTS or header.get("page", "sandbox") != "sandbox"):
            report((key,), f"expected {expected} (sandbox lessons only), got {value!r}")
        else:
            values[key] = value
    return values


def _file_name_problem(path):
    ascii_name = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    suggestion = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "my-lesson"
    return (f"the file name {path.name!r} may hold only ASCII letters, digits and dashes (it names the lesson's page"
            f" on the site); rename it, e.g. {suggestion}{path.suffix}")  # fmt: skip


def _text_checks(folder):
    """messages(text) for a task's text or a hint: no placeholders there; images and figures as in the body."""
    from playground.lessons.render import markdown_problems

    def messages(text):
        problems = markdown_problems(text, folder)
        return [message if field == "body" else f"{field}: {message}" for _, field, message in problems]

    return messages


def _tasks(entries, metrics, report, text_problems, never_true):
    if len(entries) > MAX_TASKS:
        report(("tasks",), f"a lesson has at most {MAX_TASKS} tasks, this one {len(entries)}")
    tasks, seen = [], set()
    for index, entry in enumerate(entries[:MAX_TASKS]):
        where = ("tasks", index)
        if not isinstance(entry, dict):
            report(where, "expected a task: `id`, `text`, `check` and optional `hints` (and `kind`, `options`)")
            continue
        for key in entry.keys() - TASK_FIELDS:
            report((*where, key), f"unknown task field; a task has {', '.join(TASK_FIELDS)}")
        task_id, text, hints = entry.get("id"), entry.get("text"), entry.get("hints", [])
        if not isinstance(task_id, str) or not TASK_ID.fullmatch(task_id):
            report((*where, "id"), f"expected a short id of lower-case letters, digits and dashes, got {task_id!r}")
        elif task_id in seen:
            report((*where, "id"), f"duplicate task id {task_id!r}; every task needs its own")
        seen.add(task_id)
        if not isinstance(text, str) or not 0 < len(text.strip()) <= MAX_TEXT_CHARS:
            report((*where, "text"), f"expected what the student should do, 1 to {MAX_TEXT_CHARS} characters")
        else:
            for message in text_problems(text):
                report((*where, "text"), message)
        if not isinstance(hints, list) or len(hints) > MAX_HINTS:
            report((*where, "hints"), f"expected a list of at most {MAX_HINTS} hints")
            hints = []
        for number, hint in enumerate(hints):
            if not isinstance(hint, str) or not 0 < len(hint.strip()) <= MAX_TEXT_CHARS:
                report((*where, "hints", number), f"expected a hint of 1 to {MAX_TEXT_CHARS} characters")
            else:
                for message in text_problems(hint):
                    report((*where, "hints", number), message)
        at = partial(_report_below, report, where)
        kind = task_kind(entry.get("kind", TaskKind.REACH), partial(at, ("kind",)))
        check, parsed = None, partial(_parsed_check, metrics=metrics, never_true=never_true)
        if kind == TaskKind.CHOICE and "check" in entry:
            at(("check",), "a choice task has no check: it is done when the student picks an option marked "
               "`correct: true`")  # fmt: skip
        elif kind == TaskKind.PREDICT and "check" not in entry:
            at(
                ("check",),
                "missing: when the run is far enough to judge the predictions, e.g. `diverged or epoch >= 50`",
            )
        elif kind != TaskKind.CHOICE:
            check = parsed(entry.get("check"), partial(at, ("check",)))
        options = task_options(entry, kind or TaskKind.REACH, parsed, at, text_problems, MAX_TEXT_CHARS)
        if kind is not None and (check is not None or kind == TaskKind.CHOICE):
            tasks.append(Task(task_id, text, check, tuple(hints), kind, options))
    return tuple(tasks)


def _report_below(report, where, path, message):
    """report(path, message) for the field at `path` below `where` (a task's)."""
    report((*where, *path), message)


def _parsed_check(source, say, metrics, never_true):
    """The Check of `source`, or None after `say(why)`: it cannot be parsed, or can never be true in this lesson."""
    try:
        check = parse_check(source, metrics)
    except CheckError as error:
        return say(f"{error} (at column {error.column} of {source!r})")
    if reason := never_true(check):
        return say(reason)
    return check


def _never_true(values, state, vocabulary):
    """never(check): why a check can never be true with the settings the lesson locks or hides or shows no control
    of, or None."""
    if vocabulary.problems(state):  # a setup the page cannot build: reported, and nothing of it to measure
        return lambda check: None
    locked = [name for name in values["locked"] if isinstance(name, str)]
    hidden = [name for name in values["hidden"] if isinstance(name, str)]
    views = [name for name in values["views"] or vocabulary.default_views if isinstance(name, str)]
    unseen = unseen_settings(vocabulary, views)
    fixed = fixed_metrics(vocabulary, state, fixed_settings(vocabulary, locked, hidden, unseen))
    return lambda check: never_true(check, fixed, locked, hidden)


def _solution(values, state, vocabulary, report):
    """The solution's stages, each checked: known settings the student may change, whole epochs and steps."""
    entries = values["solution"]
    stages = []
    views = [name for name in values["views"] or vocabulary.default_views if isinstance(name, str)]
    unseen = fixed_settings(vocabulary, (), (), unseen_settings(vocabulary, views))  # less those a shown control moves
    for index, entry in enumerate([entries] if isinstance(entries, dict) else entries):
        where = ("solution",) if isinstance(entries, dict) else ("solution", index)
        if not isinstance(entry, dict):
            report(where, "expected a stage: `settings`, then `epochs` and/or `steps`")
            continue
        for key in entry.keys() - {"settings", "reset", "epochs", "steps", "code"}:
            report((*where, key), "unknown solution field; a stage has settings, reset, code, epochs and steps")
        if entry.get("code", STARTS_DEFAULT) not in STARTS:
            report((*where, "code"), f"expected the code the student uses, one of: {', '.join(STARTS)}")
        if not isinstance(entry.get("reset", False), bool):
            report((*where, "reset"), f"expected true or false, got {entry['reset']!r}")
        settings, epochs, steps = entry.get("settings", {}), entry.get("epochs", 0), entry.get("steps", 0)
        if not isinstance(settings, dict):
            report((*where, "settings"), "expected `name: value` lines")
            settings = {}
        before = vocabulary.problems(state)
        for name, message in apply_settings(state, settings, vocabulary):
            report((*where, "settings", name), message)
        for layer, message in vocabulary.problems(state):
            if (layer, message) not in before:  # the setup's, reported there
                report((*where, "settings", *layer), message)
        controls = {name for name in values["locked"] + values["hidden"] if isinstance(name, str)}
        for name in settings.keys() & controls:
            report((*where, "settings", name), "is locked or hidden: the student cannot change it")
        for name in sorted(settings.keys() & unseen - controls):
            report((*where, "settings", name), "has no control in the lesson's views: the student cannot change it "
                   "(add the view that holds it to `views`)")  # fmt: skip
        for name, count in (("epochs", epochs), ("steps", steps)):
            limit = MAX_EPOCHS * (1 if name == "epochs" else 100)
            if type(count) is not int or not 0 <= count <= limit:
                report((*where, name), f"expected a whole number of {name} from 0 to {limit:,}, got {count!r}")
        code = entry.get("code") if entry.get("code") in STARTS else None
        stages.append(Stage(settings, epochs, steps, entry.get("reset", False), code))
    return tuple(stages)
