"""The Trainer: epochs and batches, events carrying copies on request, divergence, stop conditions, evaluate."""

import numpy as np
import pytest

from nn_core import MSE, SGD, SoftmaxCrossEntropy, build_model
from nn_core.events import DivergedEvent, StepEvent, StoppedEvent
from nn_core.trainer import Trainer, sign_accuracy

SPEC = {"input_shape": [2], "layers": [{"type": "dense", "units": 3}, {"type": "tanh"}, {"type": "dense", "units": 1}]}


class RecordingMSE(MSE):
    """MSE that remembers every target batch it saw, to tell which examples each step used."""

    def __init__(self):
        self.targets = []

    def forward(self, pred, target):
        self.targets.append(np.array(target))
        return super().forward(pred, target)


def make_trainer(n=20, batch_size=5, seed=0, learning_rate=0.1, loss=None, spec=SPEC, **settings):
    rng = np.random.default_rng(100)
    x = rng.uniform(-1, 1, (n, 2))
    y = np.where(x[:, :1] * x[:, 1:] >= 0, 1.0, -1.0)
    return Trainer(
        build_model(spec, seed=1),
        loss or MSE(),
        SGD(learning_rate),
        x,
        y,
        batch_size=batch_size,
        rng=np.random.default_rng(seed),
        **settings,
    )


def test_each_epoch_visits_every_example_once_in_a_new_order_ending_with_the_partial_batch():
    loss = RecordingMSE()
    trainer = make_trainer(n=23, batch_size=10, loss=loss)
    trainer.y_train = np.arange(23.0)[:, None]  # targets that name their example
    events = list(trainer.steps(6))

    assert [len(batch) for batch in loss.targets] == [10, 10, 3, 10, 10, 3]
    assert [(event.epoch, event.epoch_end) for event in events] == [
        (0, False),
        (0, False),
        (0, True),
        (1, False),
        (1, False),
        (1, True),
    ]
    first, second = np.concatenate(loss.targets[:3]).ravel(), np.concatenate(loss.targets[3:]).ravel()
    assert sorted(first) == sorted(second) == list(range(23))
    assert not np.array_equal(first, second)
    assert trainer.epoch == 2 and trainer.step == 6


def test_without_shuffle_batches_come_in_stored_order():
    loss = RecordingMSE()
    trainer = make_trainer(n=6, batch_size=4, loss=loss, shuffle=False)
    trainer.y_train = np.arange(6.0)[:, None]
    list(trainer.steps(4))
    assert [batch.ravel().tolist() for batch in loss.targets] == [[0, 1, 2, 3], [4, 5]] * 2


def test_same_seed_same_run_and_another_seed_another_order():
    def final_weights(seed):
        trainer = make_trainer(seed=seed)
        losses = [event.batch_loss for event in trainer.steps(12)]
        return losses, trainer.model.state_dict()["0.W"]

    assert final_weights(0)[0] == final_weights(0)[0]
    np.testing.assert_array_equal(final_weights(0)[1], final_weights(0)[1])
    assert final_weights(0)[0] != final_weights(1)[0]


def test_events_carry_only_what_is_wanted():
    event = next(make_trainer().steps(1))
    assert isinstance(event, StepEvent) and event.step == 1 and event.batch_loss > 0
    assert event.train_loss is event.test_loss is event.activations is event.params is None
    with pytest.raises(ValueError, match="unknown want"):
        next(make_trainer().steps(1, want=("weights",)))


def test_train_and_test_metrics_match_evaluate_after_the_update():
    trainer = make_trainer(x_test=np.zeros((4, 2)), y_test=np.ones((4, 1)), accuracy=sign_accuracy)
    event = next(trainer.steps(1, want=("train", "test")))
    assert (event.train_loss, event.train_accuracy) == trainer.evaluate(trainer.x_train, trainer.y_train)
    assert (event.test_loss, event.test_accuracy) == trainer.evaluate(trainer.x_test, trainer.y_test)
    assert 0 <= event.train_accuracy <= 1


def test_params_and_their_gradients_are_copies_of_the_update_that_was_applied():
    trainer = make_trainer(learning_rate=0.5)
    before = trainer.model.state_dict()
    event = next(trainer.steps(1, want=("params",)))
    assert sorted(event.params) == sorted(event.param_grads) == ["0.W", "0.b", "2.W", "2.b"]
    for name, param in event.params.items():
        np.testing.assert_allclose(param, before[name] - 0.5 * event.param_grads[name], rtol=0, atol=1e-15)
    event.params["0.W"][...] = 99.0
    assert not np.any(trainer.model.state_dict()["0.W"] == 99.0)


