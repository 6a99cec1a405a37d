"""Runs inside the Web Worker (worker.js): builds the page's app into a Bokeh document and keeps it in
sync with the page's copy. The last expression hands worker.js the three functions it calls."""

import importlib
import types
from functools import partial

from panel.io.pyodide import _convert_json_patch, _link_docs_worker, init_doc, write_doc
from panel.io.state import state
from panel.pane import panel as as_panel


async def render(entry: str, dist_url: str, search: str = "") -> tuple[str, str, str]:
    """Build the app named by `entry` ("module:function") for a page whose URL query is `search`; return
    (docs_json, render_items, root_ids)."""
    init_doc()
    use_page_query(search)
    # Panel's stylesheets point at its CDN unless told where the site keeps its own copy.
    state.curdoc._template_variables["dist_url"] = dist_url
    module, _, function = entry.partition(":")
    app = getattr(importlib.import_module(module), function)()
    as_panel(app).server_doc(state.curdoc)
    return await write_doc()


def use_page_query(search: str) -> None:
    """The page's query string ("?noise=10") as pn.state.location.search, as Panel's server takes it from the
    request: in the worker nothing else tells Python where the page is, so apps could not read the URL."""
    if search:
        state.location.search = search


def link(send_patch) -> None:
    """From now on, every change to the document in Python goes to the page as a JSON patch."""
    doc = state.curdoc
    # As Panel's server application does: once the page reports the document ready (linking triggers it),
    # run the onload callbacks and mark the document loaded. pn.io.hold() flushes held changes only on a
    # loaded document and silently drops them otherwise, so without this no held redraw reached the page.
    doc.on_event("document_ready", partial(state._schedule_on_load, doc))
    _link_docs_worker(doc, send_patch, setter="js")


async def apply_patch(patch) -> None:
    """Apply a change made on the page (a widget moved) to the document in Python, running its callbacks.

    A coroutine so that the callbacks run inside Pyodide's event loop: a callback that starts periodic work
    (Panel's add_periodic_callback uses asyncio.create_task) needs a running loop.
    """
    state.curdoc.apply_json_patch(_convert_json_patch(patch), setter="js")


types.SimpleNamespace(render=render, link=link, apply_patch=apply_patch)
