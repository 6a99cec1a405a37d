"""The training loop of every page: an async periodic callback that trains for about `budget` seconds per tick
(as many steps as fit, measured) and then redraws, so clicks are handled between ticks in CPython and Pyodide.
Training never calls a view: the page's `redraw` reads the session after each tick.
"""

import panel as pn


class Ticker:
    """Runs `session.tick(n)` then `redraw()` every `period_ms` while the session's status is "running"."""

    def __init__(self, session, redraw, period_ms=60, budget=0.03, max_steps=50):
        self.session, self.redraw = session, redraw
        self.period_ms, self.budget, self.max_steps = period_ms, budget, max_steps
        self.steps_per_tick = 1
        self._callback = None

    def toggle(self):
        """The play button: play or pause the session, starting the periodic callback when it runs."""
        self.session.toggle()
        if self.session.view.status == "running" and self._callback is None:
            self._callback = pn.state.add_periodic_callback(self.tick, period=self.period_ms)
        self.redraw()

    async def tick(self):
        if self.session.view.status != "running":
            self.stop()
            return
        self.session.tick(self.steps_per_tick)
        per_step = self.session.view.seconds_per_step
        if per_step > 0:
            self.steps_per_tick = max(1, min(self.max_steps, int(self.budget / per_step)))
        self.redraw()

    def stop(self):
        if self._callback is not None:
            self._callback.stop()
            self._callback = None
