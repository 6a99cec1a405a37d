"""The race: a second network on the same data and seed with its own settings, trained in lockstep; the winner; the
race in the URL."""

import numpy as np
import pytest

from playground.sandbox.app import SandboxApp
from playground.sandbox.lesson_setup import lesson_setup
from playground.sandbox.race import CATCH_UP_STEPS, Race, verdict
from playground.sandbox.session import Session
from playground.sandbox.state import PlaygroundState
from playground.sandbox.views.race_view import RaceView, every_nth


def race(**settings):
    return Race(Session(PlaygroundState(**settings)))


def same_weights(first, second):
    return first.keys() == second.keys() and all(np.array_equal(first[name], second[name]) for name in first)


def ticked(the_race, ticks, steps=25):
    the_race.first.play()
    for _ in range(ticks):
        the_race.tick(steps)
    return the_race


def test_the_second_network_changes_only_what_the_race_says_and_trains_on_the_same_data():
    the_race = race(dataset="xor", noise=10, race={"activation": "relu", "learning_rate": 0.3})
    first, second = the_race.first, the_race.second
    assert (second.state.activation, second.state.learning_rate) == ("relu", 0.3)
    assert (second.state.dataset, second.state.noise, second.state.seed) == ("xor", 10, 0)
    assert np.array_equal(first.data.x_train, second.data.x_train)
    assert the_race.labels == ("activation tanh, learning rate 0.03", "activation relu, learning rate 0.3")


def test_the_same_seed_gives_the_same_first_weights_where_the_networks_have_the_same_shapes():
    alone = Session(PlaygroundState()).model.state_dict()
    assert same_weights(race(race={"activation": "relu"}).second.model.state_dict(), alone)
    wider = race(race={"hidden_layers": [6, 2]}).second.model.state_dict()  # its own, from the same seed
    assert wider["0.W"].shape == (2, 6) and same_weights(
        wider, Session(PlaygroundState(hidden_layers=[6, 2])).model.state_dict()
    )


def test_an_edited_first_network_is_the_start_of_a_second_of_the_same_shapes():
    the_race = race(race={"learning_rate": 0.3})
    the_race.first.step_epoch()
    the_race.first.add_neuron(0)  # kept weights and a new neuron: the first's run starts here
    the_race.keep_up()
    assert same_weights(the_race.second.model.state_dict(), the_race.first.start_weights)


def test_both_train_in_lockstep_epoch_for_epoch_also_with_other_batch_sizes():
    the_race = ticked(race(race={"batch_size": 30}), ticks=8)
    first, second = the_race.first, the_race.second
    assert first.trainer.epoch == second.trainer.epoch == 8
    assert second.trainer.step == 8 * 9 and first.trainer.step == 8 * 25  # 250 points: 9 batches of 30, 25 of 10
    assert second.view.history["epoch"][-1] == first.view.history["epoch"][-1]


def test_a_race_of_equal_networks_is_a_tie_with_identical_weights():
    the_race = ticked(race(), ticks=4)
    assert same_weights(the_race.first.model.state_dict(), the_race.second.model.state_dict())
    assert "a tie" in verdict(the_race.first.view.test_loss, the_race.second.view.test_loss, the_race.labels, 4)


def test_the_winner_is_the_lower_test_loss_with_the_margin():
    labels = ("learning rate 0.03", "learning rate 0.3")
    assert verdict(0.25, 0.125, labels, 100) == (
        "After 100 epochs the second network (learning rate 0.3) wins by 0.125: test loss 0.125 against 0.250."
    )
    assert verdict(0.1, 0.3, labels, 1).startswith(
        "After 1 epochs the first network (learning rate 0.03) wins by 0.200"
    )
    assert verdict(0.1, 0.1002, labels, 5) == "After 5 epochs: a tie, test loss 0.100 both."


def test_a_new_race_setting_and_the_first_networks_reset_start_both_again():
    the_race = ticked(race(race={"learning_rate": 0.3}), ticks=3)
    the_race.change("activation", "relu")
    assert the_race.first.state.race == {"activation": "relu", "learning_rate": 0.3}
    assert the_race.first.trainer.step == the_race.second.trainer.step == 0
    assert the_race.first.view.status == "running"  # the race goes on
    ticked(the_race, ticks=2)
    the_race.change("activation", "tanh")  # the first's own: no longer a change
    assert the_race.first.state.race == {"learning_rate": 0.3}
    ticked(the_race, ticks=2)
    the_race.first.reset()
    the_race.keep_up()
    assert the_race.second.trainer.step == 0 and same_weights(
        the_race.second.model.state_dict(), the_race.first.model.state_dict()
    )


def test_the_second_follows_the_first_networks_other_settings():
    the_race = race(race={"learning_rate": 0.3})
    the_race.first.state.param.update(dataset="spiral", learning_rate=0.1)
    assert the_race.second.state.dataset == "circle"  # not before it is looked at (nothing runs while hidden)
    the_race.keep_up()
    assert (the_race.second.state.dataset, the_race.second.state.learning_rate) == ("spiral", 0.3)
    assert np.array_equal(the_race.first.data.x_train, the_race.second.data.x_train)


def test_a_second_network_that_diverges_loses_and_the_verdict_says_so():
    app = SandboxApp(PlaygroundState(dataset="reg-plane", activation="linear", race={"learning_rate": 10.0}))
    view = app.more.shown
    ticked(view.lockstep, ticks=10)
    view.refresh()
    assert view.lockstep.second.view.status == "diverged"
    assert ">The second network diverged: Training diverged" in view.verdict.object


