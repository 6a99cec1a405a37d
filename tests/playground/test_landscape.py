"""The loss landscape's slice: filter-normalised directions, the path's principal plane, the grid row by row."""

import numpy as np
import pytest

from nn_core import MSE, SGD, build_model
from nn_core.trainer import Trainer
from playground.core import landscape

SPEC = {
    "input_shape": [2],
    "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 1}],
}
CNN = {
    "input_shape": [1, 6, 6],
    "layers": [{"type": "conv2d", "filters": 3, "kernel_size": 3}, {"type": "relu"}, {"type": "flatten"},
               {"type": "dense", "units": 2}],
}  # fmt: skip


def xor_data(n=40):
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (n, 2))
    return x, np.where(x[:, :1] * x[:, 1:] >= 0, 1.0, -1.0)


def test_flat_parameters_round_trip_in_named_params_order():
    model = build_model(SPEC, seed=1)
    vector = landscape.flat_params(model)
    assert vector.shape == (2 * 4 + 4 + 4 * 1 + 1,)
    landscape.set_flat_params(model, vector * 2)
    np.testing.assert_array_equal(model.layers[0].params["W"].ravel(), vector[:8] * 2)
    np.testing.assert_array_equal(model.layers[2].params["b"], vector[-1:] * 2)


@pytest.mark.parametrize("spec", [SPEC, CNN])
def test_random_directions_are_filter_normalised_and_leave_biases_alone(spec):
    model = build_model(spec, seed=1)
    d1, d2 = landscape.random_directions(model, np.random.default_rng(0))
    assert not np.allclose(d1, d2)
    probe = build_model(spec, seed=1)
    landscape.set_flat_params(probe, d1)
    for (name, direction, _), (_, weights, _) in zip(probe.named_params(), model.named_params(), strict=True):
        if name.endswith(".b"):
            assert not direction.any(), name
        elif direction.ndim == 2:  # dense (in, out): per neuron, a column
            np.testing.assert_allclose(np.linalg.norm(direction, axis=0), np.linalg.norm(weights, axis=0))
        else:  # convolution (out, in, kh, kw): per filter
            norms = [np.linalg.norm(direction[k]) for k in range(len(direction))]
            np.testing.assert_allclose(norms, [np.linalg.norm(weights[k]) for k in range(len(weights))])
    same = landscape.random_directions(model, np.random.default_rng(0))
    np.testing.assert_array_equal(same[0], d1)  # seeded: the same slice again


def test_the_trajectory_plane_holds_a_path_that_moved_in_a_plane():
    rng = np.random.default_rng(0)
    centre, u, v = rng.standard_normal((3, 30))
    steps = rng.standard_normal((12, 2)) * [3.0, 1.0]
    path = centre + steps[:, :1] * u + steps[:, 1:] * v
    d1, d2, shares = landscape.trajectory_directions(path, centre)
    assert shares.sum() == pytest.approx(1.0) and shares[0] > shares[1] > 0
    np.testing.assert_allclose([np.linalg.norm(d1), np.linalg.norm(d2)], [1.0, 1.0])
    ab = landscape.coordinates(path, centre, d1, d2)
    np.testing.assert_allclose(centre + ab[:, :1] * d1 + ab[:, 1:] * d2, path, atol=1e-10)


def test_a_path_too_short_for_two_directions_gives_a_zero_one():
    centre = np.zeros(5)
    d1, d2, shares = landscape.trajectory_directions(np.array([[1.0, 0, 0, 0, 0]]), centre)
    assert np.linalg.norm(d1) == pytest.approx(1.0) and not d2.any() and list(shares) == [1.0, 0.0]


