"""When to redraw the expensive pictures (node maps, edges, the decision map) while training runs.

The numbers, status and loss curve are redrawn every tick. The pictures are redrawn at most every
`cost / share` seconds, `cost` being their measured redraw time (smoothed), so they take no more than `share`
of the time however large the network: a small network's pictures follow every tick, a large one's a few
times a second. No Panel here: the app asks `due()` and reports each redraw through `measure`.
"""

import time
from collections.abc import Callable

SMOOTHING = 0.3  # weight of the newest measurement in the running cost


class RedrawBudget:
    """Tracks the pictures' redraw cost and says when the next redraw is due."""

    def __init__(self, share: float = 0.4, clock: Callable[[], float] = time.perf_counter) -> None:
        self.share, self.clock = share, clock
        self.cost = 0.0  # seconds per redraw of the pictures, smoothed
        self.last = None  # when the last redraw started

    @property
    def interval(self) -> float:
        """Seconds from the start of one redraw of the pictures to the next."""
        return self.cost / self.share

    def due(self) -> bool:
        """Whether the pictures should be redrawn now."""
        return self.last is None or self.clock() - self.last >= self.interval

    def measure(self, redraw: Callable[[], object]) -> None:
        """Runs redraw() and folds its duration into the cost."""
        self.last = self.clock()
        redraw()
        seconds = self.clock() - self.last
        self.cost = seconds if self.cost == 0 else (1 - SMOOTHING) * self.cost + SMOOTHING * seconds
