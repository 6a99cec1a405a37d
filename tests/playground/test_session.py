"""The training session: controls, ticks, live settings, rebuilds, divergence and network edits."""

import numpy as np
import pytest

from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState


def running(**settings):
    session = Session(PlaygroundState(**settings))
    session.play()
    return session


def test_a_new_session_is_ready_with_the_initial_losses():
    session = Session(PlaygroundState())
    view = session.view
    assert (view.status, view.step, view.epoch) == ("ready", 0, 0)
    assert view.train_loss > 0.4 and view.test_accuracy is not None
    assert view.history["step"] == [0] and set(view.params) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}


def test_a_few_ticks_reduce_the_loss_on_circle():
    session = running(dataset="circle", learning_rate=0.1)
    before = session.view.train_loss
    for _ in range(20):
        session.tick(25)
    assert session.view.step == 500 and session.view.epoch == 20
    assert session.view.train_loss < 0.6 * before
    assert session.view.test_accuracy > 0.8
    assert len(session.view.history["train"]) == 21


def test_ticks_do_nothing_unless_running_and_pause_stops_between_ticks():
    session = Session(PlaygroundState())
    session.tick(10)
    assert session.view.step == 0
    session.toggle()
    session.tick(10)
    session.toggle()
    session.tick(10)
    assert (session.view.status, session.view.step) == ("paused", 10)


def test_step_runs_one_batch_and_step_epoch_finishes_the_epoch():
    session = Session(PlaygroundState(batch_size=10))  # 250 training points: 25 batches an epoch
    session.step_batch()
    assert (session.view.status, session.view.step, session.view.epoch) == ("paused", 1, 0)
    session.step_epoch()
    assert (session.view.step, session.view.epoch) == (25, 1)


def test_steps_per_epoch_counts_the_last_smaller_batch():
    assert Session(PlaygroundState(batch_size=10)).steps_per_epoch() == 25
    assert Session(PlaygroundState(batch_size=30)).steps_per_epoch() == 9  # 8 batches of 30, one of 10


def test_reset_and_the_same_seed_give_the_same_run():
    first, second = running(seed=3), running(seed=3)
    for session in (first, second):
        session.tick(30)
    assert first.view.train_loss == second.view.train_loss
    first.reset()
    assert (first.view.step, first.view.status, first.view.history["step"]) == (0, "ready", [0])
    assert first.view.train_loss == Session(PlaygroundState(seed=3)).view.train_loss


def test_the_learning_rate_applies_live_but_new_data_rebuilds_and_training_goes_on():
    session = running()
    session.tick(10)
    session.state.learning_rate = 0.3
    assert session.trainer.optimizer.learning_rate == 0.3 and session.view.step == 10
    session.state.optimizer = "adam"
    assert type(session.trainer.optimizer).__name__ == "Adam" and session.view.step == 10
    session.state.noise = 20
    assert (session.view.step, session.view.status) == (0, "running")


def test_a_refused_setting_leaves_the_session_as_it_was():
    session = running()
    session.tick(10)
    with pytest.raises(ValueError):
        session.state.features = []
    session.tick(10)
    assert (session.view.status, session.view.step) == ("running", 20)


def test_divergence_pauses_with_advice_and_restore_brings_back_the_last_good_weights():
    session = running(dataset="reg-plane", activation="linear", learning_rate=10.0)
    session.tick(50)
    assert session.view.status == "diverged"
    assert "learning rate of 1" in session.view.message and "Restore" in session.view.message
    step = session.view.step
    session.tick(10)
    assert session.view.step == step
    session.restore_last_good()
    assert session.view.status == "paused" and session.view.message.startswith("Back to the weights of step ")
    assert all(np.all(np.isfinite(p)) for p in session.view.params.values())


@pytest.mark.parametrize("keep", [True, False])
def test_adding_a_neuron_keeps_trained_weights_only_when_asked(keep):
    session = running(keep_weights=keep)
    session.tick(40)
    trained = session.view.params["0.W"]
    session.add_neuron(0)
    assert session.state.hidden_layers == [5, 2]
    assert session.view.params["0.W"].shape == (2, 5)
    assert np.array_equal(session.view.params["0.W"][:, :4], trained) == keep
    assert session.view.step == (40 if keep else 0)


