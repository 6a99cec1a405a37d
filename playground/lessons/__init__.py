"""Lessons: Markdown files with a YAML header (setup, views, locked/hidden controls, self-checking tasks).

    lesson = load_lesson("lessons/01-one-neuron.md")      # LessonError lists every problem
    html = render_html(lesson)                             # sanitized; placeholders for the live views
    done = evaluate_tasks(lesson, lesson.measure(session))   # session: the page's (sandbox or MNIST lab)

docs/lessons.md is the format reference for lesson authors.
"""

from typing import Any

from playground.lessons.answers import Answers
from playground.lessons.checks import CheckError, Metric, parse_check
from playground.lessons.lesson import Lesson, LessonError, Option, Problem, Stage, Task, TaskKind
from playground.lessons.load import load_all, load_lesson
from playground.lessons.metrics import lesson_metrics
from playground.lessons.progress import Verification, evaluate_tasks, latch, verify
from playground.lessons.starter import new_lesson


def __getattr__(name: str) -> Any:
    # Imported on first use: rendering needs markdown-it and bleach, which a lesson page's start does without.
    if name == "render_html":
        from playground.lessons.render import render_html

        return render_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Answers",
    "CheckError",
    "Lesson",
    "LessonError",
    "Metric",
    "Option",
    "Problem",
    "Stage",
    "Task",
    "TaskKind",
    "Verification",
    "evaluate_tasks",
    "latch",
    "lesson_metrics",
    "load_all",
    "load_lesson",
    "new_lesson",
    "parse_check",
    "render_html",
    "verify",
]
