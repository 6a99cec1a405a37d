"""The site's HTML: the home page listing the pages, and one app page per declared page (one loader for all)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Protocol

from web.precompress import SUFFIX as GZIPPED
from web.preview import SUFFIX as PREVIEW_SUFFIX
from web.site_wheels import BOKEH_BUNDLES

TEMPLATES = Path(__file__).with_name("templates")
# BokehJS and Panel's script, in the order they run: every app page fetches them stored gzipped (web/precompress.py).
PAGE_SCRIPTS = (*(f"static/bokeh/{name}.min.js" for name in BOKEH_BUNDLES), "static/panel/panel.min.js")


class PageLike(Protocol):
    """What the build needs of a page (playground.pages.Page): entry is "module:function" returning a
    Panel viewable."""

    slug: str
    title: str
    summary: str
    entry: str


def fill(template: str, **values: str) -> str:
    """The template with each {{name}} replaced by its value, in one pass (a value's own braces stay)."""
    return re.sub(r"\{\{(\w+)\}\}", lambda match: values.get(match[1], match[0]), template)


def home_page(pages: list[PageLike], lessons: str = "") -> str:
    """The home page: the pages, then `lessons` (the catalogue's HTML, web/lesson_pages.py)."""
    items = "\n".join(
        f'      <li><a href="{escape(page.slug)}.html">{escape(page.title)}</a><p>{escape(page.summary)}</p></li>'
        for page in pages
    )
    lessons = lessons or '<p class="empty">Lessons are on their way.</p>'
    return fill((TEMPLATES / "home.html").read_text(), sandbox=items, lessons=lessons)


def app_page(
    page: PageLike,
    pyodide_url: str,
    *,
    head: str = "",
    body_attributes: str = "",
    above_title: str = "",
    below_title: str = "",
    article: str = "",
) -> str:
    """A page running `page.entry` in the worker, showing its preview (web/preview.py) until Python is ready; a lesson
    page adds its header lines and prose (`article`). The head fetches BokehJS, Panel's script and the preview at once,
    gzipped (`window.nnPlaygroundEarly`: URL -> the fetch's promise), before the loader's modules have arrived;
    loader.js runs the scripts in order (`data-scripts`) and shows the preview (`data-preview`)."""
    scripts = [f"{src}{GZIPPED}" for src in PAGE_SCRIPTS]
    preview = f"{page.slug}{PREVIEW_SUFFIX}{GZIPPED}"
    early = json.dumps([*scripts, preview])
    head = "\n".join(
        [
            f"<script>window.nnPlaygroundEarly = Object.fromEntries({early}.map((url) => [url, fetch(url)]));</script>",
            '<script defer src="gunzip.js"></script>',
            '<script type="module" src="loader.js"></script>',
            head,
        ]
    )
    attributes = (
        f' data-entry="{escape(page.entry)}" data-pyodide="{escape(pyodide_url)}"'
        f' data-scripts="{escape(" ".join(scripts))}" data-preview="{escape(preview)}"{body_attributes}'
    )
    content = fill((TEMPLATES / "app.html").read_text(), article=article)
    return static_page(
        page.title, content, head=head, body_attributes=attributes, above_title=above_title, below_title=below_title
    )


def static_page(
    title: str, content: str, *, head: str = "", body_attributes: str = "", above_title: str = "", below_title: str = ""
) -> str:
    """A page of the site with the common header; `title` is plain text, the rest HTML."""
    return fill(
        (TEMPLATES / "page.html").read_text(),
        title=escape(title),
        head=head,
        content=content,
        body_attributes=body_attributes,
        above_title=above_title,
        below_title=below_title,
    )


def check_pages(pages: list[PageLike]) -> None:
    """Raise ValueError naming the first page whose slug or entry cannot work."""
    seen = set()
    for page in pages:
        if not page.slug.replace("-", "").isalnum() or page.slug in seen | {"index"}:
            raise ValueError(f"page slug {page.slug!r} must be unique, made of letters, digits and '-'")
        module, _, function = page.entry.partition(":")
        if not module or not function.isidentifier():
            raise ValueError(f"page {page.slug!r}: entry {page.entry!r} is not 'module:function'")
        seen.add(page.slug)
