"""The page URL follows the settings: a link to the page reproduces the setup (query string only). Serves every
state with `to_query`/`from_query` (the sandbox's PlaygroundState, the MNIST lab's MnistState)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import panel as pn

from playground.widgets.alert import Alert

if TYPE_CHECKING:
    from typing import Protocol, Self

    from panel.io.location import Location

    class QueryState(Protocol):
        """A page's settings (PlaygroundState, MnistState): param-watched, written to and read from a query."""

        param: Any

        def to_query(self) -> str: ...

        @classmethod
        def from_query(cls, query: str) -> tuple[Self, list[str]]: ...


DEBOUNCE_MS = 400  # a slider dragged or several settings changed at once give one URL update


def state_from_location(state_class: type[QueryState], location: Location | None) -> tuple[QueryState, list[str]]:
    """(state, notices) from the page URL's query (`location.search`); a fresh state when there is none."""
    if location is not None and location.search:
        return state_class.from_query(location.search)
    return state_class(), []


def url_notices(notices: Sequence[str]) -> Alert:
    """A warning listing what of the page URL was not used (hidden when everything was)."""
    text = "".join(f"<div>URL: {escape(notice)}</div>" for notice in notices)
    return Alert(text, visible=bool(notices), sizing_mode="stretch_width")


class UrlWriter:
    """Writes `state.to_query()` into `location.search` once no setting has changed for DEBOUNCE_MS.

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
        query = self.state.to_query()
        self.location.search = f"?{query}" if query else ""
