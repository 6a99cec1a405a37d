"""Weight histories: fixed bins per layer, one record per epoch, nearest-epoch lookup."""

import numpy as np

from playground.core.weight_history import BINS, MAX_RECORDS, WeightHistory, histogram


def test_values_outside_the_edges_go_to_the_end_bins():
    assert histogram(np.array([-5.0, 0.1, 0.6, 9.0]), np.array([-1.0, 0.0, 0.5, 1.0])).tolist() == [1, 1, 2]


def test_a_history_records_the_weights_of_each_epoch_on_the_first_epochs_bins():
    rng = np.random.default_rng(0)
    history = WeightHistory("run A")
    first = {"0.W": rng.standard_normal(1000) * 0.1, "0.b": np.zeros(3)}
    history.record(0, first)
    history.record(0, first)  # the same epoch twice counts once
    history.record(3, {"0.W": first["0.W"] * 2, "0.b": np.ones(3)})
    assert history.epochs == [0, 3] and list(history.stats) == ["0.W"]
    mean, std, counts = history.at("0.W", 2)
    assert history.nearest_epoch("0.W", 2) == 3 and history.nearest_epoch("0.W", 1) == 0
    assert np.isclose(std, 2 * first["0.W"].std()) and counts.sum() == 1000 and len(counts) == BINS
    assert history.at("0.W", 0)[2].sum() == 1000 and history.at("9.W", 0) is None
    assert np.isclose(history.edges["0.W"][-1], 4 * first["0.W"].std() + abs(first["0.W"].mean()))


def test_a_long_run_keeps_a_bounded_thinned_record_with_the_first_and_latest_epochs():
    history = WeightHistory("long")
    for epoch in range(10 * MAX_RECORDS):
        params = {"0.W": np.full(4, float(epoch))}
        if epoch >= 7:  # a layer added by a network edit at epoch 7
            params["2.W"] = np.full(3, -float(epoch))
        history.record(epoch, params)
    assert len(history.epochs) <= MAX_RECORDS and history.epochs[0] == 0 and history.epochs[-1] == 10 * MAX_RECORDS - 1
    assert history.epochs == sorted(history.epochs)
    for epoch in history.epochs:
        assert history.at("0.W", epoch)[0] == epoch
    late = history.epochs[-len(history.stats["2.W"]) :]
    assert late[0] >= 7 and all(history.at("2.W", epoch)[0] == -epoch for epoch in late)


def test_forgetting_the_epochs_after_a_restore_keeps_the_earlier_records():
    history = WeightHistory("run")
    for epoch in range(6):
        params = {"0.W": np.full((2, 2), float(epoch))}
        if epoch >= 3:
            params["1.W"] = np.ones(3)  # a layer recorded since epoch 3
        history.record(epoch, params)
    history.forget_after(3)
    assert history.epochs == [0, 1, 2, 3] and len(history.stats["0.W"]) == 4 and len(history.stats["1.W"]) == 1
    history.forget_after(1)
    assert history.epochs == [0, 1] and "1.W" not in history.stats and history.at("0.W", 5)[0] == 1.0
