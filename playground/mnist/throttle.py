"""When to redraw while training: only while drawing has cost at most `share` of the time spent training and
drawing together (recent ticks weigh most), so training keeps 1 - share of its throughput, and at most once every
`interval` seconds, so a fast network is not slowed by pictures nobody can follow anyway."""

DECAY = 0.8  # weight of the past in the running sums, per recorded tick


class Throttle:
    def __init__(self, share: float = 0.25, interval: float = 0.0) -> None:
        self.share, self.interval = share, interval
        self.training = 0.0  # decayed seconds of training
        self.drawing = 0.0  # decayed seconds of drawing
        self.last_drawn = float("-inf")  # time.perf_counter() of the last heavy redraw

    def due(self, now: float) -> bool:
        """Whether the heavy views may be drawn at time `now` (seconds, time.perf_counter())."""
        earned = self.drawing <= self.share / (1 - self.share) * self.training
        return earned and now - self.last_drawn >= self.interval

    def record(self, training_seconds: float, drawing_seconds: float, drawn_at: float | None = None) -> None:
        """Adds a tick's training and (whole) redraw time; drawn_at is when heavy views were drawn, if they were."""
        self.training = DECAY * self.training + training_seconds
        self.drawing = DECAY * self.drawing + drawing_seconds
        if drawn_at is not None:
            self.last_drawn = drawn_at
