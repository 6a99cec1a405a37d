"""The training loop of every page: an async loop that trains for about `budget` seconds per tick (as many steps
as fit, measured) and then redraws, so clicks are handled between ticks in CPython and Pyodide.
Training never calls a view: the page's `redraw` reads the session after each tick.

After every tick the loop gives the event loop a turn (`asyncio.sleep`), even when the tick took longer than its
period: the redraw's changes leave for the page and waiting clicks are handled before the next tick starts.
(Panel's periodic callback runs an overlong coroutine again at once, without a turn in between.)
On the site a tick redraws only once the last redraw has left for the page (`pace_with`); until then it trains on
in short slices, a turn of the event loop between them: a page that paints slower than training gets every frame
it can show, no redraw is made for nothing, the time goes to training, and the redraw starts at most one slice
after the page is ready for it (a whole tick's training there would make it miss the page's next frame).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import panel as pn

from playground.core.status import Status
from playground.widgets.page_url import served_by_bokeh

if TYPE_CHECKING:
    from playground.core.training import TrainingSession

PAGE_WAIT_LIMIT = 1.0  # seconds: a page that takes no redraw for this long gets one anyway
WAIT_SLICE = 0.002  # seconds of training between two looks at the page while waiting for it
QUIET_SLICE = 0.01  # seconds: the longest slice while the page surely needs nothing (PagePace's rest)
FRAME = 1 / 60  # seconds: a redraw costing the page no more than a frame of a 60 Hz screen makes it rest nothing
FRAME_BUDGET = 0.06  # seconds: a redraw costing the page FRAME more than this rests as long as it cost (PagePace)

_page_busy = None  # set by pace_with
_quiet = None  # set by pace_with


def pace_with(page_busy: Callable[[], bool] | None, quiet: Callable[[], float] = lambda: 0.0) -> None:
    """From now on a tick trains on (PAGE_WAIT_LIMIT at most) while page_busy() says the last redraw has not left
    for the page yet, and redraws after; quiet() is how many seconds more the page surely waits for nothing (the rest
    PagePace gives it). The site's worker calls this once (web/static/boot.py)."""
    global _page_busy, _quiet
    _page_busy, _quiet = page_busy, quiet


