"""The pictures are redrawn at most every cost / share seconds; the numbers every tick."""

import asyncio

from playground.sandbox.app import SandboxApp
from playground.sandbox.redraw_budget import RedrawBudget
from playground.sandbox.state import PlaygroundState


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_redraw_is_due_once_its_cost_divided_by_the_share_has_passed():
    clock = Clock()
    budget = RedrawBudget(share=0.25, clock=clock)
    assert budget.due()

    def redraw():
        clock.now += 0.05  # 50 ms of drawing

    budget.measure(redraw)
    assert budget.interval == 0.2
    clock.now = 0.19
    assert not budget.due()
    clock.now = 0.2
    assert budget.due()


def test_the_cost_follows_measurements_smoothly():
    clock = Clock()
    budget = RedrawBudget(share=0.5, clock=clock)
    for seconds in (0.01, 0.1):
        budget.measure(lambda seconds=seconds: setattr(clock, "now", clock.now + seconds))
    assert 0.01 < budget.cost < 0.1


def test_ticks_between_due_redraws_update_the_numbers_but_not_the_pictures():
    app = SandboxApp(PlaygroundState(learning_rate=0.1))
    app.session.play()
    app.budget.cost, app.budget.last = 1.0, app.budget.clock()  # the next redraw of the pictures is far off
    image = app.output.image.data["image"][0]
    asyncio.run(app.ticker.tick())
    assert app.output.image.data["image"][0] is image
    assert app.output.curves.data["step"][-1] == app.session.view.step > 0
    app.budget.last = -1e9
    asyncio.run(app.ticker.tick())
    assert app.output.image.data["image"][0] is not image
