"""The site's HTML: the home page listing the pages, and one app page per declared page (one loader for all)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Protocol

from web.site_wheels import BOKEH_BUNDLES

TEMPLATES = Path(__file__).with_name("templates")


class PageLike(Protocol):
    """What the build needs of a page (playground.pages.Page): entry is "module:function" returning a
    Panel viewable."""

    slug: str
    title: str
    summary: str
    entry: str


def fill(template: str, **values: str) -> str:
    """The template with each {{name}} replaced by its value."""
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", value)
    return template


def home_page(pages: list[PageLike]) -> str:
    items = "\n".join(
        f'      <li><a href="{escape(page.slug)}.html">{escape(page.title)}</a>'
        f'<p>{escape(page.summary)}</p></li>'
        for page in pages
    )
    return fill((TEMPLATES / "home.html").read_text(), sandbox=items)


def app_page(page: PageLike, pyodide_url: str) -> str:
    scripts = [f"static/bokeh/{name}.min.js" for name in BOKEH_BUNDLES] + ["static/panel/panel.min.js"]
    return fill(
        (TEMPLATES / "page.html").read_text(),
        title=escape(page.title),
        entry=escape(page.entry),
        pyodide_url=escape(pyodide_url),
        bokeh_scripts="\n".join(f'<script defer src="{src}"></script>' for src in scripts),
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