def test_the_slice_fills_row_by_row_and_puts_the_networks_weights_back():
    x, y = xor_data()
    model = build_model(SPEC, seed=1)
    before = landscape.flat_params(model)
    d1, d2 = landscape.random_directions(model, np.random.default_rng(0))
    plane = landscape.Slice(before, d1, d2, landscape.grid(1.0, 5), landscape.grid(1.0, 3))
    assert list(plane.alphas) == [-1.0, -0.5, 0.0, 0.5, 1.0] and np.isnan(plane.losses).all()
    plane.compute_rows(model, MSE(), x, y)
    assert plane.rows_done == 1 and not np.isnan(plane.losses[0]).any() and np.isnan(plane.losses[1:]).all()
    plane.compute_rows(model, MSE(), x, y, n_rows=5)
    assert plane.done and not np.isnan(plane.losses).any()
    np.testing.assert_array_equal(landscape.flat_params(model), before)
    assert plane.losses[1, 2] == pytest.approx(MSE().forward(model.forward(x), y))  # (0, 0): the network itself
    probe = build_model(SPEC, seed=1)
    landscape.set_flat_params(probe, plane.weights_at(0.5, -1.0))
    assert plane.losses[0, 3] == pytest.approx(MSE().forward(probe.forward(x), y))


def test_training_runs_downhill_on_its_own_plane():
    x, y = xor_data()
    model = build_model(SPEC, seed=1)
    trainer = Trainer(model, MSE(), SGD(0.1), x, y, batch_size=10, rng=np.random.default_rng(0))
    path = [landscape.flat_params(model)]
    for _ in range(20):
        list(trainer.steps(4))
        path.append(landscape.flat_params(model))
    centre = path[-1]
    d1, d2, _ = landscape.trajectory_directions(np.array(path), centre)
    ab = landscape.coordinates(np.array(path), centre, d1, d2)
    span = float(np.abs(ab).max()) * 1.2
    plane = landscape.Slice(centre, d1, d2, landscape.grid(span, 9), landscape.grid(span, 9))
    plane.compute_rows(model, MSE(), x, y, n_rows=9)
    start = plane.losses[np.abs(plane.betas - ab[0, 1]).argmin(), np.abs(plane.alphas - ab[0, 0]).argmin()]
    assert plane.losses[4, 4] < start  # where training ended is lower than near where it began


def test_a_point_where_the_network_blows_up_is_infinite_not_an_error():
    x, y = xor_data()
    model = build_model(SPEC, seed=1)
    centre = landscape.flat_params(model)
    huge = np.full_like(centre, 1e300)
    plane = landscape.Slice(centre, huge, huge, np.array([0.0, 1e10]), np.array([0.0]))
    plane.compute_rows(model, MSE(), x, y)
    assert np.isfinite(plane.losses[0, 0]) and plane.losses[0, 1] == np.inf


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_a_stack_of_networks_in_one_pass_gives_each_networks_own_loss(monkeypatch, activation):
    x, y = xor_data()
    spec = {"input_shape": [2], "layers": [{"type": "dense", "units": 5, "activation": activation},
                                           {"type": "dense", "units": 3, "activation": activation},
                                           {"type": "dense", "units": 1}]}  # fmt: skip
    model = build_model(spec, seed=2)
    assert all(type(layer) in landscape.STACKABLE for layer in model.layers)
    d1, d2 = landscape.random_directions(model, np.random.default_rng(0))
    values = landscape.grid(1.5, 7)
    stacked = landscape.Slice(landscape.flat_params(model), d1, d2, values, values)
    stacked.compute_rows(model, MSE(), x, y, n_rows=7)
    monkeypatch.setattr(landscape, "STACKABLE", ())  # one network at a time
    alone = landscape.Slice(landscape.flat_params(model), d1, d2, values, values)
    alone.compute_rows(model, MSE(), x, y, n_rows=7)
    np.testing.assert_allclose(stacked.losses, alone.losses, rtol=1e-12)


def test_a_weight_path_keeps_its_ends_when_thinned_and_forgets_what_a_restore_undid(monkeypatch):
    monkeypatch.setattr(landscape, "MAX_PATH", 5)
    path = landscape.WeightPath()
    for epoch in range(8):
        path.record(epoch, np.full(3, float(epoch)))
    path.record(7, np.zeros(3))  # once an epoch
    assert path.epochs[0] == 0 and path.epochs[-1] == 7 and len(path.epochs) <= 5
    path.forget_after(4)
    assert path.epochs[-1] <= 4 and len(path.vectors) == len(path.epochs)
    now = np.full(3, 9.0)
    assert len(path.to(now)) == len(path.epochs) + 1 and len(path.to(path.vectors[-1])) == len(path.epochs)
