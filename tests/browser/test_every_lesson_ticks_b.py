"""Every lesson solved on its page as a student solves it, every task's check mark ticked (every_lesson_ticks.py):
half of the lessons here, the other half in test_every_lesson_ticks_a.py, so pytest-xdist's two workers share them."""

from every_lesson_ticks import solving_test

test_a_student_solves_the_lesson_on_its_page_and_every_task_ticks = solving_test(1)