class PagePace:
    """How long the next training redraw waits after the page painted the last one, from what that redraw cost the
    page: the time from the patch's arrival to the end of the frame that painted it (applying it, waiting for the
    frame, which comes late when the browser's compositor is busy, and drawing it).

    The page's share of the time falls as its redraws get dearer: one costing `cost` more than a frame (FRAME) is
    followed by a rest of (cost - FRAME)² / FRAME_BUDGET, so a 20 ms redraw (Chromium, Firefox) rests 0.2 ms, a 50 ms
    one 18 ms (73% of the time), a 120 ms one 178 ms (40%). A machine that cannot animate smoothly (WebKitGTK
    compositing on the CPU, two cores) then spends the CPU its frames would take from the worker on training, instead
    of on frames it shows at a few a second anyway; one that paints a redraw within a frame is never held back (a
    rest of cost² / 50 ms made Chromium's 18 ms redraws miss every other frame: 38-39 frames/s against 42-44 without,
    benchmarks/bench_sandbox_site.py). With FRAME_BUDGET 30 ms Chromium's main thread, painting an 8 x 16 network's
    47 ms redraws, sat idle 44% of the time while the worker rested 30 ms after each: 60 ms gave 18 frames/s against
    13-17, WebKitGTK 8.9 redraws/s against 7.8 (benchmarks/profile_sandbox_page.py, bench_cross_browser.py). Clicks
    are not delayed: only training redraws wait (`pace_with`)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.rest_until = 0.0

    def painted(self, cost: float) -> None:
        """The page painted a redraw, which cost it `cost` seconds (0 if not measured)."""
        over = max(0.0, cost - FRAME)
        self.rest_until = self.clock() + min(PAGE_WAIT_LIMIT, over * over / FRAME_BUDGET)

    def resting(self) -> bool:
        """Whether the next training redraw should wait still."""
        return self.clock() < self.rest_until

    def rest_left(self) -> float:
        """Seconds the next training redraw waits still."""
        return max(0.0, self.rest_until - self.clock())


class Ticker:
    """Runs `session.tick(n)` then `redraw()` every `period_ms` while the session's status is "running"."""

    def __init__(
        self,
        session: TrainingSession,
        redraw: Callable[[], None],
        period_ms: int = 60,
        budget: float = 0.03,
        max_steps: int = 50,
        min_steps: Callable[[], int] = lambda: 1,
        paced_budget: float | None = None,
    ) -> None:
        """A tick trains for about `budget` seconds (`paced_budget` on the site, if given), but at least
        `min_steps()` and at most `max_steps` updates."""
        self.session, self.redraw = session, redraw
        self.period_ms, self.budget, self.max_steps, self.min_steps = period_ms, budget, max_steps, min_steps
        self.paced_budget = budget if paced_budget is None else paced_budget
        self.steps_per_tick = 1
        self._loop = None  # the running loop: Bokeh's periodic callback when served, else an asyncio task

    @property
    def running(self) -> bool:
        return self.session.view.status == Status.RUNNING

    def toggle(self) -> None:
        """The play button: play or pause the session, starting the loop when it runs."""
        self.session.toggle()
        if self.running and self._loop is None:
            self._start()
        self.redraw()

    def _start(self):
        if served_by_bokeh():
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
                self._train()
                await self._train_until_page_ready()
                self.redraw()  # also when training stopped by itself (diverged), so the page says so
                await asyncio.sleep(self._rest(time.perf_counter() - started))
        finally:
            self._loop = None

    def _rest(self, elapsed: float) -> float:
        """Seconds to wait after a tick that took `elapsed`: the rest of its period, or none on the site, where the
        page paces the redraws (`pace_with`) and the worker has nothing else to do: a tick of the MNIST lab trains for
        80 of its 100 ms, and a cheap redraw left the worker idle for most of the other 20."""
        return 0.0 if _page_busy is not None else max(0.0, self.period_ms / 1000 - elapsed)

    async def _train_until_page_ready(self):
        """While the last redraw still waits for the page, more training in slices, each followed by a turn of the
        event loop (where the page's acknowledgement and clicks arrive): WAIT_SLICE while the page paints, as long as
        the rest PagePace gives it (QUIET_SLICE at most) once it has. A turn, a message the worker sends itself, took
        0.03 ms in Firefox but 0.6-0.7 ms in WebKitGTK beside a busy page, whose worker idled half the time in 2 ms
        slices; a rest is known to need nothing, and a click waits at most QUIET_SLICE. The view is refreshed once,
        after the last slice: refreshing it (losses over every point, the curves' next point) after each slice took
        most of the slices' time."""
        started, sliced = time.perf_counter(), False
        while _page_busy is not None and _page_busy() and time.perf_counter() - started < PAGE_WAIT_LIMIT:
            quiet = min(QUIET_SLICE, _quiet()) if _quiet is not None else 0.0
            self.session.tick(max(1, self._steps_in(max(WAIT_SLICE, quiet))), refresh=False)
            sliced = True
            await asyncio.sleep(0)
            if not self.running:
                break
        if sliced:
            self.session.refresh()

    async def tick(self) -> None:
        """One tick as the periodic callback runs it; it stops the callback once training has stopped."""
        if not self.running:
            self.stop()
            return
        self._train()
        self.redraw()
        await asyncio.sleep(0)

    def _train(self):
        """`steps_per_tick` updates, then the count that fits the budget at the measured speed."""
        self.session.tick(self.steps_per_tick)
        budget = self.budget if _page_busy is None else self.paced_budget
        if self.session.view.seconds_per_step > 0:
            self.steps_per_tick = min(self.max_steps, max(1, self.min_steps(), self._steps_in(budget)))

    def _steps_in(self, seconds):
        """How many updates fit `seconds` at the measured speed (0 while none has been measured)."""
        per_step = self.session.view.seconds_per_step
        return int(seconds / per_step) if per_step > 0 else 0

    def stop(self) -> None:
        """Stops the periodic callback (the task stops by itself when training stops)."""
        if isinstance(self._loop, pn.io.callbacks.PeriodicCallback):
            self._loop.stop()
            self._loop = None
