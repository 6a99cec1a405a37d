"""The page URL follows the settings: a link to the page reproduces the setup. Serves every state with
`to_query`/`from_query` (the sandbox's PlaygroundState, the MNIST lab's MnistState).

A page reads its settings from the URL's query and its hash (TensorFlow Playground's share links keep theirs in the
hash), the query's winning where both set one; it writes them to the query, and drops the hash then.

A link is anything anyone typed. The pages read it themselves (playground/core/query.py: bounded, and every bad
value a notice), but Panel's Location also parses its `search` each time it is set (for `Location.sync`, which no
page uses), with `panel.util.parse_query`: int() of any value `isdigit()` likes ("²" raises, and so does a number
of over 4,300 digits) and json, then ast, of any value starting with "[" or "{" (250 nested brackets overflow the
small stack of Python in the browser's worker: a fatal error, not an exception). Boot.py sets the page's query
there, and `panel serve` the request's, before a page is built; so `guard_location_parsing()` (run on import)
makes Panel's Location parse only `safe_search(search)`, the part of the query that parser takes whole.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import panel as pn
from panel.io.location import Location
from panel.util import parse_query

from playground.core.query import MAX_VALUE_CHARS, capped, read_pairs, shown
from playground.widgets.alert import Alert

if TYPE_CHECKING:
    from typing import Protocol, Self

    class QueryState(Protocol):
        """A page's settings (PlaygroundState, MnistState): param-watched, written to and read from a query."""

        param: Any

        def to_query(self) -> str: ...

        @classmethod
        def from_query(cls, query: str, strict: bool = False) -> tuple[Self, list[str]]: ...


DEBOUNCE_MS = 400  # a slider dragged or several settings changed at once give one URL update
PAGE_KEYS = ("embed",)  # the page's own keys (?embed=1, web/templates/page.html), not settings: kept as given
MAX_PANEL_DIGITS = 100  # Panel's parser turns a value of digits into an int: longer ones are left out


def safe_search(search: str) -> tuple[str, list[str]]:
    """(`search` as Panel's query parser can take it, notices for what that leaves out): `search` itself when it
    is harmless, else "?" and the first MAX_PAIRS of its pairs without the values that parser would choke on:
    longer than MAX_VALUE_CHARS, starting with "[" or "{" (no page reads such a value), or digits that are not
    ASCII or more than MAX_PANEL_DIGITS of them. The pages read the whole `search` themselves (`from_query`)."""
    pairs, unread = read_pairs(search)
    kept = [(key, value) for key, value in pairs if _harmless(value)]
    notices = [
        f"{shown(key, quoted=False) or 'a value without a name'}: {shown(value)} cannot be read; ignored"
        for key, value in pairs
        if not _harmless(value)
    ]
    if not notices and not unread:
        return (search if search.startswith("?") or not search else f"?{search}"), []
    return (f"?{urlencode(kept)}" if kept else ""), capped(notices, unread)


def _harmless(value: str) -> bool:
    """Whether panel.util.parse_query reads `value` without raising or recursing."""
    if len(value) > MAX_VALUE_CHARS or value.startswith(("[", "{")):
        return False
    return not value.isdigit() or (value.isascii() and len(value) <= MAX_PANEL_DIGITS)


def _guarded_query_params(self: Location) -> dict[str, Any]:
    return parse_query(safe_search(self.search)[0])


def guard_location_parsing() -> None:
    """From now on Panel's Location parses `safe_search(search)` instead of `search` (`query_params`, which its
    `search` watcher reads): whatever a link holds, setting it as a Location's search cannot raise or recurse."""
    if Location.query_params.fget is not _guarded_query_params:
        Location.query_params = property(_guarded_query_params, doc=Location.query_params.__doc__)


guard_location_parsing()  # before `panel serve` makes its first Location from a request, when a page is imported


def follow_link(location: Location, search: str, fragment: str = "") -> None:
    """Sets the page URL's query and hash (`window.location.search`, `.hash`) as `location.search` and `.hash`,
    where the pages read their settings from (boot.py, before the page is built); Panel's parsing guarded."""
    guard_location_parsing()
    location.param.update(search=search, hash=fragment)


def state_from_location(state_class: type[QueryState], location: Location | None) -> tuple[QueryState, list[str]]:
    """(state, notices) from the page URL's query and hash (`location.search`, `.hash`; the query's settings win);
    a fresh state when there is neither."""
    link = "" if location is None else "&".join(page_segments(location.search, page=False)) + location.hash
    return state_class.from_query(link) if link else (state_class(), [])


def page_segments(search: str, page: bool) -> list[str]:
    """The "key=value" segments of `search` that are the page's own (PAGE_KEYS) if `page`, else the others."""
    segments = [segment for segment in search.lstrip("?").split("&") if segment]
    return [segment for segment in segments if (segment.partition("=")[0] in PAGE_KEYS) == page]


def url_notices(notices: Sequence[str]) -> Alert:
    """A warning listing what of the page URL was not used (hidden when everything was)."""
    alert = Alert(sizing_mode="stretch_width")
    show_url_notices(alert, notices)
    return alert


def show_url_notices(alert: Alert, notices: Sequence[str]) -> None:
    """`alert` (url_notices) lists `notices` now, or hides when there are none."""
    alert.param.update(object="".join(f"<div>URL: {escape(notice)}</div>" for notice in notices), visible=bool(notices))


def served_by_bokeh() -> bool:
    """Whether this page is served by Bokeh's server (`panel serve`, a notebook's server), not run in the browser's
    Python or from a script."""
    doc = pn.state.curdoc
    return doc is not None and doc.session_context is not None


class UrlWriter:
    """Writes `state.to_query()` into `location.search` (and empties `location.hash`) once no setting has changed for
    DEBOUNCE_MS.

    A periodic callback checks the quiet time, since its first call comes at once in Pyodide and only after
    one period under `panel serve`; it stops after writing.
    """

    def __init__(self, state: QueryState, location: Location) -> None:
        self.state, self.location = state, location
        self._last_change = 0.0
        self._waiting = None
        state.param.watch(self._changed, [name for name in state.param if name != "name"])

    def _changed(self, *events):
        self._last_change = time.monotonic()
        if self._waiting is None:
            self._waiting = pn.state.add_periodic_callback(self._write_when_quiet, period=DEBOUNCE_MS // 4)

    def _write_when_quiet(self):
        if time.monotonic() - self._last_change >= DEBOUNCE_MS / 1000:
            self._waiting.stop()
            self._waiting = None
            self.write()

    def write(self) -> None:
        """The settings into the query, after the page's own keys (?embed=1); the hash, which a link may have set
        them in, is dropped."""
        query = "&".join([*page_segments(self.location.search, page=True), *filter(None, [self.state.to_query()])])
        self.location.param.update(hash="", search=f"?{query}" if query else "")
