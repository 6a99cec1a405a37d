"""The curriculum in lessons/: every lesson loads, renders, and its claims hold in the engine (the MNIST lessons
train a few epochs each: about 20 s apiece in CPython)."""

from pathlib import Path

import pytest

from playground.lessons import load_all, render_html, verify

LESSONS = load_all(Path(__file__).parents[2] / "lessons")


def test_the_curriculum_is_in_order_and_every_lesson_has_tasks_and_renders():
    assert [lesson.order for lesson in LESSONS] == list(range(1, len(LESSONS) + 1))
    for lesson in LESSONS:
        assert lesson.tasks and "<script" not in render_html(lesson)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_the_solution_passes_every_task_and_the_untouched_start_none(lesson):
    result = verify(lesson)
    assert all(result.solved.values()), result
    assert not any(result.at_start.values()), result


def test_a_lesson_state_hides_and_locks_its_controls_through_the_registry():
    lesson = next(lesson for lesson in LESSONS if lesson.locked)
    state = lesson.make_state()
    assert state.lock == list(lesson.locked) and state.hide == list(lesson.hidden)
