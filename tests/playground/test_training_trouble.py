"""When training goes wrong: Restore after a blow-up goes back to sane weights, a stuck or stalled network says so in
a student's words (and stops saying so when it is over), and a setting that rebuilds the network keeps it running."""

import numpy as np
import pytest

from nn_core import build_model
from playground.core.detectors import (
    PERSIST,
    PLATEAU_CHECKS,
    SATURATED_SHARE,
    SATURATION,
    STUCK_LEVEL,
    STUCK_SHARE,
    LayerHealth,
    StallDetector,
    describe,
    layer_health,
)
from playground.mnist.session import EVALUATE_EVERY, MnistSession
from playground.mnist.state import MnistState
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState

STOPPED = "The network has stopped learning. "


def running(**settings):
    session = Session(PlaygroundState(**settings))
    session.play()
    return session


def largest_weight(session):
    return max(float(np.abs(param).max()) for param in session.view.params.values())


# -- Restore after a divergence ------------------------------------------------------------------------------------


def test_restore_after_a_blow_up_goes_back_to_the_weights_from_before_the_loss_grew():
    # The student's report: regression, a few seconds at 0.03, then 10 until it diverges, then 1 and Restore.
    session = running(dataset="reg-plane", problem="regression", learning_rate=0.03)
    untrained_loss = session.view.train_loss
    for _ in range(40):
        session.tick(50)
    trained_loss, trained_weight, trained_step = session.view.train_loss, largest_weight(session), session.view.step
    session.state.learning_rate = 10.0
    for _ in range(20):
        session.tick(50)
    view = session.view
    assert view.status == "diverged"
    # the banner counts steps as the status line does, and names the step Restore goes back to
    assert view.message.startswith(f"Training diverged after step {view.step}: ")
    good = session.trainer.last_good_step
    assert trained_step <= good < view.step and f"(those of step {good})" in view.message
    assert "try a learning rate of 1," in view.message

    session.state.learning_rate = 1.0
    session.restore_last_good()
    assert (view.status, view.step) == ("paused", good)
    assert (
        view.message
        == f"Back to the weights of step {good}, from before the loss started to grow. Press Play to train on."
    )
    assert view.train_loss < 3 * trained_loss and largest_weight(session) < 2 * trained_weight
    assert view.history["step"][-1] == good and view.history["step"] == sorted(view.history["step"])
    assert session.path.epochs[-1] <= session.trainer.epoch  # the landscape's path forgets the blow-up too
    assert all(np.all(np.isfinite(vector)) for vector in session.path.vectors)

    session.play()
    for _ in range(20):
        session.tick(50)
    assert (view.status, view.step) == ("running", good + 1000) and view.message == ""
    assert view.train_loss < untrained_loss / 10  # a rate of 1 is bumpy here, but it learns


def test_restore_without_a_smaller_rate_says_to_lower_it():
    session = running(dataset="reg-plane", activation="linear", learning_rate=10.0)
    session.tick(50)
    assert session.view.status == "diverged"
    session.restore_last_good()
    assert "The learning rate is still 10: lower it before you press Play." in session.view.message
    assert all(np.all(np.isfinite(param)) for param in session.view.params.values())


