"""train_step, and the Trainer around it: epochs and batches, events, divergence, stop conditions, evaluate."""

import copy
import inspect

import numpy as np
import pytest

from nn_core import MSE, SGD, SoftmaxCrossEntropy, build_model
from nn_core import trainer as trainer_module
from nn_core.events import DivergedEvent, StepEvent, StoppedEvent
from nn_core.trainer import GOOD_FACTOR, Diverged, Guard, Trainer, train_step

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


@pytest.mark.parametrize("shuffle", [True, False])
def test_the_upcoming_batch_is_the_one_the_next_step_trains_on_and_looking_moves_nothing(shuffle):
    loss = RecordingMSE()
    trainer = make_trainer(n=23, batch_size=10, loss=loss, shuffle=shuffle)
    trainer.y_train = np.arange(23.0)[:, None]
    for _ in range(7):  # across two epoch ends: a new order is drawn there
        x, y = trainer.upcoming_batch()
        assert np.array_equal(trainer.upcoming_batch()[1], y)
        next(trainer.steps(1))
        assert np.array_equal(loss.targets[-1], y) and np.array_equal(trainer.x_train[y[:, 0].astype(int)], x)


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


def test_train_step_is_forward_loss_backward_update_and_returns_the_loss_before_the_update():
    model, x, y = build_model(SPEC, seed=1), np.linspace(-1, 1, 10).reshape(5, 2), np.ones((5, 1))
    by_hand, mse = copy.deepcopy(model), MSE()
    loss_before = mse.forward(by_hand.forward(x), y)
    by_hand.backward(mse.backward())

    assert train_step(model, MSE(), SGD(0.5), x, y) == loss_before
    for (name, param, _), (_, before, grad) in zip(model.named_params(), by_hand.named_params(), strict=True):
        np.testing.assert_allclose(param, before - 0.5 * grad, rtol=0, atol=1e-15, err_msg=name)


def test_every_trainer_update_is_one_train_step_whose_source_reads_as_the_textbook_lines(monkeypatch):
    calls = []

    def counted(*arguments):
        calls.append(arguments[3])  # the batch x
        return train_step(*arguments)

    monkeypatch.setattr(trainer_module, "train_step", counted)
    events = list(make_trainer(n=20, batch_size=5).steps(6))
    assert [len(x) for x in calls] == [5] * 6 and [event.step for event in events] == list(range(1, 7))
    source = inspect.getsource(train_step)  # what a "glass box" view shows students
    lines = ["model.forward(x)", "loss.forward(prediction, y)", "model.backward(", "optimizer.step("]
    positions = [source.index(line) for line in lines]
    assert positions == sorted(positions) and len(source.splitlines()) < 20


class Recording(Guard):
    """A guard that records where train_step called it, and stops the step at `stop_at`."""

    def __init__(self, stop_at=None):
        self.calls, self.stop_at = [], stop_at

    def check(self, stage):
        self.calls.append(stage)
        if stage == self.stop_at:
            raise Diverged(stage)

    def check_loss(self, batch_loss):
        self.check("loss")

    def check_gradients(self, model):
        self.check("gradients")

    def check_parameters(self, model):
        self.check("parameters")


@pytest.mark.parametrize("stop_at, moved", [("loss", False), ("gradients", False), ("parameters", True)])
def test_a_guard_runs_between_the_lines_and_stops_the_step_where_it_raises(stop_at, moved):
    model, x, y = build_model(SPEC, seed=1), np.ones((4, 2)), np.zeros((4, 1))
    before, guard = model.state_dict(), Recording(stop_at)
    with pytest.raises(Diverged, match=stop_at):
        train_step(model, MSE(), SGD(0.1), x, y, guard)
    stages = ["loss", "gradients", "parameters"]
    assert guard.calls == stages[: stages.index(stop_at) + 1]
    assert (not np.array_equal(model.state_dict()["0.W"], before["0.W"])) == moved  # only the update moves it


def test_events_carry_the_step_its_epoch_and_the_batch_loss():
    event = next(make_trainer().steps(1))
    assert isinstance(event, StepEvent) and (event.step, event.epoch, event.epoch_end) == (1, 0, False)
    assert event.batch_loss > 0


def test_epochs_done_counts_the_epoch_under_way_by_its_share_of_the_examples():
    trainer = make_trainer(n=20, batch_size=5)
    assert trainer.epochs_done == 0.0
    list(trainer.steps(2))
    assert trainer.epochs_done == 0.5
    list(trainer.steps(2))
    assert trainer.epochs_done == 1.0 and trainer.epoch == 1
    list(trainer.steps(1))
    assert trainer.epochs_done == 1.25


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
    assert (events[0].step, events[0].reason, events[0].last_good_step) == (
        0,
        "the loss is no longer a number (nan)",
        0,
    )
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, before[name])


