"""The sandbox's stall check runs at the end of every epoch, however training is cut into refreshes: on the site a
tick trains on while the page paints, often many epochs between two refreshes, and the failure doctor's stall (a
plateau over PLATEAU_CHECKS checks) must come after the epochs `lesson check --verify` sees it after, epoch by epoch.
Before, it came only after PLATEAU_CHECKS refreshes: lesson 15's stall did not tick on its page within the 20 epochs
of its solution (tests/browser/every_lesson_ticks.py)."""

from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

STALLING = {"hidden_layers": [8, 8], "activation": "tanh", "learning_rate": 10.0}  # lesson 15's third failure
EPOCHS = 20


def test_a_stall_shows_after_as_many_epochs_trained_in_one_tick_as_epoch_by_epoch():
    by_epoch, in_one_tick = Session(PlaygroundState(**STALLING)), Session(PlaygroundState(**STALLING))
    for _ in range(EPOCHS):
        by_epoch.step_epoch()
    in_one_tick.play()
    in_one_tick.tick(EPOCHS * in_one_tick.steps_per_epoch(), refresh=False)  # as the site's ticks train while it paints
    in_one_tick.refresh()
    assert in_one_tick.view.epoch == by_epoch.view.epoch == EPOCHS
    finding, _ = by_epoch.trouble()
    assert finding.stalled
    assert in_one_tick.trouble()[0] == finding