def test_layers_are_added_and_removed_with_their_activations():
    session = running(hidden_layers=[3, 2], layer_activations=["relu", "sigmoid"])
    session.tick(20)
    session.add_layer()
    assert session.state.hidden_layers == [3, 2, 2]
    assert [layer.type_name for layer in session.model.layers][1::2] == ["relu", "sigmoid", "tanh", "tanh"]
    session.remove_layer(0)
    assert (session.state.hidden_layers, session.state.layer_activations) == ([2, 2], ["sigmoid"])
    session.remove_neuron(1)
    session.remove_neuron(1)  # its last neuron: the layer goes
    assert session.state.hidden_layers == [2] and session.view.step == 20
    session.tick(5)
    assert session.view.step == 25


@pytest.mark.parametrize("keep", [True, False])
def test_a_layer_gets_its_own_activation_keeping_the_weights_only_when_asked(keep):
    session = running(keep_weights=keep, learning_rate=0.1)
    session.tick(30)
    first_weights = session.model.layers[0].params["W"].copy()
    session.set_layer_activation(1, "relu")
    assert session.state.layer_activations == ["", "relu"]
    assert [layer.type_name for layer in session.model.layers[1::2]] == ["tanh", "relu", "tanh"]
    assert np.array_equal(session.model.layers[0].params["W"], first_weights) == keep
    assert session.view.step == (30 if keep else 0)


def test_clicked_points_join_the_data_and_keep_the_training_going():
    session = running(learning_rate=0.1)
    session.tick(20)
    n_points, weights = len(session.data.x), session.model.layers[0].params["W"].copy()
    session.add_point(5.5, 5.5, 1)
    assert len(session.data.x) == n_points + 1 and session.view.step == 20
    assert np.array_equal(session.model.layers[0].params["W"], weights)
    assert np.allclose(session.data.x_train[-1], [5.5, 5.5]) and session.data.y_train[-1] == 1
    assert session.remove_point(5.4, 5.4, radius=0.5) and len(session.data.x) == n_points
    assert not session.remove_point(5.4, 5.4, radius=0.5)
    session.add_point(0, 0, 7)
    assert "Cannot add that point" in session.view.message and len(session.data.x) == n_points
    session.state.noise = 10  # new generated data replaces the student's points
    assert session.own_data is None and session.view.message == ""


def test_csv_export_and_import_round_trip_and_a_bad_file_changes_nothing():
    session = Session(PlaygroundState(dataset="xor"))
    text = session.points_csv()
    assert text.startswith("x1,x2,label\n") and text.count("\n") == len(session.data.x) + 1
    session.import_csv("x1,x2,label\n" + "".join(f"{i % 5},{i % 3},{1 if i % 2 else -1}\n" for i in range(20)))
    assert len(session.data.x) == 20 and session.view.status == "ready"
    before = session.data
    session.import_csv("x1,x2,label\n1,2,3\n")
    assert "row 2" in session.view.message and session.data is before


def test_a_model_file_of_another_network_is_refused_with_both_shapes_named():
    other = Session(PlaygroundState(hidden_layers=[3]))
    session = Session(PlaygroundState())
    before = session.model.state_dict()
    session.import_model(other.model_npz())
    assert "2 inputs → 3 tanh → 1 tanh" in session.view.message and "2 inputs → 4 tanh → 2 tanh" in session.view.message
    assert all((session.model.state_dict()[k] == v).all() for k, v in before.items())


def test_a_saved_model_brings_its_weights_back_after_a_divergence():
    settings = dict(dataset="reg-plane", activation="linear", learning_rate=10.0)
    saved_session = Session(PlaygroundState(**settings))
    saved = saved_session.model_npz()
    session = running(**settings)
    session.tick(50)
    assert session.view.status == "diverged"
    session.import_model(saved)
    assert session.view.status == "paused" and session.view.message == ""
    assert (session.view.params["0.W"] == saved_session.view.params["0.W"]).all()
    session.step_batch()
    assert session.view.step > 0
