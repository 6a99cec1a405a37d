"""Lesson Markdown to safe HTML: CommonMark and tables, maths kept for KaTeX, live-view placeholders, the tasks.

Maths: `$...$` becomes `<span class="math inline">`, `$$...$$` on lines of its own `<div class="math block">`,
the TeX left as text for the site's own KaTeX to typeset; nothing is fetched. Placeholders are lines of
their own (not inside code):

    ::: playground        the lesson's page, with its views, locked and hidden controls
    ::: view NAME         one view of that page (a name from the page's views)
    ::: tasks             the task list (by default it follows the text)

each rendered as `<div class="lesson-embed" data-embed="..." data-view="...">` for the site to fill in.
Raw HTML in lessons is not rendered (it shows as text), and the result goes through `sanitize_html`.
A fenced ```figure block holds a figure spec (playground/lessons/figure_blocks.py), drawn at build time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from playground.lessons.figure_blocks import figure_html, figure_problems
from playground.lessons.lesson import TaskKind
from playground.lessons.sanitize import is_local_path, sanitize_html

if TYPE_CHECKING:
    from pathlib import Path

    from playground.lessons.lesson import Lesson

EMBED = re.compile(r":::[ \t]+(playground|tasks|view[ \t]+(\S+))[ \t]*$")
EMBED_START = re.compile(r":::(\s|$)")


def _embed_rule(state, start_line, end_line, silent):
    """A `::: ...` placeholder line: a block token `lesson_embed` with `info` the placeholder's words."""
    if state.sCount[start_line] - state.blkIndent >= 4:  # indented: a code block
        return False
    line = state.src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]]
    if not EMBED_START.match(line):
        return False
    if not silent:
        token = state.push("lesson_embed", "div", 0)
        token.map, token.info = [start_line, start_line + 1], line[3:].strip()
    state.line = start_line + 1
    return True


def _render_embed(renderer, tokens, index, options, env):
    words = tokens[index].info.split()
    if words == ["tasks"]:
        env["tasks_placed"] = True
        return env["tasks_html"]
    view = f' data-view="{html.escape(words[1])}"' if len(words) == 2 else ""
    return f'<div class="lesson-embed" data-embed="{html.escape(words[0] if words else "")}"{view}></div>\n'


def markdown() -> MarkdownIt:
    """The lesson Markdown parser (a new one each call: parsers keep state while rendering)."""
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(dollarmath_plugin)
    parser.add_render_rule("fence", _render_fence)
    parser.block.ruler.before("paragraph", "lesson_embed", _embed_rule)
    parser.add_render_rule("lesson_embed", _render_embed)
    parser.add_render_rule("image", _render_image)
    return parser


def _render_image(renderer, tokens, index, options, env):
    """An image, its relative path prefixed with `env["image_prefix"]` (where the site keeps lesson files)."""
    token = tokens[index]
    if env.get("image_prefix") and is_local_path(token.attrGet("src")):
        token.attrSet("src", env["image_prefix"] + token.attrGet("src"))
    return renderer.image(tokens, index, options, env)


def _render_fence(renderer, tokens, index, options, env):
    """A ```figure block as its picture (playground.lessons.figure_blocks); any other fence as code."""
    if tokens[index].info.strip() == "figure":
        return figure_html(tokens[index].content)
    return renderer.fence(tokens, index, options, env)


def markdown_problems(text: str, folder: Path, views: Collection[str] | None = None) -> list[tuple[int, str, str]]:
    """[(line in `text`, field, message)] for bad placeholders, figure specs and images that are not files inside
    `folder`; `views` None: a task's text or a hint, where no placeholder may go."""
    problems = []
    for token in _all_tokens(markdown().parse(text)):
        line = (token.map or [0])[0]
        if token.type == "lesson_embed" and views is None:
            problems.append((line, "body", f"`::: {token.info}` cannot go in a task's text or a hint: placeholders "
                             "are lines of the lesson's text, below the header"))  # fmt: skip
        elif token.type == "lesson_embed" and not EMBED.fullmatch(f"::: {token.info}"):
            problems.append((line, "body", f"unknown placeholder `::: {token.info}`; expected `::: playground`, "
                             "`::: view NAME` or `::: tasks`"))  # fmt: skip
        elif token.type == "lesson_embed" and token.info.startswith("view") and token.info.split()[1] not in views:
            problems.append(
                (line, "body", f"unknown view {token.info.split()[1]!r}; the views are: {', '.join(views)}")
            )
        elif token.type == "fence" and token.info.strip() == "figure":
            for offset, field, message in figure_problems(token.content):  # the spec starts below the fence
                problems.append((line + 1 + offset, field, message))
        elif token.type == "image":
            src = token.attrs["src"]
            line = next((n for n in range(*token.map) if src in text.splitlines()[n]), line)
            problems += [(line, "body", message) for message in _image_problems(src, folder)]
    return problems