# -- stuck and stalled networks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, activation, seed, words",
    [
        ("circle", "tanh", 0, STOPPED + "The output neuron is stuck near +1 for every training point: its tanh is"),
        ("circle", "relu", 1, STOPPED + "In hidden layer 2, both neurons are dead: their ReLU gives 0 for every"),
        ("xor", "relu", 0, STOPPED + "The output neuron is stuck near -1 for every training point"),
        ("xor", "tanh", 1, "Training has stalled: for 10 epochs the loss has hardly changed, and only 55% of the"),
    ],
)
def test_a_learning_rate_of_10_on_classification_warns_within_a_few_epochs_what_is_stuck(
    dataset, activation, seed, words
):
    session = running(dataset=dataset, activation=activation, learning_rate=10.0, seed=seed)
    for _ in range(PLATEAU_CHECKS + PERSIST):
        session.tick(25)  # an epoch
        if session.view.message:
            break
    view = session.view
    assert view.status == "running" and view.epoch <= PLATEAU_CHECKS + PERSIST and view.train_accuracy < 0.6
    assert view.message.startswith(words), view.message
    assert "a smaller learning rate alone will not bring it back: choose a smaller one (try 1) and press Reset" in (
        view.message
    )
    # the advice is right: a smaller rate alone leaves it stuck (and the warning as it was), Reset at that rate learns
    warning = view.message
    session.state.learning_rate = 1.0
    for _ in range(40):
        session.tick(25)
    assert view.train_accuracy < 0.6 and view.message == warning
    session.reset()
    assert view.message == ""
    session.state.learning_rate = 0.03
    session.play()
    for _ in range(150):
        session.tick(25)
    assert view.train_accuracy > 0.9 and view.message == ""


def test_a_plateau_with_saturated_neurons_is_a_stall_naming_the_layer():
    session = running(dataset="circle", activation="tanh", learning_rate=3.0, seed=1)
    for _ in range(60):
        session.tick(25)
    message = session.view.message
    assert message.startswith(
        f"Training has stalled: for {PLATEAU_CHECKS} epochs the loss has hardly changed, and only"
    )
    assert "In hidden layer 2, both neurons are saturated: their tanh is near ±1 for almost every training" in message
    assert "(try 0.3) and press Reset" in message and session.view.status == "running"


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dataset, activation", [("circle", "tanh"), ("xor", "relu"), ("gauss", "sigmoid")])
def test_healthy_runs_never_warn(dataset, activation, seed):
    session = running(dataset=dataset, activation=activation, seed=seed)  # learning rate 0.03
    for _ in range(100):
        session.tick(25)
        assert session.view.message == "", (session.view.epoch, session.view.message)


def test_the_warning_never_replaces_another_message_and_the_divergence_replaces_it():
    session = running(dataset="circle", activation="relu", learning_rate=10.0, seed=1)
    session.view.message = "Cannot add that point: it is outside the map"
    for _ in range(3 * PERSIST):
        session.tick(25)
    assert session.view.message == "Cannot add that point: it is outside the map"
    session.view.message = ""
    session.tick(25)
    assert session.view.message.startswith(STOPPED)


def test_the_status_line_shows_the_warning_as_a_banner_while_running():
    from playground.sandbox.app import SandboxApp  # Panel only here

    app = SandboxApp(PlaygroundState(dataset="circle", activation="relu", learning_rate=10.0, seed=1))
    app.session.play()
    for _ in range(3 * PERSIST):
        app.session.tick(25)
    app.redraw()
    assert app.status.banner.visible and "both neurons are dead" in app.status.banner.object
    assert app.status.banner.alert_type == "warning" and 'data-state="running"' in app.status.line.object


