"""Heavy views are drawn only while drawing stays within its share of the time, and not more often than asked."""

from playground.mnist.throttle import Throttle


def test_drawing_waits_until_training_has_earned_it():
    throttle = Throttle(share=0.25)
    assert throttle.due(0.0)  # nothing spent yet
    throttle.record(0.1, 0.1, drawn_at=0.0)  # an expensive redraw: 50% of the time
    assert not throttle.due(1.0)
    ticks = 0
    while not throttle.due(1.0):
        throttle.record(0.1, 0.0)
        ticks += 1
    assert 1 <= ticks <= 5


def test_over_many_ticks_drawing_takes_about_its_share():
    throttle, drawn, trained = Throttle(share=0.25), 0.0, 0.0
    for tick in range(1000):
        draw = 0.05 if throttle.due(tick) else 0.0
        throttle.record(0.03, draw)
        drawn, trained = drawn + draw, trained + 0.03
    assert 0.2 <= drawn / (drawn + trained) <= 0.3


def test_cheap_drawing_still_waits_for_the_interval():
    throttle = Throttle(share=0.25, interval=0.5)
    throttle.record(0.1, 0.0, drawn_at=10.0)
    assert not throttle.due(10.4) and throttle.due(10.5)