def _all_tokens(tokens):
    """Block tokens and, with the line of their block, the inline ones inside (images live there)."""
    for token in tokens:
        yield token
        for child in token.children or ():
            child.map = token.map
            yield child


def _image_problems(src, folder):
    if src.startswith("data:image/"):
        return []
    if not is_local_path(src):
        return [f"image {src!r}: images are files beside the lesson, given by a relative path (nothing is fetched)"]
    path = (folder / src).resolve()
    if not path.is_relative_to(folder.resolve()):
        return [f"image {src!r} is outside the lessons folder"]
    return [] if path.is_file() else [f"image {src!r}: no such file in {folder}"]


def lesson_embeds(lesson: Lesson) -> list[str]:
    """The live placeholders of the lesson's text in order, each once: "playground" or "view-NAME"; just
    ["playground"] when the text has none (the page then shows the playground after the text)."""
    embeds = []
    for token in markdown().parse(lesson.body):
        if token.type == "lesson_embed" and token.info != "tasks":
            name = "-".join(token.info.split())
            embeds += [] if name in embeds else [name]
    return embeds or ["playground"]


def lesson_images(lesson: Lesson) -> list[str]:
    """The relative paths of the pictures the lesson's text and tasks show (files beside the lesson), in order."""
    texts = [lesson.body, *(text for task in lesson.tasks for text in (task.text, *task.hints))]
    texts += [text for task in lesson.tasks for option in task.options for text in (option.text, option.feedback)]
    tokens = (token for text in texts for token in _all_tokens(markdown().parse(text)))
    paths = [token.attrGet("src") for token in tokens if token.type == "image"]
    return list(dict.fromkeys(path for path in paths if is_local_path(path)))


def render_html(lesson: Lesson, image_prefix: str = "") -> str:
    """The lesson's body and tasks as sanitized HTML, placeholders as empty `lesson-embed` divs for the site;
    `image_prefix` goes before every relative image path (the folder the site copies them to)."""
    env = {"tasks_html": _tasks_html(lesson, image_prefix), "tasks_placed": False, "image_prefix": image_prefix}
    body = markdown().render(lesson.body, env)
    return sanitize_html(body if env["tasks_placed"] else body + env["tasks_html"])


def _tasks_html(lesson, image_prefix):
    """Each task as a list item with its hints folded in <details>: revealed on request, no script needed. A predict or
    choice task lists its options, each with its feedback (hidden until judged) and a choice's right ones marked
    `data-correct`; the page's script makes them a radio group (`web/static/lesson.js`)."""
    parser, env = markdown(), {"image_prefix": image_prefix}
    items = []
    for task in lesson.tasks:
        hints = "".join(
            f'<details class="lesson-hint"><summary>Hint {number}</summary>{parser.render(hint, env)}</details>'
            for number, hint in enumerate(task.hints, start=1)
        )
        kind = "" if task.kind == TaskKind.REACH else f' data-kind="{task.kind}"'
        options = _options_html(task, parser, env) if task.options else ""
        items.append(
            f'<li data-task="{html.escape(task.id)}"{kind}>{parser.render(task.text, env)}{options}{hints}</li>'
        )
    return f'<section class="lesson-tasks"><h2>Tasks</h2><ol>{"".join(items)}</ol></section>\n' if items else ""


def _options_html(task, parser, env):
    items = []
    for index, option in enumerate(task.options):
        correct = ' data-correct="true"' if option.correct else ""
        text = f'<span class="option-text">{parser.renderInline(option.text, env)}</span>'
        feedback = (
            f'<div class="option-feedback">{parser.render(option.feedback, env)}</div>' if option.feedback else ""
        )
        items.append(f'<li data-option="{index}"{correct}>{text}{feedback}</li>')
    return f'<ul class="task-options">{"".join(items)}</ul>'
