"""The generated 2D problems follow TensorFlow Playground's sizes, labels, noise and train/test split."""

import numpy as np
import pytest

from nn_core.datasets import (
    CLASSIFICATION,
    DATASETS,
    REGRESSION,
    class_indices,
    class_labels,
    make_dataset,
)

CLASSIFICATION_SETS = [name for name, info in DATASETS.items() if info.kind == CLASSIFICATION]
# Sets whose class sizes are fixed by construction; the others label uniformly scattered points.
EXACTLY_BALANCED = ["circle", "gauss", "spiral", "moons", "spiral3", "spiral5", "blobs4"]


def test_registry_lists_tfp_sets_and_ours_with_consistent_metadata():
    assert list(DATASETS)[:4] == ["circle", "xor", "gauss", "spiral"]
    assert {"reg-plane", "reg-gauss", "moons", "checkerboard", "spiral3", "spiral5", "blobs4"} <= set(DATASETS)
    for info in DATASETS.values():
        assert (info.kind == REGRESSION) == (info.n_classes == 0)
    assert [DATASETS[name].n_classes for name in ("spiral3", "spiral5", "blobs4")] == [3, 5, 4]
    assert len({info.display_name for info in DATASETS.values()}) == len(DATASETS)


@pytest.mark.parametrize("name", DATASETS)
def test_shapes_dtypes_and_default_sizes(name):
    data = make_dataset(name)
    n = 500 if data.kind == CLASSIFICATION else 1200
    assert data.x.shape == (n, 2) and data.x.dtype == np.float64
    assert data.y.shape == (n,)
    assert data.y.dtype == (np.int64 if data.n_classes > 2 else np.float64)
    assert make_dataset(name, n_points=101).x.shape == (101, 2)


@pytest.mark.parametrize("name", DATASETS)
def test_points_lie_in_the_view_without_noise(name):
    assert np.abs(make_dataset(name, noise=0).x).max() <= 6


@pytest.mark.parametrize("name", CLASSIFICATION_SETS)
def test_every_class_appears_with_its_labels(name):
    data = make_dataset(name, noise=30)
    assert set(np.unique(data.y)) == set(class_labels(data.n_classes))
    counts = np.unique(class_indices(data.y, data.n_classes), return_counts=True)[1]
    assert counts.min() > 0.8 * len(data.y) / data.n_classes


@pytest.mark.parametrize("name", EXACTLY_BALANCED)
def test_balanced_sets_split_points_evenly_between_classes(name):
    data = make_dataset(name, n_points=503)
    counts = np.unique(class_indices(data.y, data.n_classes), return_counts=True)[1]
    assert counts.sum() == 503 and counts.max() - counts.min() <= 1


def test_class_indices_turn_tfp_labels_into_0_and_1():
    assert class_indices(np.array([1.0, -1.0, 1.0]), 2).tolist() == [1, 0, 1]
    assert class_indices(np.array([2, 0, 1]), 3).tolist() == [2, 0, 1]


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_data_other_seed_other_data(name):
    first, again, other = (make_dataset(name, noise=20, seed=seed) for seed in (7, 7, 8))
    assert np.array_equal(first.x, again.x) and np.array_equal(first.y, again.y)
    assert not np.array_equal(first.x, other.x)


@pytest.mark.parametrize("train_percent", [10, 33, 50, 90])
def test_split_cuts_floor_of_the_percentage_into_disjoint_sets(train_percent):
    data = make_dataset("xor", n_points=301, train_percent=train_percent)
    n_train = 301 * train_percent // 100
    assert len(data.x_train) == len(data.y_train) == n_train
    assert len(data.x_test) == len(data.y_test) == 301 - n_train
    assert not set(map(tuple, data.x_train)) & set(map(tuple, data.x_test))


def test_circle_and_xor_noise_flips_labels_but_keeps_points():
    for name, truth in [
        ("circle", lambda x: np.hypot(x[:, 0], x[:, 1]) < 2.5),
        ("xor", lambda x: x[:, 0] * x[:, 1] >= 0),
    ]:
        clean, noisy = make_dataset(name, noise=0), make_dataset(name, noise=50)
        assert np.array_equal(clean.y > 0, truth(clean.x))
        assert 0.05 < np.mean((noisy.y > 0) != truth(noisy.x)) < 0.5
        assert np.abs(noisy.x).max() <= 6


def test_spiral_noise_moves_points_by_at_most_half_a_unit():
    clean, noisy = make_dataset("spiral", noise=0, seed=3), make_dataset("spiral", noise=50, seed=3)
    offset = np.abs(noisy.x - clean.x).max()
    assert 0.4 < offset <= 0.5
    assert np.array_equal(clean.y, noisy.y)


@pytest.mark.parametrize("noise, variance", [(0, 0.5), (50, 4.0)])
def test_gaussian_noise_widens_the_variance_as_tfp(noise, variance):
    data = make_dataset("gauss", n_points=4000, noise=noise)
    positive = data.x[data.y > 0]
    assert np.allclose(positive.mean(axis=0), 2, atol=0.15)
    assert np.allclose(positive.var(axis=0), variance, rtol=0.1)


def test_checkerboard_is_the_sign_of_sin_x1_times_sin_x2():
    data = make_dataset("checkerboard")
    assert np.array_equal(data.y > 0, np.sin(data.x[:, 0]) * np.sin(data.x[:, 1]) >= 0)


def test_regression_targets_follow_tfp_formulas_without_noise():
    plane = make_dataset("reg-plane")
    assert np.allclose(plane.y, plane.x.sum(axis=1) / 10)
    assert not np.allclose(make_dataset("reg-plane", noise=10).y, plane.y)
    bumps = make_dataset("reg-gauss")
    near = np.hypot(bumps.x[:, 0], bumps.x[:, 1] - 2.5) < 2  # the negative bump at (0, 2.5)
    distance = np.hypot(bumps.x[near, 0], bumps.x[near, 1] - 2.5)
    assert np.allclose(bumps.y[near], -(1 - distance / 2))
    assert np.abs(bumps.y).max() <= 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"name": "spirals"}, "unknown dataset 'spirals'; choose one of: circle, xor"),
        ({"n_points": 5}, "n_points must be a whole number from 10 to 5000, got 5"),
        ({"n_points": 5001}, "got 5001"),
        ({"n_points": 100.5}, "got 100.5"),
        ({"noise": 51}, "noise must be a number from 0 to 50, got 51"),
        ({"noise": float("nan")}, "got nan"),
        ({"train_percent": 95}, "train_percent must be a number from 10 to 90, got 95"),
        ({"seed": -1}, "seed must be a whole number from 0"),
    ],
)
def test_bad_arguments_say_what_was_given_and_what_is_allowed(arguments, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        make_dataset(**{"name": "circle", **arguments})
