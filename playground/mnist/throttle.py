"""When to redraw the heavy views while training: only while drawing has cost at most `share` of the time spent
training and drawing together (recent ticks weigh most), so training keeps 1 - share of its throughput."""

DECAY = 0.8  # weight of the past in the running sums, per recorded tick


class Throttle:
    def __init__(self, share=0.25):
        self.share = share
        self.training = 0.0  # decayed seconds of training
        self.drawing = 0.0  # decayed seconds of drawing

    def due(self):
        """Whether the heavy views may be drawn now."""
        return self.drawing <= self.share / (1 - self.share) * self.training

    def record(self, training_seconds, drawing_seconds):
        self.training = DECAY * self.training + training_seconds
        self.drawing = DECAY * self.drawing + drawing_seconds
