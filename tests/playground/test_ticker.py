"""The Ticker trains and redraws while the session runs, gives the event loop a turn after every tick, stops
by itself on pause (no task cancelled), and on the site trains on until the page has taken the last redraw."""

import asyncio
import time
from types import SimpleNamespace

import pytest

from playground.widgets import ticker
from playground.widgets.ticker import Ticker


class FakeSession:
    """What the Ticker uses of a Session: a status, toggle(), tick(n) and the measured seconds per step."""

    def __init__(self):
        self.view = SimpleNamespace(status="ready", seconds_per_step=0.001)
        self.steps = self.refreshes = 0

    def toggle(self):
        self.view.status = "paused" if self.view.status == "running" else "running"

    def tick(self, n, refresh=True):
        self.steps += n
        self.refreshes += refresh

    def refresh(self):
        self.refreshes += 1


class TimedSession(FakeSession):
    """A FakeSession whose steps take time (0.2 ms each), as training does."""

    def __init__(self):
        super().__init__()
        self.view.seconds_per_step = 0.0002

    def tick(self, n, refresh=True):
        time.sleep(n * self.view.seconds_per_step)
        super().tick(n, refresh)


def play_for(ticking, seconds, settle=0.02):
    """Play for `seconds`, then Pause and let the loop end (`settle` seconds)."""

    async def play():
        ticking.toggle()
        await asyncio.sleep(seconds)
        ticking.toggle()
        await asyncio.sleep(settle)

    asyncio.run(play())


@pytest.fixture
def unpaced():
    yield
    ticker.pace_with(None)


def test_a_tick_trains_as_many_steps_as_fit_the_budget_then_redraws():
    session, redraws = FakeSession(), []
    ticking = Ticker(session, lambda: redraws.append(session.steps), budget=0.01, max_steps=50)
    session.view.status = "running"
    asyncio.run(ticking.tick())
    asyncio.run(ticking.tick())
    assert redraws == [1, 11]  # the first tick measures a step, the second fits 0.01 s / 0.001 s of them


def test_the_loop_runs_until_pause_and_then_ends_by_itself(unpaced):
    session, redraws = FakeSession(), []
    ticking = Ticker(session, lambda: redraws.append(session.steps), period_ms=5)

    async def play_then_pause():
        ticking.toggle()
        task = ticking._loop
        await asyncio.sleep(0.1)
        ticks = len(redraws)
        ticking.toggle()
        await asyncio.sleep(0.05)
        return task, ticks

    task, ticks = asyncio.run(play_then_pause())
    assert ticks > 3 and session.steps > 3
    assert task.done() and not task.cancelled() and ticking._loop is None
    assert len(redraws) == ticks + 1  # the pause's own redraw, no tick after it


def test_training_that_stops_by_itself_is_redrawn_once_more_and_the_loop_ends(unpaced):
    session, shown = FakeSession(), []

    def diverge(n):
        session.steps += n
        session.view.status = "diverged"

    session.tick = diverge
    ticking = Ticker(session, lambda: shown.append(session.view.status), period_ms=1)

    async def play():
        ticking.toggle()
        await asyncio.sleep(0.05)

    asyncio.run(play())
    assert shown == ["running", "diverged"] and ticking._loop is None


def test_between_ticks_the_event_loop_gets_a_turn_even_when_ticks_are_slow(unpaced):
    session, turns = FakeSession(), []
    ticking = Ticker(session, lambda: None, period_ms=0)

    async def count_turns():
        ticking.toggle()
        for _ in range(5):
            await asyncio.sleep(0)
            turns.append(session.steps)
        ticking.toggle()
        await asyncio.sleep(0.01)

    asyncio.run(count_turns())
    assert len(set(turns)) == len(turns)  # a tick between every two turns of another task, none skipped


