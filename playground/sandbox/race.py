"""The race: a second network beside the sandbox's, on the same data from the same seed, changing only what
`state.race` says (RACE_SETTINGS: how it learns), trained in lockstep with the first.

No Panel here. The page's Ticker trains the Race instead of the first session while the Race view shows: each tick
trains the first, then the second up to the same place in its epochs (`keep_up`). While the view is hidden nothing
of the race runs; when it shows again the second catches up, CATCH_UP_STEPS updates at a time.

Whenever the first network's run starts again (Reset, Rewind, a new network or seed, a network edit, an imported
model: the last two also take the first back to step 0) the second starts again too, from the same weights when its
network has the same shapes (else from its own, drawn from the same seed); a change of the race's settings starts
both again. The first's settings reach the second (but those the race changes) when the race is next looked at.
"""

import time

from playground.core.status import Status
from playground.sandbox.session import Session
from playground.sandbox.state import RACE_SETTINGS, SETTINGS, PlaygroundState

CATCH_UP_STEPS = 2000  # the most updates the second network makes at once to catch up (a click waits for them)
TIE = 0.0005  # test losses closer than this are a tie (the verdict shows three decimals)


def race_label(state: PlaygroundState, names: list[str]) -> str:
    """The settings `names` of `state` in words, e.g. "learning rate 0.3, activation relu"."""
    values = {name: getattr(state, name) for name in names}
    return ", ".join(
        f"{name.replace('_', ' ')} {','.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in values.items()
    )


def verdict(first: float, second: float, labels: tuple[str, str], epoch: int) -> str:
    """Who has the lower test loss after `epoch` epochs, by how much, in words."""
    if abs(first - second) < TIE:
        return f"After {epoch:,} epochs: a tie, test loss {first:.3f} both."
    ahead, behind = (0, 1) if first < second else (1, 0)
    losses = (first, second)
    return (
        f"After {epoch:,} epochs the {('first', 'second')[ahead]} network ({labels[ahead]}) wins by "
        f"{losses[behind] - losses[ahead]:.3f}: test loss {losses[ahead]:.3f} against {losses[behind]:.3f}."
    )


