"""The training loop of every page: an async loop that trains for about `budget` seconds per tick (as many steps
as fit, measured) and then redraws, so clicks are handled between ticks in CPython and Pyodide.
Training never calls a view: the page's `redraw` reads the session after each tick.

After every tick the loop gives the event loop a turn (`asyncio.sleep`), even when the tick took longer than its
period: the redraw's changes leave for the page and waiting clicks are handled before the next tick starts.
(Panel's periodic callback runs an overlong coroutine again at once, without a turn in between.)
On the site the next tick also waits while the last redraw is still waiting to leave for the page (`pace_with`):
a page that paints slower than training redraws gets every frame it can show and no redraw is made for nothing.
"""

import asyncio
import time

import panel as pn

PAGE_WAIT_STEP = 0.004  # seconds between looks at whether the page has taken the last redraw
PAGE_WAIT_LIMIT = 1.0  # seconds: a page that takes no redraw for this long does not hold training up

_page_busy = None  # set by pace_with


def pace_with(page_busy):
    """From now on a tick waits (PAGE_WAIT_LIMIT at most) while page_busy() says the last redraw has not left
    for the page yet; the site's worker calls this once (web/static/boot.py), a served or plain page never."""
    global _page_busy
    _page_busy = page_busy


async def _page_ready():
    waited = 0.0
    while _page_busy is not None and _page_busy() and waited < PAGE_WAIT_LIMIT:
        await asyncio.sleep(PAGE_WAIT_STEP)
        waited += PAGE_WAIT_STEP


class Ticker:
    """Runs `session.tick(n)` then `redraw()` every `period_ms` while the session's status is "running"."""

    def __init__(self, session, redraw, period_ms=60, budget=0.03, max_steps=50):
        self.session, self.redraw = session, redraw
        self.period_ms, self.budget, self.max_steps = period_ms, budget, max_steps
        self.steps_per_tick = 1
        self._loop = None  # the running loop: Bokeh's periodic callback when served, else an asyncio task

    @property
    def running(self):
        return self.session.view.status == "running"

    def toggle(self):
        """The play button: play or pause the session, starting the loop when it runs."""
        self.session.toggle()
        if self.running and self._loop is None:
            self._start()
        self.redraw()

    def _start(self):
        doc = pn.state.curdoc
        if doc is not None and doc.session_context is not None:
            # Served by Bokeh: its periodic callback runs each tick under the document's lock, as changes must.
            self._loop = pn.state.add_periodic_callback(self.tick, period=self.period_ms)
        else:
            # In Pyodide (and plain Python) a task that ends by itself once training stops: cancelling a
            # running task would make Pyodide's event loop print a CancelledError traceback on every pause.
            self._loop = asyncio.get_event_loop().create_task(self._run())

    async def _run(self):
        try:
            while self.running:
                started = time.perf_counter()
                self._tick()
                await asyncio.sleep(max(0.0, self.period_ms / 1000 - (time.perf_counter() - started)))
                await _page_ready()
        finally:
            self._loop = None

    async def tick(self):
        """One tick as the periodic callback runs it; it stops the callback once training has stopped."""
        if not self.running:
            self.stop()
            return
        self._tick()
        await asyncio.sleep(0)

    def _tick(self):
        self.session.tick(self.steps_per_tick)
        per_step = self.session.view.seconds_per_step
        if per_step > 0:
            self.steps_per_tick = max(1, min(self.max_steps, int(self.budget / per_step)))
        self.redraw()

    def stop(self):
        """Stops the periodic callback (the task stops by itself when training stops)."""
        if isinstance(self._loop, pn.io.callbacks.PeriodicCallback):
            self._loop.stop()
            self._loop = None
