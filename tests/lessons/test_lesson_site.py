"""Lessons on the site: a page per lesson with its prose, tasks, placeholders and neighbours, the home page's
catalogue, the module the pages run, KaTeX from the site, and a build that refuses invalid lessons."""

import importlib.util
import re
import shutil
from html import escape
from pathlib import Path

from playground.cli import main
from playground.lessons import load_all
from web.katex import copy_katex
from web.lesson_pages import catalogue, lesson_pages, lessons_module, write_module, write_pages
from web.pages import home_page

LESSONS = Path(__file__).parents[2] / "lessons"
PAGES = lesson_pages(load_all(LESSONS))


def test_every_lesson_gets_a_page_with_its_prose_tasks_placeholders_and_neighbours(tmp_path):
    write_pages(tmp_path, PAGES, "pyodide/")
    first, second, last = ((tmp_path / f"{page.slug}.html").read_text() for page in (PAGES[0], PAGES[1], PAGES[-1]))
    assert "<h1>One neuron draws a straight line</h1>" in first
    assert f"Lesson 1 of {len(PAGES)} · beginner" in first
    assert 'rel="prev"' not in first and f'rel="next" href="{PAGES[1].slug}.html"' in first
    assert f'rel="prev" href="{PAGES[0].slug}.html"' in second and f'rel="next" href="{PAGES[2].slug}.html"' in second
    assert 'rel="next"' not in last
    assert '<div class="lesson-embed" data-embed="playground"></div>' in first
    assert '<div class="lesson-embed" data-embed="toolbar"></div>' in first
    assert '<li data-task="no-hidden-layer">' in first and "<summary>Hint 1</summary>" in first
    assert '<span class="math inline">x_1</span>' in first and "static/katex/katex.min.js" in first
    assert f'data-entry="{PAGES[0].entry}"' in first and 'data-lesson="01-one-neuron"' in first
    assert "https://" not in first


def test_an_mnist_lesson_page_is_live_too(tmp_path):
    mnist = next(page for page in PAGES if page.lesson.page == "mnist")
    write_pages(tmp_path, PAGES, "pyodide/")
    html = (tmp_path / f"{mnist.slug}.html").read_text()
    assert f'data-entry="{mnist.entry}"' in html and 'data-embed="view" data-view="projection"' in html


def test_the_home_page_lists_the_lessons_in_order_with_title_level_and_summary():
    page = home_page([], catalogue(PAGES))
    titles = re.findall(r'<a href="lesson-[^"]+\.html">([^<]+)</a>', page)
    assert titles == [escape(lesson.title) for lesson in PAGES]
    assert "beginner" in page and all(escape(lesson.summary) in page for lesson in PAGES)
    assert "on their way" in home_page([], catalogue([]))


def test_the_pages_module_builds_each_lesson_from_its_header(tmp_path):
    path = write_module(PAGES, tmp_path)
    assert path.read_text() == lessons_module(PAGES)
    spec = importlib.util.spec_from_file_location("site_lessons", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert all(hasattr(module, page.function) for page in PAGES)
    app = getattr(module, PAGES[0].function)()
    assert app.lesson.title == PAGES[0].title and list(app.roots()) == ["lesson-toolbar", "lesson-playground"]


def test_pictures_are_copied_beside_the_pages_and_their_paths_follow(tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    (lessons / "images").mkdir()
    (lessons / "images" / "line.png").write_bytes(b"\x89PNG picture")
    lesson = lessons / "01-one-neuron.md"
    lesson.write_text(lesson.read_text().replace("::: playground", "![a line](images/line.png)\n\n::: playground"))
    site = tmp_path / "site"
    site.mkdir()
    pages = lesson_pages(load_all(lessons))
    write_pages(site, pages, "pyodide/")
    assert (site / "lessons" / "images" / "line.png").read_bytes() == b"\x89PNG picture"
    assert '<img src="lessons/images/line.png" alt="a line"' in (site / f"{pages[0].slug}.html").read_text()


def test_katex_comes_from_the_pinned_package_with_its_fonts(tmp_path):
    copy_katex(tmp_path)
    assert (tmp_path / "katex.min.js").stat().st_size > 100_000
    css = (tmp_path / "katex.min.css").read_text()
    assert "fonts/KaTeX_Main-Regular.woff2" in css and (tmp_path / "fonts" / "KaTeX_Main-Regular.woff2").is_file()


def test_the_build_refuses_an_invalid_lesson_and_says_where(tmp_path, capsys):
    lessons = tmp_path / "lessons"
    shutil.copytree(LESSONS, lessons)
    broken = lessons / "02-xor-needs-a-hidden-layer.md"
    broken.write_text(broken.read_text().replace("level: beginner", "level: expert"))
    assert main(["build", "--out", str(tmp_path / "site"), "--lessons", str(lessons)]) == 1
    error = capsys.readouterr().err
    assert f"{broken}:4: level: expected one of beginner, intermediate, advanced, got 'expert'" in error
    assert "nothing was built" in error and not (tmp_path / "site").exists()


def test_the_build_says_when_the_lessons_folder_is_missing(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "site"), "--lessons", str(tmp_path / "nowhere")]) == 1
    assert "no lessons folder" in capsys.readouterr().err