def test_the_lab_warns_when_a_dense_layer_of_relus_is_dead():
    layers = [{"type": "flatten"}, {"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 10}]
    session = MnistSession(MnistState(layers=layers, input_size=14, batch_size=128, optimizer="sgd"))
    session.model.layers[1].params["b"][:] = -1e3  # every neuron negative for every digit: dead
    session.play()
    for _ in range(PERSIST):
        session.tick(EVALUATE_EVERY)
    message = session.view.message
    assert message.startswith(STOPPED + "In layer 2 (relu), all 16 neurons are dead: their ReLU gives 0 for every")
    assert "Reset" in message and session.view.status == "running"


# -- the detector on its own ---------------------------------------------------------------------------------------


def health(units=4, stuck=0, saturated=0, dead=0, activation="tanh", position=1, end=""):
    return LayerHealth(position, activation, units, False, dead, stuck, saturated, end)


def test_layer_health_counts_dead_relus_stuck_and_saturated_neurons_and_channels():
    model = build_model(
        {
            "input_shape": [1, 4, 4],
            "layers": [
                {"type": "conv2d", "filters": 2, "kernel_size": 3, "activation": "relu"},
                {"type": "flatten"},
                {"type": "dense", "units": 3, "activation": "tanh"},
                {"type": "dense", "units": 2, "activation": "sigmoid"},
            ],
        },
        seed=0,
    )
    model.layers[0].params["b"][:] = [-100.0, 0.0]  # channel 0 dead
    model.layers[3].params["W"][:] = 0.0
    model.layers[3].params["b"][:] = [50.0, 50.0, 0.0]  # two stuck at +1 (saturated too), one at 0
    model.layers[5].params["W"][:] = 0.0
    model.layers[5].params["b"][:] = [-50.0, -50.0]  # both stuck at 0
    x = np.random.default_rng(0).uniform(0.1, 1, (20, 1, 4, 4))
    found = layer_health(model, model.forward_trace(x))
    assert [(h.position, h.activation, h.units, h.image) for h in found] == [
        (1, "relu", 2, True),
        (4, "tanh", 3, False),
        (6, "sigmoid", 2, False),
    ]
    assert (found[0].dead, found[0].blocked) == (1, False)
    assert (found[1].stuck, found[1].saturated, found[1].blocked, found[1].poor) == (2, 2, False, True)
    assert (found[2].stuck, found[2].blocked, found[2].end) == (2, True, "0")


def test_a_blocked_layer_warns_after_persist_checks_and_the_warning_ends_with_the_problem():
    detector = StallDetector()
    blocked = [health(units=1, stuck=1, saturated=1, end="+1", position=5)]
    findings = [detector.judge(blocked, 0.9, 0.5) for _ in range(PERSIST)]
    assert findings[:-1] == [None] * (PERSIST - 1) and findings[-1].layer == blocked[0]
    detector.shown = True
    healthy = [health(units=1, position=5)]
    assert detector.judge(healthy, 0.5, 0.6) is not None  # still low: kept a few checks, so it does not blink
    assert detector.judge(healthy, 0.3, 0.9) is None  # learning again: gone at once
    detector.shown = False
    assert detector.judge(blocked, 0.9, 0.5) is None  # PERSIST checks again before it comes back


def test_a_stall_needs_a_plateau_a_low_accuracy_and_a_poor_layer():
    def stalled(losses, accuracy, layer):
        detector = StallDetector()
        return [detector.judge([layer], loss, accuracy) for loss in losses][-1]

    flat, falling, poor, fine = (
        [0.7] * (PLATEAU_CHECKS + 1),
        list(np.linspace(0.7, 0.5, PLATEAU_CHECKS + 1)),
        None,
        None,
    )
    poor, fine = health(units=4, saturated=3), health(units=4, saturated=1)
    assert stalled(flat, 0.6, poor).stalled
    assert stalled(flat[:-1], 0.6, poor) is None  # not long enough yet
    assert stalled(falling, 0.6, poor) is None
    assert stalled(flat, 0.8, poor) is None
    assert stalled(flat, 0.6, fine) is None
    assert stalled(flat, None, poor) is None  # regression: no accuracy, only blocked layers count


def test_the_warnings_read_as_sentences():
    def name(layer):
        return "the output neuron" if layer.units == 1 else "hidden layer 1"

    fix = "Press Reset."
    output = describe_blocked(health(units=1, stuck=1, saturated=1, end="+1"), name, fix)
    assert output == (
        "The network has stopped learning. The output neuron is stuck near +1 for every training point: its tanh is "
        "saturated there, where its slope is almost 0, so its weights hardly change. It now gives every point the same "
        "answer. Press Reset."
    )
    dead = describe_blocked(health(units=8, stuck=8, saturated=8, dead=8, activation="relu"), name, fix)
    assert dead.startswith(STOPPED + "In hidden layer 1, all 8 neurons are dead: their ReLU gives 0 for every")
    detector = StallDetector()
    for epoch in range(0, 2 * PLATEAU_CHECKS + 1, 2):  # a check every other epoch
        finding = detector.judge([health(units=8, saturated=7)], 0.9, 0.6, when=epoch)
    assert describe(finding, name, "epoch", fix) == (
        "Training has stalled: for 20 epochs the loss has hardly changed, and only 60% of the training points are "
        "right. In hidden layer 1, 7 of 8 neurons are saturated: their tanh is near ±1 for almost every training "
        "point, where its slope is almost 0, so their weights hardly change. Press Reset."
    )


def describe_blocked(layer, name, fix):
    detector = StallDetector()
    for _ in range(PERSIST):
        finding = detector.judge([layer], 0.9, 0.5)
    return describe(finding, name, "epoch", fix)


# -- rebuilding while running --------------------------------------------------------------------------------------


def test_a_new_data_set_while_running_keeps_training_on_the_new_data():
    session = running(dataset="circle")
    session.tick(50)
    session.state.dataset = "xor"
    assert (session.view.status, session.view.step) == ("running", 0)
    session.tick(50)
    assert (session.view.status, session.view.step) == ("running", 50)
    session.pause()
    session.state.noise = 10  # while paused a rebuild stays ready
    assert session.view.status == "ready"


def test_a_new_network_in_the_lab_while_running_keeps_training():
    session = MnistSession(MnistState(layers=[{"type": "flatten"}, {"type": "dense", "units": 10}], input_size=14))
    session.play()
    session.tick(5)
    session.state.seed = 1
    assert (session.view.status, session.view.step) == ("running", 0)
    session.tick(5)
    assert session.view.step == 5


def test_the_sandbox_page_keeps_ticking_through_a_new_data_set():
    import asyncio

    from playground.sandbox.app import SandboxApp  # Panel only here

    app = SandboxApp(PlaygroundState(learning_rate=0.1))
    app.session.play()  # the test ticks by hand, as Bokeh's periodic callback does when served
    asyncio.run(app.ticker.tick())
    app.state.dataset = "xor"
    asyncio.run(app.ticker.tick())
    assert app.session.view.status == "running" and app.session.view.step > 0
    assert 'data-state="running"' in app.status.line.object and app.top.play.name == "❚❚ Pause"


def test_advice_starts_its_sentence_with_a_capital_and_keeps_the_names_it_gives():
    session = MnistSession(MnistState(layers=[{"type": "flatten"}, {"type": "dense", "units": 10}], input_size=14))
    assert session._fix_sentence(session.other_fix) == "Try Adam or a smaller batch"


def test_stuck_and_saturated_neurons_are_those_beyond_the_level_on_the_share_of_points_the_rules_say():
    """The order statistics (a partial sort) count a neuron as a direct count of its points does."""
    model = build_model({"input_shape": [2], "layers": [{"type": "dense", "units": 6, "activation": "tanh"}]}, seed=0)
    n, rng = 250, np.random.default_rng(1)
    values = rng.uniform(-0.5, 0.5, (n, 6))
    for neuron, beyond in enumerate([n, n - 2, n - 3, n - 12, n - 13, 0]):  # points past both levels, at +1
        values[rng.permutation(n)[:beyond], neuron] = 0.999
    values[:, 5] = -values[:, 5]  # one neuron on the other side
    values[: n - 1, 5] = -0.999
    (found,) = layer_health(model, [values @ np.zeros((6, 6)), values])
    allowed_stuck, allowed_saturated = 2, 12  # of 250 points: 1% (1 - STUCK_SHARE) and 5%, rounded down
    assert (STUCK_SHARE, SATURATED_SHARE) == (0.99, 0.95)
    stuck = (np.abs(values) > STUCK_LEVEL).sum(axis=0) >= n - allowed_stuck
    saturated = (np.abs(values) > SATURATION).sum(axis=0) >= n - allowed_saturated
    assert (found.stuck, found.saturated) == (int(stuck.sum()), int((stuck | saturated).sum())) == (3, 5)
