"""Vanishing and exploding gradients: the per-layer record, the finding, and the sandbox's view with its remedies."""

import pytest

from nn_core.datasets.toy2d import DATASETS
from playground.core import gradient_health
from playground.core.gradient_health import GradientHistory, gradient_finding
from playground.sandbox.app import SandboxApp
from playground.sandbox.session import Session
from playground.sandbox.state import REGRESSION, PlaygroundState


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


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_no_false_alarm_on_any_data_set_with_the_default_settings(dataset):
    problem = REGRESSION if DATASETS[dataset].n_classes == 0 else "classification"
    session = trained(1, dataset=dataset, problem=problem)
    for _ in range(40):
        session.tick(session.steps_per_epoch())
        assert gradient_finding(session.gradients) is None, (dataset, session.trainer.epoch)


def test_the_record_is_one_entry_an_epoch_and_forgets_what_a_restore_undid():
    session = trained(5)
    history = session.gradients
    assert history.epochs == [1, 2, 3, 4, 5] and all(len(norms) == 5 for norms in history.norms.values())
    history.forget_after(3)
    assert history.epochs == [1, 2, 3] and all(len(norms) == 3 for norms in history.norms.values())
    assert gradient_finding(GradientHistory()) is None


def test_the_view_names_the_layers_says_what_is_wrong_and_its_remedy_fixes_it():
    app = SandboxApp(PlaygroundState(hidden_layers=[8] * 6, activation="sigmoid"))
    view = app.more.show("Gradients per layer")
    app.session.play()
    for _ in range(gradient_health.PERSIST):
        app.session.tick(app.session.steps_per_epoch())
    app.redraw(pictures=True)
    labels = [item.label["value"] for item in view.figure.legend[0].items if item.visible]
    assert labels == [f"Layer {k} weights" for k in range(1, 7)] + ["Output weights"]
    assert "Vanishing gradients" in view.told.object and "sigmoid" in view.told.object and view.to_relu.visible
    view.to_relu.clicks += 1
    assert app.state.activation == "relu" and app.session.gradients.epochs == []  # a new network, a new record
    app.session.play()
    for _ in range(5):
        app.session.tick(app.session.steps_per_epoch())
    app.redraw(pictures=True)
    assert "Vanishing" not in view.told.object and not view.to_relu.visible
