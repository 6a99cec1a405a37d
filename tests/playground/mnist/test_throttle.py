"""Heavy views are drawn only while drawing stays within its share of the time."""

from playground.mnist.throttle import Throttle


def test_drawing_waits_until_training_has_earned_it():
    throttle = Throttle(share=0.25)
    assert throttle.due()  # nothing spent yet
    throttle.record(0.1, 0.1)  # an expensive redraw: 50% of the time
    assert not throttle.due()
    ticks = 0
    while not throttle.due():
        throttle.record(0.1, 0.0)
        ticks += 1
    assert 1 <= ticks <= 5


def test_over_many_ticks_drawing_takes_about_its_share():
    throttle, drawn, trained = Throttle(share=0.25), 0.0, 0.0
    for _ in range(1000):
        draw = 0.05 if throttle.due() else 0.0
        throttle.record(0.03, draw)
        drawn, trained = drawn + draw, trained + 0.03
    assert 0.2 <= drawn / (drawn + trained) <= 0.3