def test_a_link_with_a_race_opens_it_and_its_ticker_trains_both_while_it_shows_only():
    app = SandboxApp(PlaygroundState.from_query("race=learning_rate:0.3")[0])
    view = app.more.shown
    assert isinstance(view, RaceView) and app.ticker.session is view.lockstep
    app.ticker.session.toggle()  # what Play does, without starting the loop (no event loop here: the test trains)
    app.ticker._train()
    second = view.lockstep.second
    assert second.trainer.step == app.session.trainer.step > 0
    app.more.card.collapsed = True  # hidden: the page trains the first network alone
    assert app.ticker.session is app.session
    for _ in range(3):
        app.ticker._train()
    assert second.trainer.step < app.session.trainer.step
    app.more.card.collapsed = False  # shown again: the second catches up
    assert second.trainer.epochs_done == app.session.trainer.epochs_done
    app.ticker.session.toggle()


def test_a_far_behind_second_network_catches_up_a_bounded_number_of_steps_at_a_time():
    the_race = race()
    for _ in range(CATCH_UP_STEPS // 25 + 4):
        the_race.first.step_epoch()
    the_race.keep_up()
    assert the_race.second.trainer.step == CATCH_UP_STEPS and the_race.behind() > 0
    the_race.keep_up()
    assert the_race.behind() == 0


def test_the_race_view_changes_the_second_network_and_says_what_it_cannot_use():
    app = SandboxApp(PlaygroundState())
    view = app.more.show("Race")
    view.settings["learning_rate"].value = 0.3
    assert app.state.race == {"learning_rate": 0.3} and view.lockstep.second.state.learning_rate == 0.3
    view.settings["hidden_layers"].value = "4,40"
    assert "every width must be from 1 to 16" in view.problem.object and app.state.race == {"learning_rate": 0.3}
    view.settings["hidden_layers"].value = "8"
    assert app.state.race == {"hidden_layers": [8], "learning_rate": 0.3} and view.problem.object == ""
    assert (
        "first: hidden layers 4,2, learning rate 0.03" in view.maps[0].object
        and "data:image/png" in view.maps[1].object
    )


@pytest.mark.parametrize(
    "race_settings",
    [{"learning_rate": 0.3}, {"activation": "relu", "hidden_layers": [8, 8]}, {"hidden_layers": []},
     {"optimizer": "adam", "learning_rate": 1e-05, "regularization": "l2", "regularization_rate": 0.003},
     {"batch_size": 30, "loss": "cross_entropy"}],
)  # fmt: skip
def test_the_race_goes_into_the_url_and_back(race_settings):
    query = PlaygroundState(race=race_settings).to_query()
    assert query.startswith("race=") and "%3A" not in query  # as a teacher writes it: race=learning_rate:0.3
    state, notices = PlaygroundState.from_query(query)
    assert (state.race, notices) == (race_settings, [])


def test_a_hand_written_race_link_reads_too():
    state, notices = PlaygroundState.from_query("noise=5&race=hidden_layers:8,8,activation:relu")
    assert (state.noise, state.race, notices) == (5, {"activation": "relu", "hidden_layers": [8, 8]}, [])


@pytest.mark.parametrize(
    ("link", "notice"),
    [
        ("race=learning_rate:0.5", "race: cannot use 'learning_rate:0.5' (learning_rate cannot be '0.5' (not one of "
         "1e-05, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)); keeping none"),
        ("race=seed:3", "race: cannot use 'seed:3' ('seed' is not a setting a race changes (activation, "
         "hidden_layers, learning_rate, optimizer, regularization, regularization_rate, batch_size, loss)); "
         "keeping none"),
        ("race=relu", "race: cannot use 'relu' ('relu' names no setting: write setting:value, e.g. "
         "learning_rate:0.3); keeping none"),
        ("race=hidden_layers:4,40", "race: cannot use 'hidden_layers:4,40' (hidden_layers cannot be '4,40' (every "
         "width must be from 1 to 16, got 40)); keeping none"),
    ],
)  # fmt: skip
def test_a_bad_race_in_a_link_is_said_and_no_race_is_run(link, notice):
    state, notices = PlaygroundState.from_query(link)
    assert (state.race, notices) == ({}, [notice])
    assert SandboxApp(state).more.shown is None


def test_a_race_of_settings_it_does_not_change_is_refused_in_python():
    with pytest.raises(ValueError, match="seed is not one the race changes"):
        PlaygroundState(race={"seed": 3})


def test_the_race_curves_send_a_few_hundred_points_at_most_the_last_always():
    assert every_nth(0, 200) == [] and every_nth(5, 200) == [0, 1, 2, 3, 4]
    kept = every_nth(1000, 200)
    assert len(kept) <= 201 and kept[0] == 0 and kept[-1] == 999


@pytest.mark.parametrize(("batch_size", "steps"), [(10, 380), (30, 137)])
def test_ticks_that_end_mid_epoch_keep_the_second_level_and_never_start_it_again(batch_size, steps):
    the_race = race(race={"batch_size": batch_size})
    the_race.first.play()
    taken = []
    for _ in range(10):
        the_race.tick(38)  # 1.52 epochs of 25 batches
        taken.append(the_race.second.trainer.step)
    assert taken == sorted(taken) and the_race.first.trainer.step == 380
    assert the_race.second.trainer.step == steps  # 15.2 epochs; of 30 points: 15 x 9 batches, 2 more (60 of 250 points)


def test_a_race_is_no_lesson_setting_so_the_copied_setup_leaves_it_out():
    assert lesson_setup(PlaygroundState(noise=5, race={"learning_rate": 0.3})) == "setup:\n  noise: 5\n"
