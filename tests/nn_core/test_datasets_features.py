"""Input features are TensorFlow Playground's, in its order, plus the cosines."""

import numpy as np
import pytest

from nn_core.datasets import DEFAULT_FEATURES, FEATURES, feature_matrix


def test_names_follow_tfp_order_with_cosines_last():
    assert list(FEATURES) == ["x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY", "cosX", "cosY"]
    assert [feature.label for feature in FEATURES.values()][:3] == ["X₁", "X₂", "X₁²"]
    assert DEFAULT_FEATURES == ("x", "y")


def test_all_features_of_one_point():
    x1, x2 = 2.0, -3.0
    expected = [x1, x2, x1 * x1, x2 * x2, x1 * x2, np.sin(x1), np.sin(x2), np.cos(x1), np.cos(x2)]
    assert np.array_equal(feature_matrix(np.array([[x1, x2]]), list(FEATURES)), [expected])


def test_columns_follow_the_order_of_the_names():
    points = np.random.default_rng(0).uniform(-6, 6, (5, 2))
    matrix = feature_matrix(points, ["sinY", "x"])
    assert matrix.shape == (5, 2) and matrix.dtype == np.float64
    assert np.array_equal(matrix, np.column_stack([np.sin(points[:, 1]), points[:, 0]]))


@pytest.mark.parametrize(
    "points, names, message",
    [
        (np.zeros((3, 3)), ["x"], r"points must have shape \(n, 2\), got \(3, 3\)"),
        (np.zeros((3, 2)), [], "switch on at least one feature"),
        (np.zeros((3, 2)), ["x", "tanX"], r"unknown features \['tanX'\]; choose from: x, y, xSquared"),
        (np.zeros((3, 2)), ["x", "x"], "each feature may appear once"),
    ],
)
def test_bad_requests_are_explained(points, names, message):
    with pytest.raises(ValueError, match=message):
        feature_matrix(points, names)
