"""The page URL follows the settings: a link to the page reproduces the setup (query string only)."""

import time

import panel as pn

from ..state import ACCESS, SETTINGS

DEBOUNCE_MS = 400  # a slider dragged or several settings changed at once give one URL update


class UrlWriter:
    """Writes `state.to_query()` into `location.search` once no setting has changed for DEBOUNCE_MS.

    A periodic callback checks the quiet time, since its first call comes at once in Pyodide and only after
    one period under `panel serve`; it stops after writing.
    """

    def __init__(self, state, location):
        self.state, self.location = state, location
        self._last_change = 0.0
        self._waiting = None
        state.param.watch(self._changed, [*SETTINGS, *ACCESS])

    def _changed(self, *events):
        self._last_change = time.monotonic()
        if self._waiting is None:
            self._waiting = pn.state.add_periodic_callback(self._write_when_quiet, period=DEBOUNCE_MS // 4)

    def _write_when_quiet(self):
        if time.monotonic() - self._last_change >= DEBOUNCE_MS / 1000:
            self._waiting.stop()
            self._waiting = None
            self.write()

    def write(self):
        query = self.state.to_query()
        self.location.search = f"?{query}" if query else ""