def test_on_the_site_training_goes_on_without_redraws_while_the_last_redraw_waits_for_the_page(unpaced):
    session, page, redraws = FakeSession(), SimpleNamespace(busy=True), []
    ticking = Ticker(session, lambda: redraws.append(session.steps), period_ms=1)
    ticker.pace_with(lambda: page.busy)

    async def hold_then_release():
        ticking.toggle()  # redraws once, as a click does
        await asyncio.sleep(0.1)
        held = len(redraws), session.steps
        page.busy = False
        await asyncio.sleep(0.1)
        ticking.toggle()
        await asyncio.sleep(0.02)
        return held

    (redraws_held, steps_held) = asyncio.run(hold_then_release())
    assert redraws_held == 1 and steps_held > 5  # training, but no frame the page would skip
    assert len(redraws) > 5  # a redraw per tick once the page takes them


def test_once_the_page_takes_the_last_redraw_the_next_follows_without_another_ticks_training(unpaced):
    session, page, redraws = FakeSession(), SimpleNamespace(busy=True), []
    ticking = Ticker(session, lambda: redraws.append(session.steps), period_ms=1, min_steps=lambda: 25)
    ticker.pace_with(lambda: page.busy)

    async def release():
        ticking.toggle()
        await asyncio.sleep(0.02)
        page.busy = False
        ready = session.steps
        await asyncio.sleep(0.01)
        ticking.toggle()
        return ready

    ready = asyncio.run(release())
    first_after = next(steps for steps in redraws if steps >= ready)
    assert first_after - ready <= int(ticker.WAIT_SLICE / session.view.seconds_per_step), (ready, redraws[:4])


def test_a_page_that_takes_no_redraw_still_gets_one_now_and_then(unpaced, monkeypatch):
    monkeypatch.setattr(ticker, "PAGE_WAIT_LIMIT", 0.02)
    session, redraws = FakeSession(), []
    ticking = Ticker(session, lambda: redraws.append(session.steps), period_ms=1)
    ticker.pace_with(lambda: True)
    play_for(ticking, 0.2, settle=0.05)
    assert len(redraws) > 3


def test_a_tick_trains_at_least_min_steps_and_never_more_than_max_steps():
    session = FakeSession()
    floor = Ticker(session, lambda: None, budget=0.001, max_steps=50, min_steps=lambda: 25)
    cap = Ticker(session, lambda: None, budget=0.001, max_steps=20, min_steps=lambda: 25)
    session.view.status = "running"
    for ticking in (floor, cap):
        asyncio.run(ticking.tick())
    assert (floor.steps_per_tick, cap.steps_per_tick) == (25, 20)  # the budget alone fits one 0.001 s step


def test_on_the_site_a_tick_trains_its_paced_budget(unpaced):
    """The sandbox's ticks train 8 ms, but on the site only their epoch (min_steps): the rest of the wait for the
    page is trained in slices, which a page ready for the next redraw interrupts."""
    session = FakeSession()
    ticking = Ticker(session, lambda: None, budget=0.008, min_steps=lambda: 3, paced_budget=0.0)
    session.view.status = "running"
    asyncio.run(ticking.tick())
    assert ticking.steps_per_tick == 8  # served or in Jupyter: the budget, 8 of FakeSession's 1 ms steps
    ticker.pace_with(lambda: False)
    asyncio.run(ticking.tick())
    assert ticking.steps_per_tick == 3


@pytest.mark.parametrize(
    ("frame_ms", "rests_ms"),  # the rest lasts longer than the first figure and less long than the second
    [(10, (0, 0)), (16.6, (0, 0)), (20, (0.15, 0.2)), (50, (18, 19)), (120, (175, 180)), (500, (999, 1000))],
)
def test_a_frame_within_a_screens_frame_rests_nothing_and_a_dearer_one_the_longer_the_dearer(frame_ms, rests_ms):
    """(cost - FRAME)² / FRAME_BUDGET, PAGE_WAIT_LIMIT (1 s) at most."""
    now = [100.0]
    pace = ticker.PagePace(clock=lambda: now[0])
    assert not pace.resting()
    pace.painted(frame_ms / 1000)
    shortest, longest = rests_ms
    now[0] += shortest / 1000
    assert pace.resting() == (shortest > 0)
    now[0] += (longest - shortest) / 1000 + 1e-6
    assert not pace.resting()
    pace.painted(0.0)  # not measured (the first patch): no rest
    assert not pace.resting()


