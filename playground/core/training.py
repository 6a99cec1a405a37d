"""The controls every training page shares, Panel-free: play, pause, step a batch or an epoch, restore after a
divergence, and `tick(n)` for the periodic callback. A page's session subclasses TrainingSession and supplies
`trainer`, `view` (a TrainingRecord) and the hooks `_refresh()` and `_divergence_advice(event)`; `_on_step(event)`
sees each applied update.
"""

import time

from nn_core.events import DivergedEvent, StoppedEvent


class TrainingSession:
    """Play/pause/step over `self.trainer`, keeping `self.view.status` and `seconds_per_step` up to date."""

    trainer = None
    view = None

    def play(self):
        if self.view.status in ("ready", "paused"):
            self.view.status = "running"

    def pause(self):
        if self.view.status == "running":
            self.view.status = "paused"

    def toggle(self):
        """Play when stopped, pause when running (the play button)."""
        self.pause() if self.view.status == "running" else self.play()

    def steps_per_epoch(self):
        """Updates in one pass over the training points (the last batch may be smaller); 1 with no trainer."""
        if self.trainer is None:
            return 1
        return -(-len(self.trainer.x_train) // self.trainer.batch_size)

    def tick(self, n_steps):
        """While running, apply up to n_steps updates and refresh the view; otherwise do nothing."""
        if self.view.status == "running":
            self._train(n_steps)

    def step_batch(self):
        """One update, then paused."""
        self._step_while(lambda event: False, 1)

    def step_epoch(self):
        """Updates up to the end of the current epoch, then paused."""
        self._step_while(lambda event: not event.epoch_end, len(self.trainer.x_train))

    def restore_last_good(self):
        """After a divergence: the weights from before the failing update, paused."""
        if self.view.status == "diverged":
            self.trainer.restore_last_good()
            self.view.status, self.view.message = "paused", ""
            self._refresh()

    def _step_while(self, keep_going, limit):
        if self.view.status in ("error", "diverged", "loading"):
            return
        self.view.status = "paused"
        self._train(limit, keep_going)

    def _train(self, n_steps, keep_going=lambda event: True):
        started, steps = time.perf_counter(), 0
        for event in self.trainer.steps(n_steps):
            if isinstance(event, DivergedEvent):
                self.view.status, self.view.message = "diverged", self._divergence_advice(event)
                break
            if isinstance(event, StoppedEvent):
                self.view.status = "paused"
                break
            steps += 1
            self._on_step(event)
            if not keep_going(event):
                break
        if steps:
            self.view.seconds_per_step = (time.perf_counter() - started) / steps
        self._refresh()

    def _on_step(self, event):
        """Called with each StepEvent; nothing by default."""

    def _refresh(self):
        raise NotImplementedError

    def _divergence_advice(self, event):
        raise NotImplementedError
