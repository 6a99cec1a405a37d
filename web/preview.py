"""Each app page's first look, made at build time: the Bokeh document the page's entry builds at start, built here
in CPython and written beside the page as `<slug>.preview.json`. loader.js shows it with BokehJS at once, while
Python starts in the page's worker, and swaps in the live document when it is ready (docs/architecture.md).

The preview is the page as a visit without settings in its link starts: the same entry, the same seeded state, the
same wrappers boot.py applies (`playground.browser.prepare`). Each page is built in a process of its own, with
Bokeh's simple ids, so a page's file does not depend on which pages were built before it and the same inputs give
the same bytes.

    python -m web.preview FILE MODULE:FUNCTION    one page's preview, written to FILE (what write_previews runs)
"""

from __future__ import annotations

import importlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SUFFIX = ".preview.json"
# Where Panel's stylesheets are, as boot.py tells the live document (relative: every app page is at the site's root).
DIST_URL = "static/panel/"
PREVIEW_ID = "preview"  # the document's id (Bokeh makes a random one)


class PreviewError(RuntimeError):
    """A page's entry failed to build in CPython: the message names the page and ends with Python's error."""


def preview_json(entry: str) -> dict:
    """The document `entry` ("module:function") builds, as loader.js renders it: docs_json, render_items (the
    first item's roots are placed by the page) and root_ids, plus the link keys a visit may carry and still see
    this start (`page_keys`: ?embed=1)."""
    import panel as pn
    from bokeh.document import Document
    from bokeh.embed.util import standalone_docs_json_and_render_items
    from bokeh.settings import settings
    from panel.io.state import set_curdoc

    from playground import browser
    from playground.widgets.page_url import PAGE_KEYS

    settings.simple_ids.set_value(True)
    random.seed(0)  # the pages draw from their own seeded generators; anything drawing from `random` is fixed here
    browser.prepare()
    doc = Document()
    doc.template_variables["dist_url"] = DIST_URL
    with set_curdoc(doc):
        module, _, function = entry.partition(":")
        pn.panel(getattr(importlib.import_module(module), function)()).server_doc(doc)
        docs_json, render_items = standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)
    (doc_id,) = docs_json
    items = [dict(item.to_json(), docid=PREVIEW_ID, roots={}) for item in render_items]  # the page places roots
    return {
        "page_keys": list(PAGE_KEYS),
        "docs_json": {PREVIEW_ID: _without_addresses(docs_json[doc_id])},
        "render_items": items,
        "root_ids": [root.id for root in doc.roots],
    }


def _without_addresses(value, seen: dict | None = None):
    """`value` with the memory addresses Panel tags its JavaScript links with (`tags: [[id(obj), ...]]`, used by
    Panel's server side only) numbered in order of appearance instead, so the same page gives the same bytes."""
    seen = {} if seen is None else seen
    if isinstance(value, dict):
        return {
            key: _numbered_tags(item, seen) if key == "tags" else _without_addresses(item, seen)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_without_addresses(item, seen) for item in value]
    return value


def _numbered_tags(tags, seen: dict):
    if not isinstance(tags, list | tuple):
        return _without_addresses(tags, seen)
    return [
        [seen.setdefault(tag[0], len(seen) + 1), *_without_addresses(tag[1:], seen)]
        if isinstance(tag, list | tuple) and tag and type(tag[0]) is int
        else _without_addresses(tag, seen)
        for tag in tags
    ]


def write_previews(out: Path, pages: Iterable, module_dirs: Iterable[Path] = (), workers: int = 2) -> list[Path]:
    """Write `<slug>.preview.json` into `out` for every page (PageLike: slug, entry), each built by its own
    process; `module_dirs` hold single-file modules an entry may name (the lessons' site_lessons.py, a test's
    demo page). Raises PreviewError for the first page that fails."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join([*map(str, module_dirs), *filter(None, [env.get("PYTHONPATH")])])
    pages = list(pages)
    out.mkdir(parents=True, exist_ok=True)

    def write(page) -> Path:
        target = out / f"{page.slug}{SUFFIX}"
        run = subprocess.run(
            [sys.executable, "-m", "web.preview", str(target), page.entry],
            env=env,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        if run.returncode:
            last = run.stderr.strip().splitlines()[-1:] or ["no message"]
            raise PreviewError(f"page {page.slug!r} ({page.entry}) failed to build in Python: {last[0]}")
        return target

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(write, pages))


def main(argv: list[str]) -> None:
    target, entry = argv
    Path(target).write_text(json.dumps(preview_json(entry), separators=(",", ":")))


if __name__ == "__main__":
    main(sys.argv[1:])
