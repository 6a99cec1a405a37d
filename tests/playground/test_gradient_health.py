"""Vanishing and exploding gradients: the per-layer record and the finding (the doctor words it: test_doctor.py)."""

from playground.core import gradient_health
from playground.core.gradient_health import GradientHistory, gradient_finding
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def trained(epochs, **settings):
    session = Session(PlaygroundState(**settings))
    session.play()
    for _ in range(epochs):
        session.tick(session.steps_per_epoch())
    return session


def test_a_deep_sigmoid_network_has_vanishing_gradients_within_a_few_epochs():
    session = trained(gradient_health.PERSIST, hidden_layers=[8] * 6, activation="sigmoid")
    finding = gradient_finding(session.gradients)
    assert finding.kind == "vanishing" and finding.ratio < 1 / gradient_health.RATIO
    assert list(session.gradients.norms) == [f"{2 * k}.W" for k in range(7)]


def test_the_record_is_one_entry_an_epoch_and_forgets_what_a_restore_undid():
    session = trained(5)
    history = session.gradients
    assert history.epochs == [1, 2, 3, 4, 5] and all(len(norms) == 5 for norms in history.norms.values())
    history.forget_after(3)
    assert history.epochs == [1, 2, 3] and all(len(norms) == 3 for norms in history.norms.values())
    assert gradient_finding(GradientHistory()) is None


def test_a_gradient_of_exactly_zero_is_no_finding_neither_vanishing_nor_exploding():
    persist, ratio = gradient_health.PERSIST, gradient_health.RATIO
    for first, last in [(0.0, 1.0), (1.0, 0.0), (0.0, 0.0)]:  # a dead first layer, dead neurons before the output
        history = GradientHistory(epochs=list(range(1, persist + 1)))
        history.norms = {"0.W": [first] * persist, "2.W": [last] * persist}
        assert gradient_finding(history) is None
    history.norms = {"0.W": [1.0] * persist, "2.W": [ratio * 10] * persist}  # the same layers, small and nonzero
    assert gradient_finding(history).kind == "vanishing"