def test_a_page_whose_frames_are_dear_gets_fewer_redraws_and_the_time_goes_to_training(unpaced):
    """The page's share of the time: with 50 ms frames ((cost - FRAME)² / FRAME_BUDGET = 18 ms of rest) fewer redraws
    than a page that paints for free gets, and the training the rest bought."""

    def run(frame_cost):
        session, redraws = TimedSession(), []
        pace = ticker.PagePace()
        ticking = Ticker(session, lambda: (redraws.append(session.steps), pace.painted(frame_cost)), period_ms=1)
        ticker.pace_with(pace.resting)
        play_for(ticking, 0.3)
        return len(redraws), session.steps

    (cheap_redraws, cheap_steps), (dear_redraws, dear_steps) = run(0.0), run(0.05)
    assert dear_redraws < 0.6 * cheap_redraws
    assert dear_steps > 0.8 * cheap_steps  # the redraws' time trains instead


def test_the_slices_trained_while_the_page_paints_refresh_the_view_once_before_the_next_redraw(unpaced):
    """Refreshing the view (losses over every point, the curves' next point) after each 2 ms slice took most of the
    slices' time: a tick refreshes after its own training, the slices once, after the last of them."""
    session, page, seen = FakeSession(), SimpleNamespace(busy=True), []
    ticking = Ticker(session, lambda: seen.append((session.steps, session.refreshes)), period_ms=1)
    ticker.pace_with(lambda: page.busy)

    async def wait_then_release():
        ticking.toggle()
        await asyncio.sleep(0.05)
        page.busy = False
        await asyncio.sleep(0.005)
        ticking.toggle()
        await asyncio.sleep(0.02)

    asyncio.run(wait_then_release())
    steps, refreshes = seen[1]  # the first redraw after the wait (seen[0]: the Play click's)
    assert steps > 20 and refreshes == 2  # the tick's own refresh and the slices' one


@pytest.mark.parametrize(("rest", "slice_steps"), [(0.0, 2), (0.006, 6), (0.5, 10)])
def test_while_the_page_paints_slices_are_short_and_while_it_rests_as_long_as_the_rest(unpaced, rest, slice_steps):
    """WAIT_SLICE (2 ms: 2 of FakeSession's 1 ms steps) while the page has not taken the last redraw; once it has,
    the rest PagePace gives it, QUIET_SLICE (10 ms) at most: a turn of the event loop can be dear (WebKit's worker)."""
    session, slices = FakeSession(), []
    session.tick = lambda n, refresh=True: refresh or slices.append(n)
    ticking = Ticker(session, lambda: None, period_ms=1)
    ticker.pace_with(lambda: True, lambda: rest)
    play_for(ticking, 0.05)
    assert slices and set(slices) == {slice_steps}


def test_on_the_site_a_tick_does_not_wait_out_its_period(unpaced):
    """Paced by the page, the worker has nothing else to do: the next tick follows the redraw at once (the MNIST
    lab's 100 ms period had left it idle for most of each tick's 20 ms after training). Without a page, the period
    still spaces the ticks (a Jupyter kernel or `panel serve` does other work in between)."""

    def ticks(page_busy):
        session, redraws = FakeSession(), []
        ticking = Ticker(session, lambda: redraws.append(session.steps), period_ms=50)
        ticker.pace_with(page_busy)
        play_for(ticking, 0.2)
        return len(redraws)

    assert ticks(None) <= 6  # the Play click's redraw, then one tick per 50 ms
    assert ticks(lambda: False) > 20
