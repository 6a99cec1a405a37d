"""Runs inside the Web Worker (worker.js): builds the page's app into a Bokeh document and keeps it in
sync with the page's copy. The last expression hands worker.js the functions it calls.

It uses four private names of Panel (docs/compat.md), looked up below: a missing one stops the start here with a
PrivateAPIError naming it, which the page shows (no page can follow Python without them)."""

import asyncio
import gc
import importlib
import types
from collections.abc import Callable
from functools import partial

import js
import panel.io.pyodide as panel_pyodide
from bokeh.events import DocumentReady
from panel.io.pyodide import init_doc, write_doc
from panel.io.state import state
from panel.pane import panel as as_panel
from pyodide.ffi import JsProxy, to_js

from playground import browser
from playground.browser.compat import private
from playground.browser.patch_queue import PatchQueue, apply_page_patch, check_document
from playground.widgets.page_url import follow_link
from playground.widgets.ticker import PagePace, pace_with

browser.prepare()  # no pandas, markdown-it or bleach at start (playground/browser/__init__.py)

# Panel's own conversions between the page's JSON patches and Python's document events (panel.io.pyodide).
NO_SYNC = "the page and Python cannot send each other changes"
_convert_json_patch = private(panel_pyodide, "_convert_json_patch", NO_SYNC, function=True)
_dict_converter = private(panel_pyodide, "_dict_converter", NO_SYNC)
_process_document_events = private(panel_pyodide, "_process_document_events", NO_SYNC, function=True)
# What Panel's server runs once a page reports its document ready.
_schedule_on_load = private(
    state, "_schedule_on_load", "onload callbacks never run and held redraws never reach the page", function=True
)


async def render(entry: str, dist_url: str, search: str = "", fragment: str = "") -> tuple[str, str, str]:
    """Build the app named by `entry` ("module:function"); return (docs_json, render_items, root_ids).
    `search` and `fragment` are the page URL's query and hash: the app reads them as pn.state.location.search and
    .hash (a link's settings; TensorFlow Playground's links keep theirs in the hash)."""
    init_doc()
    check_document(state.curdoc)  # what the PatchSender relies on, before anything is built
    # Panel's stylesheets point at its CDN unless told where the site keeps its own copy (Panel reads the key from
    # Bokeh's private `_template_variables`, the dict this public property returns).
    state.curdoc.template_variables["dist_url"] = dist_url
    follow_link(state.location, search, fragment)  # Panel's parsing of the link guarded: any link opens the page
    module, _, function = entry.partition(":")
    app = getattr(importlib.import_module(module), function)()
    as_panel(app).server_doc(state.curdoc)
    rendered = await write_doc()
    started()
    return rendered


def started() -> None:
    """What the start made lives as long as the page (the packages, the app and its models): Python's full garbage
    collections, which walked all of it now and then while training (88 ms in Pyodide: frames missed,
    benchmarks/bench_frame_parts.py), leave it out from now on. The start's own garbage is not collected first
    (that would delay the page for it)."""
    gc.freeze()


class PatchSender:
    """Sends the document's changes to the page as JSON patches, one at a time: the next patch leaves only
    after the page has applied and painted the last one (`applied`). Changes made meanwhile wait in a
    PatchQueue, which merges them, so a click's effect reaches the page after at most one frame.
    """

    def __init__(self, doc, send_patch: Callable[[JsProxy, JsProxy], None]) -> None:
        self.doc, self.send_patch = doc, send_patch
        self.pending = PatchQueue()
        self.in_flight = self.scheduled = False
        self.pace = PagePace()

    def on_change(self, event) -> None:
        self.pending.add(event)
        self._schedule()

    def _schedule(self) -> None:
        # Sent on the next turn of the event loop, so the changes of one redraw travel as one patch.
        if not self.in_flight and not self.scheduled and self.pending:
            self.scheduled = True
            asyncio.get_event_loop().call_soon(self.flush)

    def flush(self) -> None:
        self.scheduled = False
        if self.in_flight:
            return
        events = self.pending.take(self.doc)
        if not events:
            return
        patch, buffers = _process_document_events(self.doc, events)
        self.send_patch(to_js(patch, dict_converter=_dict_converter), js.Map.new(to_js(buffers)))
        self.in_flight = True  # only once sent: a patch that failed to leave must not stop the ones after it

    def applied(self, cost_ms: float = 0.0) -> None:
        """The page applied the last patch: send what waited meanwhile. `cost_ms`: what the patch before it cost the
        page, in milliseconds (PagePace)."""
        self.in_flight = False
        self.pace.painted(cost_ms / 1000)
        self._schedule()


def link(send_patch: Callable[[JsProxy, JsProxy], None]) -> PatchSender:
    """From now on, every change to the document in Python goes to the page; worker.js tells the returned
    sender when the page has applied a patch."""
    doc = state.curdoc
    # As Panel's server application does: once the page reports the document ready (linking triggers it),
    # run the onload callbacks and mark the document loaded. pn.io.hold() flushes held changes only on a
    # loaded document and silently drops them otherwise, so without this no held redraw reached the page.
    doc.on_event("document_ready", partial(_schedule_on_load, doc))
    sender = PatchSender(doc, send_patch)
    # No frame the page would skip, nor overload it; while it rests, training in one slice.
    pace_with(lambda: bool(sender.pending) or sender.pace.resting(), sender.pace.rest_left)
    doc.on_change(sender.on_change)
    doc.unhold()
    doc.callbacks.trigger_event(DocumentReady())
    return sender


def apply_patch(patch: JsProxy) -> None:
    """Apply a change made on the page (a widget moved) to the document in Python, running its callbacks.

    Called as soon as the change arrives, before any training tick or redraw waiting in the event loop, so a
    click is handled first. Pyodide's event loop counts as running during the call, so a callback may start
    periodic work (Panel's add_periodic_callback uses asyncio.create_task).
    """
    apply_page_patch(state.curdoc, _convert_json_patch(patch))


types.SimpleNamespace(render=render, link=link, apply_patch=apply_patch)