def run_recording_weights(trainer, n):
    """The events of up to n steps and {step: state_dict after that many updates} (0: before any)."""
    events, states = [], {trainer.step: trainer.model.state_dict()}
    for event in trainer.steps(n):
        events.append(event)
        if isinstance(event, StepEvent):
            states[event.step] = trainer.model.state_dict()
    return events, states


def test_an_exploding_loss_diverges_after_the_last_applied_step_and_stays_diverged_until_restored():
    trainer = make_trainer(learning_rate=30.0, spec={"input_shape": [2], "layers": [{"type": "dense", "units": 1}]})
    trainer.y_train = trainer.y_train * 10
    events, states = run_recording_weights(trainer, 200)
    diverged = events[-1]
    assert isinstance(diverged, DivergedEvent) and diverged.step == len(events) - 1 == trainer.step
    assert "more than 1,000,000 times its lowest value so far" in diverged.reason
    assert list(trainer.steps(3)) == [diverged]  # stays diverged until restored

    assert trainer.restore_last_good() == diverged.last_good_step == trainer.step
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, states[diverged.last_good_step][name])
    assert trainer.optimizer.state == {}
    assert isinstance(next(trainer.steps(1)), (StepEvent, DivergedEvent))


def test_restore_goes_back_past_the_steps_where_the_loss_grew_to_the_last_sane_weights_and_their_place():
    spec = {
        "input_shape": [2],
        "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 1}],
    }
    trainer = make_trainer(n=40, batch_size=5, learning_rate=0.05, spec=spec)
    trainer.y_train = 3 * trainer.x_train[:, :1] - trainer.x_train[:, 1:]  # a linear target: a regression
    events, states = run_recording_weights(trainer, 400)  # 50 epochs of 8 steps at a sane rate
    sane = np.mean([event.batch_loss for event in events[-8:]])
    trainer.optimizer.learning_rate = 3.0  # the loss now grows for several steps before it explodes
    more, later = run_recording_weights(trainer, 500)
    events, states = events + more, states | later
    diverged = more[-1]
    assert isinstance(diverged, DivergedEvent) and 400 <= diverged.last_good_step < diverged.step
    losses = {event.step: event.batch_loss for event in events if isinstance(event, StepEvent)}
    assert losses[diverged.step] > 1000 * sane  # the weights of the failing step were far gone already
    # the last good weights: the last whose loss (that of the next step's batch) was sane; the ones after were not
    assert losses[diverged.last_good_step + 1] <= GOOD_FACTOR * sane * 2
    assert all(losses[step] > GOOD_FACTOR * 1e-3 for step in range(diverged.last_good_step + 2, diverged.step + 1))

    epoch = trainer.epoch
    assert trainer.restore_last_good() == diverged.last_good_step == trainer.step
    assert trainer.epoch == diverged.last_good_step // 8 <= epoch
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, states[diverged.last_good_step][name])
    trainer.optimizer.learning_rate = 0.05
    after = list(trainer.steps(16))
    assert all(isinstance(event, StepEvent) for event in after)
    assert after[0].step == diverged.last_good_step + 1 and after[-1].batch_loss < 10 * sane + 1e-3


def test_an_update_that_overflows_is_reported_and_undone_by_restore_last_good():
    trainer = make_trainer(learning_rate=1e308)
    trainer.y_train = trainer.y_train * 1000  # gradients over 1: lr * gradient overflows to infinity
    before = trainer.model.state_dict()
    (event,) = trainer.steps(1)
    assert isinstance(event, DivergedEvent) and "not finite" in event.reason
    trainer.restore_last_good()
    for name, array in trainer.model.state_dict().items():
        np.testing.assert_array_equal(array, before[name])


def test_the_divergence_guard_names_the_first_array_not_finite_and_no_array_whose_values_only_sum_past_floats():
    big = np.full(4, 1e308)  # finite, but their sum is not: the one sum that checks a healthy step is no verdict
    named = [("0.W", np.ones(3)), ("0.b", big), ("1.W", np.array([1.0, np.nan])), ("1.b", np.array([np.inf]))]
    with np.errstate(over="ignore"):
        assert trainer_module._first_not_finite(named) == "1.W"
        assert trainer_module._first_not_finite(named[:2]) is None
    assert trainer_module._first_not_finite(iter(named[:1])) is None  # any iterable, as named_params() gives
    assert trainer_module._first_not_finite([]) is None  # a network without parameters
    assert trainer_module._first_not_finite([("0.W", np.ones((2, 2))), ("1.W", np.full((1, 3), -np.inf))]) == "1.W"


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
