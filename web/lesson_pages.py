"""The lessons on the site: one page per lesson, the catalogue on the home page, and the module the pages run.

site/lesson-<slug>.html   the prose (rendered here, maths typeset by KaTeX on the page), the tasks, previous
                          and next links, and placeholders the live app fills (playground/lessons/app.py)
site/lessons/...          the pictures the lessons show, at their paths inside the lessons folder
site_lessons.py           shipped in the project wheel: each lesson's header and placeholders, and an entry
                          per lesson page (`site_lessons:lesson_01_one_neuron`) building its live part
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from playground.lessons import Lesson
from playground.lessons.render import lesson_embeds, lesson_images, render_html
from web.pages import app_page

MODULE = "site_lessons"
IMAGES = "lessons/"  # where the site keeps the lessons' pictures
HEAD = (
    '<link rel="stylesheet" href="lesson.css">\n'
    '<link rel="stylesheet" href="static/katex/katex.min.css">\n'
    '<script defer src="static/katex/katex.min.js"></script>\n'
    '<script defer src="maths.js"></script>'
)


@dataclass(frozen=True)
class LessonPage:
    """A lesson as a page of the site (the PageLike of web/pages.py): its slug, title and live entry."""

    lesson: Lesson

    @property
    def slug(self) -> str:
        return f"lesson-{self.lesson.slug}"

    @property
    def title(self) -> str:
        return self.lesson.title

    @property
    def summary(self) -> str:
        return self.lesson.summary

    @property
    def entry(self) -> str:
        return f"{MODULE}:{self.function}"

    @property
    def function(self) -> str:
        return "lesson_" + re.sub(r"\W", "_", self.lesson.slug)


def lesson_pages(lessons: list[Lesson]) -> list[LessonPage]:
    return [LessonPage(lesson) for lesson in lessons]


def catalogue(pages: list[LessonPage]) -> str:
    """The home page's list of lessons: number, title, level and summary, in curriculum order."""
    items = "\n".join(
        f'      <li data-lesson="{escape(page.lesson.slug)}" data-tasks="{len(page.lesson.tasks)}">'
        f'<span class="lesson-number">{number}</span><div class="lesson-entry">'
        f'<a href="{escape(page.slug)}.html">{escape(page.title)}</a>'
        f' <span class="level level-{escape(page.lesson.level)}">{escape(page.lesson.level)}</span>'
        f"<p>{escape(page.summary)}</p></div></li>"
        for number, page in enumerate(pages, start=1)
    )
    return f'    <ol class="pages lessons">\n{items}\n    </ol>' if pages else ""


def page_html(pages: list[LessonPage], index: int, pyodide_url: str) -> str:
    """The page of `pages[index]`, with links to the lessons before and after it."""
    page = pages[index]
    lesson = page.lesson
    neighbours = [
        f'<a rel="{rel}" href="{escape(other.slug)}.html">{arrow_before}{escape(other.title)}{arrow_after}</a>'
        for rel, other, arrow_before, arrow_after in (
            ("prev", pages[index - 1] if index > 0 else None, "← ", ""),
            ("next", pages[index + 1] if index + 1 < len(pages) else None, "", " →"),
        )
        if other is not None
    ]
    above = f'<p class="lesson-meta">Lesson {index + 1} of {len(pages)} · {escape(lesson.level)}</p>'
    below = (
        f'<nav class="lesson-nav" aria-label="Lessons">{"".join(neighbours)}</nav>\n'
        '  <p class="lesson-progress"><span id="lesson-progress" role="status" aria-live="polite"></span>'
        ' <button id="lesson-download" type="button">Download my progress</button>'
        ' <button id="lesson-forget" type="button" hidden>Forget my progress</button></p>'
    )
    body = render_html(lesson, image_prefix=IMAGES)
    body = body.removeprefix(f"<h1>{escape(lesson.title, quote=False)}</h1>\n")  # the page's header has the title
    toolbar = '<div class="lesson-embed" data-embed="toolbar"></div>'
    return app_page(
        page,
        pyodide_url,
        head=HEAD,
        article=f'<article class="lesson-body">{body}</article>',
        body_attributes=f' class="lesson" data-lesson="{escape(lesson.slug)}"',
        above_title=above,
        below_title=f"{below}\n  {toolbar}",
    )


def lessons_module(pages: list[LessonPage]) -> str:
    """The source of `site_lessons.py`: each lesson's header and placeholders, and its page's entry."""
    lines = [
        '"""The lessons of this site, written by `nn-playground build` (web/lesson_pages.py): one entry per page."""',
        "",
        "from playground.lessons.app import lesson_app",
        "",
    ]
    for page in pages:
        lines += [
            "",
            f"def {page.function}():",
            f"    return lesson_app({live_part(page)})",
            "",
        ]
    return "\n".join(lines)


def live_part(page: LessonPage) -> str:
    """What the page's live part is built from, as lesson_app's arguments: its slug, header and placeholders."""
    return f"{page.lesson.slug!r}, {page.lesson.header_text!r}, {lesson_embeds(page.lesson)!r}"


def write_module(pages: list[LessonPage], folder: Path) -> Path:
    """Writes site_lessons.py into `folder` (for the project wheel) and returns its path."""
    module = folder / f"{MODULE}.py"
    module.write_text(lessons_module(pages))
    return module


def write_pages(out: Path, pages: list[LessonPage], pyodide_url: str) -> None:
    """Writes each lesson's page, and the pictures it shows, into the site `out`."""
    for index, page in enumerate(pages):
        (out / f"{page.slug}.html").write_text(page_html(pages, index, pyodide_url))
        for image in lesson_images(page.lesson):
            target = out / IMAGES / image
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page.lesson.path.parent / image, target)
