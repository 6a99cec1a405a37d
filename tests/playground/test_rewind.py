"""Rewind: "Start again from the same weights", those the run started with, on the same data."""

import numpy as np

from playground.sandbox.app import SandboxApp
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def trained(session, epochs):
    for _ in range(epochs):
        session.step_epoch()
    return session.model.state_dict(), session.view.test_loss


def same_weights(first, second):
    return first.keys() == second.keys() and all(np.array_equal(first[name], second[name]) for name in first)


def test_after_a_rewind_the_same_epochs_give_the_same_weights_and_loss():
    session = Session(PlaygroundState(optimizer="adam", learning_rate=0.01, seed=4))  # Adam's moments start afresh
    weights, loss = trained(session, 3)
    session.rewind()
    assert (session.view.status, session.view.step, session.view.epoch) == ("ready", 0, 0)
    assert session.view.history["step"] == [0]
    assert same_weights(weights, trained(session, 3)[0]) and session.view.test_loss == loss


def test_a_rewind_keeps_the_live_settings_so_two_rates_start_from_the_same_weights():
    session = Session(PlaygroundState(seed=2))
    start = session.model.state_dict()
    trained(session, 2)
    session.state.learning_rate = 0.3
    session.rewind()
    assert same_weights(session.model.state_dict(), start)
    assert session.trainer.optimizer.learning_rate == 0.3


def test_a_rewind_goes_back_to_an_edited_network_where_a_reset_draws_new_weights():
    session = Session(PlaygroundState(keep_weights=True))
    trained(session, 2)
    session.add_neuron(0)  # the trained weights stay, with one new neuron
    edited = session.model.state_dict()
    trained(session, 2)
    session.rewind()
    assert same_weights(session.model.state_dict(), edited)
    session.reset()
    assert not same_weights(session.model.state_dict(), edited)


def test_a_rewind_goes_back_to_an_imported_model():
    donor = Session(PlaygroundState())
    trained(donor, 3)
    session = Session(PlaygroundState())
    session.import_model(donor.model_npz())
    trained(session, 2)
    session.rewind()
    assert same_weights(session.model.state_dict(), donor.model.state_dict())


def test_a_rewind_keeps_the_students_own_points():
    session = Session(PlaygroundState())
    session.add_point(5.5, 5.5, 1)
    points = len(session.data.x_train)
    trained(session, 1)
    session.rewind()
    assert len(session.data.x_train) == points and session.own_data is session.data


def test_the_rewind_button_starts_again_and_the_page_redraws():
    app = SandboxApp(PlaygroundState(seed=1))
    start = app.session.model.state_dict()
    app.session.step_epoch()
    app.top.rewind.clicks += 1
    assert same_weights(app.session.model.state_dict(), start)
    assert "<small>step 0</small>" in app.top.counter.object
