"""Lesson HTML: Markdown, maths kept for KaTeX, placeholders, tasks with hints, and nothing hostile survives."""

import re

import pytest

from playground.lessons import load_lesson, render_html
from playground.lessons.render import lesson_images
from playground.lessons.sanitize import sanitize_html

HEADER = """\
---
title: T
summary: S.
level: beginner
order: 1
tasks:
  - id: go
    text: Reach `epoch >= 5`, where $e$ counts passes.
    check: epoch >= 5
    hints: [First hint., Second hint.]
---
"""


def render(tmp_path, body):
    path = tmp_path / "lesson.md"
    path.write_text(HEADER + body)
    (tmp_path / "pics").mkdir(exist_ok=True)
    (tmp_path / "pics" / "a.png").write_bytes(b"\x89PNG")
    return render_html(load_lesson(path))


def test_markdown_maths_code_and_images_render(tmp_path):
    out = render(
        tmp_path, "# Head\n\nInline $w_1 < b$.\n\n$$\n\\sum_i x_i\n$$\n\n```python\nx = 1\n```\n\n![fig](pics/a.png)\n"
    )
    assert "<h1>Head</h1>" in out
    assert '<span class="math inline">w_1 &lt; b</span>' in out
    assert '<div class="math block">\n\\sum_i x_i\n</div>' in out
    assert '<pre><code class="language-python">x = 1\n</code></pre>' in out
    assert '<img src="pics/a.png" alt="fig">' in out


def test_placeholders_become_empty_embed_divs_and_tasks_go_where_asked(tmp_path):
    out = render(tmp_path, "::: playground\n\n::: view network\n\n::: tasks\n\nThe end.\n\n    ::: view code\n")
    assert '<div class="lesson-embed" data-embed="playground"></div>' in out
    assert '<div class="lesson-embed" data-embed="view" data-view="network"></div>' in out
    assert out.index('class="lesson-tasks"') < out.index("The end.")
    assert "<pre><code>::: view code" in out  # indented: code, not a placeholder


def test_tasks_follow_the_text_with_hints_folded(tmp_path):
    out = render(tmp_path, "Text.\n")
    assert out.index("Text.") < out.index('<li data-task="go">')
    assert '<span class="math inline">e</span>' in out and "<code>epoch &gt;= 5</code>" in out
    assert re.findall(r"<summary>(Hint \d)</summary>", out) == ["Hint 1", "Hint 2"]


HOSTILE_MARKDOWN = """
<script>alert(1)</script>
<iframe src="https://evil.example"></iframe>
<img src=x onerror="alert(1)">
<object data="x.swf"></object><embed src="x.swf">
<style>body { display: none }</style>
<a href="#" onclick="alert(1)" style="position:fixed">click</a>
[js](javascript:alert(1)) [js2](JaVaScRiPt:alert(1)) [data](data:text/html,<script>alert(1)</script>)
![svg](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)
"""


def test_hostile_markdown_renders_as_inert_text(tmp_path):
    tags = " ".join(re.findall(r"<[^>]*>", render(tmp_path, HOSTILE_MARKDOWN)))  # escaped text is inert
    assert not re.search(r"<(script|iframe|object|embed|style)", tags, re.IGNORECASE)
    assert not re.search(r"\son\w+=|style=|javascript:|href=\"data:|src=\"data:", tags, re.IGNORECASE)


@pytest.mark.parametrize(
    "hostile, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<p onclick="alert(1)">x</p>', "onclick"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ('<object data="x"></object><embed src="x">', "<object"),
        ('<object data="x"></object><embed src="x">', "<embed"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<style>p{}</style>", "<style"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "href"),
        ('<a href=" &#106;avascript:alert(1)">x</a>', "href"),
        ('<a href="&#100;ata:text/html,hi">x</a>', "href"),
        ('<a href="data:text/html,hi">x</a>', "href"),
        ('<img src="data:image/svg+xml,<svg onload=alert(1)>">', "src"),
        ('<img src="https://tracker.example/a.png">', "src"),
        ('<img src="//tracker.example/a.png">', "src"),
        ('<img src="/etc/a.png">', "src"),
        ('<div class="admin-panel">x</div>', "class"),
        ('<form action="x"><input name="p"></form>', "<input"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript"),
        ("<!-- <script>alert(1)</script> -->", "<!--"),
        ('<base href="https://evil.example/">', "<base"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta"),
    ],
)
def test_the_sanitizer_removes_hostile_html(hostile, forbidden):
    assert forbidden not in sanitize_html(hostile).lower()


@pytest.mark.parametrize(
    "safe",
    [
        '<a href="https://playground.tensorflow.org">TFP</a>',
        '<a href="mailto:teacher@example.org">mail</a>',
        '<a href="lesson-02.html#tasks">next</a>',
        '<img src="pics/a.png" alt="a">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<span class="math inline">x^2</span>',
        '<div class="lesson-embed" data-embed="view" data-view="network"></div>',
    ],
)
def test_the_sanitizer_keeps_what_lessons_need(safe):
    assert sanitize_html(safe) == safe


def test_images_in_tasks_and_hints_are_copied_and_prefixed_like_the_texts(tmp_path):
    header = HEADER.replace("text: Reach `epoch >= 5`, where $e$ counts passes.", "text: '![t](pics/a.png) Train.'")
    (tmp_path / "pics").mkdir()
    for name in ("a.png", "b.png"):
        (tmp_path / "pics" / name).write_bytes(b"\x89PNG")
    path = tmp_path / "lesson.md"
    path.write_text(header.replace("[First hint., ", "['![h](pics/b.png)', ") + "![fig](pics/a.png)\n")
    lesson = load_lesson(path)
    assert lesson_images(lesson) == ["pics/a.png", "pics/b.png"]
    out = render_html(lesson, image_prefix="lessons/")
    assert '<img src="lessons/pics/a.png" alt="t">' in out and '<img src="lessons/pics/b.png" alt="h">' in out