class Race:
    """The sandbox's Session (`first`) and a second Session on the same data and seed with `first.state.race`
    applied; `tick(n)`, `refresh()` and `toggle()` as a session's, for the Ticker."""

    def __init__(self, first: Session) -> None:
        self.first = first
        self.second = Session(PlaygroundState(**self._second_settings()))
        self._first_start = first.start_weights  # the first's start weights the second last started from
        self._first_step = 0  # the first's step at the last look (Restore takes it back)
        self._stale = self._new_race = False  # the first's settings, the race's changes changed since the last look
        first.state.param.watch(self._follow, [*SETTINGS, "race"])
        if self._both_train():
            self._start_second()  # it catches up when it is first looked at (`keep_up`)

    # -- as a session, for the Ticker -------------------------------------------------------------------------

    @property
    def view(self):
        """The first network's record: its status is the race's, `seconds_per_step` what a step of both costs."""
        return self.first.view

    def toggle(self) -> None:
        self.first.toggle()

    def tick(self, n_steps: int, refresh: bool = True) -> None:
        """The first network's tick, then the second's updates up to the same place; a step's time is both's."""
        trainer = self.first.trainer
        started, before = time.perf_counter(), trainer.step if trainer is not None else 0
        self.first.tick(n_steps, refresh=refresh)
        self.keep_up(refresh)
        steps = self.first.trainer.step - before if trainer is not None else 0
        if steps > 0:
            self.first.view.seconds_per_step = (time.perf_counter() - started) / steps

    def refresh(self) -> None:
        self.first.refresh()
        self.keep_up()

    # -- the race ----------------------------------------------------------------------------------------------

    @property
    def changes(self) -> list[str]:
        """The settings the second network changes (RACE_SETTINGS order)."""
        return [name for name in RACE_SETTINGS if name in self.first.state.race]

    @property
    def labels(self) -> tuple[str, str]:
        """Each network's values of the changed settings in words ("learning rate 0.03", "learning rate 0.3")."""
        names = self.changes
        return race_label(self.first.state, names) or "the same", race_label(self.second.state, names) or "the same"

    def change(self, name: str, value) -> None:
        """The second network uses `value` for setting `name` (its own when it differs from the first's); the race
        starts again (the watcher on `race`)."""
        race = dict(self.first.state.race)
        race.pop(name, None)
        if value != getattr(self.first.state, name):
            race[name] = value
        self.first.state.race = {key: race[key] for key in RACE_SETTINGS if key in race}
        self.keep_up()

    def restart(self) -> None:
        """Both networks back to their start weights (the second to the first's when the shapes match); training goes
        on if it was running."""
        self._rewind_first()
        self.keep_up()

    def _rewind_first(self) -> None:
        running = self.first.view.status == Status.RUNNING
        self.first.rewind()
        if running:
            self.first.play()

    def behind(self) -> float:
        """Epochs the second network is behind the first (0 when level, or when either cannot train)."""
        if not self._both_train():
            return 0.0
        return max(0.0, self.first.trainer.epochs_done - self.second.trainer.epochs_done)

    def keep_up(self, refresh: bool = True) -> None:
        """The second network starts again when the first's run did, then trains up to the first's place in its
        epochs (CATCH_UP_STEPS updates at most)."""
        first, second = self.first, self.second
        self._catch_up_settings()
        if not self._both_train():
            return
        if first.start_weights is not self._first_start:
            if first.trainer.step:  # a network edit or an imported model mid-run: the race starts again from them
                return self.restart()
            self._first_start = first.start_weights
            self._start_second()
        if first.trainer.step < self._first_step:  # Restore took the first back
            self._start_second()
        self._first_step = first.trainer.step
        steps = 0
        while steps < CATCH_UP_STEPS and second.view.status != Status.DIVERGED and self.behind() > 1e-9:
            # round, not ceil: with the first's batch size the product is the whole number of steps, give or take
            # a rounding error (another batch size may end a fraction of a step ahead, which is level enough)
            wanted = min(CATCH_UP_STEPS - steps, round(self.behind() * second.steps_per_epoch()))
            before = second.trainer.step
            second.play()
            second.tick(max(1, wanted), refresh=False)
            second.pause()
            steps += max(1, second.trainer.step - before)
        if refresh and (steps or second.view.step != second.trainer.step):
            second.refresh()

    def _start_second(self) -> None:
        """The second network back to the start: from the first's start weights when they fit it."""
        second, weights = self.second, self.first.start_weights
        own = second.start_weights
        if own.keys() == weights.keys() and all(own[name].shape == weights[name].shape for name in own):
            second.start_weights = {name: array.copy() for name, array in weights.items()}
        second.rewind()

    def _both_train(self) -> bool:
        return all(
            session.trainer is not None and session.view.status not in (Status.ERROR, Status.LOADING)
            for session in (self.first, self.second)
        )

    def _second_settings(self) -> dict:
        """The first network's settings with the race's changes."""
        state = self.first.state
        return {name: getattr(state, name) for name in SETTINGS if name != "race"} | dict(state.race)

    def _follow(self, *events) -> None:
        """The first's settings changed: noted only, for the next look (nothing of the race runs while hidden)."""
        self._stale = True
        self._new_race |= any(event.name == "race" for event in events)

    def _catch_up_settings(self) -> None:
        """The second network takes the first's settings but those the race changes; a new race starts both again."""
        if self._stale:
            second, settings = self.second.state, self._second_settings()
            second.param.update({name: value for name, value in settings.items() if getattr(second, name) != value})
            self._stale = False
        if self._new_race:
            self._new_race = False
            self._rewind_first()
