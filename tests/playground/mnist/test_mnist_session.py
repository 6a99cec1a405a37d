"""The MNIST session builds from its state, trains, evaluates on a subset and on the whole test set at epoch ends."""

import numpy as np

from playground.mnist.session import EVALUATE_EVERY, TEST_SUBSET, MnistSession
from playground.mnist.state import MnistState

TINY = [{"type": "flatten"}, {"type": "dense", "units": 10}]


def session(**settings):
    return MnistSession(MnistState(layers=TINY, input_size=14, **settings))


def test_a_new_session_is_ready_with_a_first_point_on_the_curves():
    s = session()
    assert s.view.status == "ready" and s.view.history["step"] == [0]
    assert s.view.test_digits == TEST_SUBSET and 0 <= s.view.test_accuracy <= 1
    assert s.weights.epochs == [0]


def test_training_adds_points_and_an_epoch_ends_with_the_whole_test_set():
    s = session(batch_size=128, learning_rate=0.01)
    s.play()
    s.tick(EVALUATE_EVERY)
    assert s.view.history["step"] == [0, EVALUATE_EVERY] and s.view.test_digits == TEST_SUBSET
    s.step_epoch()
    assert s.view.status == "paused" and s.view.epoch == 1 and s.view.step == 63  # 8,000 / 128 rounded up
    assert s.view.test_digits == 2000 and s.view.test_accuracy > 0.8
    assert s.view.history["test_accuracy"][-1] == s.view.test_accuracy and s.weights.epochs == [0, 1]


def test_an_invalid_stack_is_an_error_with_the_reason_not_a_crash():
    s = session()
    s.state.layers = [{"type": "dense", "units": 10}]
    assert s.view.status == "error" and "add a 'flatten' layer" in s.view.message
    s.play()
    s.step_batch()
    assert s.view.status == "error"
    s.state.layers = TINY
    assert s.view.status == "ready"


def test_live_settings_keep_the_model_and_others_rebuild_it_keeping_the_last_weight_history():
    s = session(batch_size=128)
    model = s.model
    s.state.param.update(learning_rate=0.01, optimizer="sgd", batch_size=64)
    assert s.model is model and s.trainer.batch_size == 64 and s.trainer.optimizer.learning_rate == 0.01
    s.step_epoch()
    run = s.weights
    s.state.seed = 1
    assert s.model is not model and s.previous_weights is run and s.weights.epochs == [0]


def test_a_preset_replaces_the_stack():
    s = session()
    s.state.preset = "mlp"
    assert [entry["type"] for entry in s.model.spec()["layers"]][:2] == ["flatten", "dense"]
    assert s.model.layers[1].params["W"].shape == (196, 256)


def test_the_same_seed_gives_the_same_run():
    first, second = session(), session()
    for s in (first, second):
        s.play()
        s.tick(5)
    np.testing.assert_array_equal(first.params()["1.W"], second.params()["1.W"])


def test_test_predictions_are_computed_once_per_step():
    s = session()
    probabilities, digits = s.test_predictions()
    assert probabilities.shape == (2000, 10) and s.test_predictions()[1] is digits
    s.step_batch()
    assert s.test_predictions()[1] is not digits


def test_a_preset_given_at_construction_sets_the_stack():
    assert MnistState(preset="mlp").layers[1] == {"type": "dense", "units": 256}


def test_while_training_the_test_predictions_are_those_of_the_last_epoch_end():
    s = session(batch_size=128)
    s.step_epoch()
    end = s.test_predictions()
    assert s.predictions_step == 63 and s.view.test_accuracy == np.mean(end[1] == s.y_test)
    s.play()
    s.tick(3)
    assert s.test_predictions() is end and s.predictions_step == 63
    s.pause()
    assert s.test_predictions() is not end and s.predictions_step == 66


def test_a_new_network_shows_its_own_train_loss_not_the_mean_batch_loss_of_the_one_before():
    s = session(batch_size=32, learning_rate=0.1, optimizer="sgd")
    s.play()
    s.tick(EVALUATE_EVERY - 1)  # batch losses of this network, not yet a point of the curves
    s.state.layers = [{"type": "flatten"}, {"type": "dense", "units": 16}, {"type": "relu"}, *TINY[1:]]
    subset = s.train_subset
    fresh = float(s.trainer.loss.forward(s.model.predict(s.x_train[subset]), s.y_train[subset]))
    assert s.view.history["step"] == [0] and s.view.train_loss == s.view.history["train"][0]
    assert np.isclose(s.view.train_loss, fresh, rtol=1e-5)  # the new network's loss on the training subset


def test_weight_records_are_titled_after_the_layers_the_editor_lists():
    s = session()
    assert [s.weights.title(name) for name in s.weights.edges] == ["Layer 1 (dense 10) weights"]