def test_activations_and_their_gradients_cover_every_layer_for_the_probe_batch():
    probe = (np.zeros((7, 2)), np.ones((7, 1)))
    trainer = make_trainer(probe=probe)
    event = next(trainer.steps(1, want=("activations",)))
    assert [a.shape for a in event.activations] == [(7, 3), (7, 3), (7, 1)]
    assert [g.shape for g in event.activation_grads] == [(7, 3), (7, 3), (7, 1)]
    np.testing.assert_allclose(event.activations[-1], trainer.model.predict(probe[0]), atol=1e-15)
    # MSE's gradient with respect to the prediction is (pred - target) / N.
    np.testing.assert_allclose(event.activation_grads[-1], (event.activations[-1] - 1) / 7, atol=1e-15)


def test_accuracy_defaults_to_argmax_for_softmax_and_to_none_for_mse():
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 3}]}
    trainer = make_trainer(loss=SoftmaxCrossEntropy(), spec=spec)
    trainer.y_train = np.arange(20) % 3
    loss, accuracy = trainer.evaluate(trainer.x_train, trainer.y_train)
    labels = trainer.model.predict(trainer.x_train).argmax(axis=1)
    assert accuracy == np.mean(labels == trainer.y_train) and loss > 0
    assert make_trainer().evaluate(np.zeros((2, 2)), np.zeros((2, 1)))[1] is None


def test_a_nan_in_the_data_diverges_before_any_update_and_never_raises():
    trainer = make_trainer(batch_size=20, shuffle=False)
    trainer.x_train[3, 0] = np.nan
    before = trainer.model.state_dict()
    events = list(trainer.steps(5))
    assert len(events) == 1 and isinstance(events[0], DivergedEvent)
    assert (events[0].step, events[0].reason) == (1, "the batch loss is nan")
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, before[name])


def test_an_exploding_loss_diverges_and_restore_last_good_puts_back_the_weights_before_that_step():
    trainer = make_trainer(learning_rate=30.0, spec={"input_shape": [2], "layers": [{"type": "dense", "units": 1}]})
    trainer.y_train = trainer.y_train * 10
    events = list(trainer.steps(200, want=("params",)))
    diverged, last_good = events[-1], events[-2].params
    assert isinstance(diverged, DivergedEvent) and diverged.step == len(events)
    assert "exceeds 1e+06 times the best" in diverged.reason
    assert list(trainer.steps(3)) == [diverged]  # stays diverged until restored

    trainer.restore_last_good()
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, last_good[name])
    assert isinstance(next(trainer.steps(1)), (StepEvent, DivergedEvent))


def test_an_update_that_overflows_is_reported_and_undone_by_restore_last_good():
    trainer = make_trainer(learning_rate=1e308)
    trainer.y_train = trainer.y_train * 1000  # gradients over 1: lr * gradient overflows to infinity
    before = trainer.model.state_dict()
    (event,) = trainer.steps(1)
    assert isinstance(event, DivergedEvent) and "not finite" in event.reason
    trainer.restore_last_good()
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, before[name])


@pytest.mark.parametrize(
    "limit, steps, reason", [({"max_steps": 7}, 7, "max_steps"), ({"max_epochs": 2}, 8, "max_epochs")]
)
def test_a_stop_condition_ends_the_run_with_a_stopped_event(limit, steps, reason):
    trainer = make_trainer(**limit)
    events = list(trainer.steps(100))
    assert len(events) == steps + 1 and events[-1] == StoppedEvent(trainer.step, trainer.epoch, reason)
    assert list(trainer.steps(5)) == [events[-1]]


def test_reaching_the_target_loss_stops_at_the_end_of_that_epoch():
    trainer = make_trainer(
        learning_rate=0.5,
        target_loss=0.2,
        spec={
            "input_shape": [2],
            "layers": [{"type": "dense", "units": 8}, {"type": "tanh"}, {"type": "dense", "units": 1}],
        },
    )
    trainer.y_train = np.sign(trainer.x_train[:, :1])  # a problem this model can learn
    events = list(trainer.steps(2000))
    assert events[-1].reason == "target_loss" and events[-2].epoch_end
    assert trainer.evaluate(trainer.x_train, trainer.y_train)[0] < 0.3
