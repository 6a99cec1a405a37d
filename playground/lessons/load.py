"""Lessons from files: one (`load_lesson`) or a whole folder (`load_all`), every problem reported at once."""

from pathlib import Path

from playground.lessons.lesson import Lesson, LessonError, Problem
from playground.lessons.validate import MAX_FILE_BYTES, parse_lesson


def load_lesson(path: str | Path) -> Lesson:
    """The Lesson in the Markdown file `path`; raises LessonError listing every problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LessonError([Problem(str(path), 1, "file", f"a lesson file has at most {MAX_FILE_BYTES:,} bytes")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError([Problem(str(path), 1, "file", f"cannot read it: {error}")]) from None
    return parse_lesson(text, path)


def load_all(folder: str | Path) -> list[Lesson]:
    """Every lesson (`*.md`) in `folder`, in curriculum order; raises LessonError with the problems of all files,
    including two lessons with the same `order`."""
    lessons, problems = [], []
    for path in sorted(Path(folder).glob("*.md")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            problems += error.problems
    problems += order_problems(lessons)
    if problems:
        raise LessonError(problems)
    return sorted(lessons, key=lambda lesson: lesson.order)


def order_problems(lessons: list[Lesson]) -> list[Problem]:
    """A problem for each lesson whose `order` an earlier one of `lessons` has already (a folder's check)."""
    by_order, problems = {}, []
    for lesson in lessons:
        if lesson.order in by_order:
            other = by_order[lesson.order].path.name
            problems.append(Problem(str(lesson.path), 1, "order", f"{lesson.order} is also the order of {other}"))
        by_order[lesson.order] = lesson
    return problems
