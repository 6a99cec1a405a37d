"""Layer outputs, PCA, the strongest responses of a channel and activation rows."""

import numpy as np

from playground.mnist.representations import (
    activation_rows,
    channel_strength,
    layer_outputs,
    pca,
    top_activating,
    trace,
)


def test_pca_of_points_on_a_line_finds_the_line():
    t = np.linspace(-1, 1, 11)
    points = np.stack([3 * t, -4 * t, 0 * t], axis=1) + np.array([5.0, 1.0, 2.0])
    coordinates, ratios = pca(points, 2)
    np.testing.assert_allclose(ratios, [1, 0], atol=1e-12)
    np.testing.assert_allclose(np.abs(coordinates[:, 0]), np.abs(5 * t), atol=1e-12)
    np.testing.assert_allclose(coordinates[:, 1], 0, atol=1e-12)


def test_pca_components_keep_their_sign():
    points = np.random.default_rng(0).standard_normal((50, 4)) * [5, 2, 1, 0.1]
    first, _ = pca(points)
    second, _ = pca(points * 1.0 + 0.0)
    np.testing.assert_allclose(first, second)
    assert np.corrcoef(first[:, 0], points[:, 0])[0, 1] > 0.9


def test_channel_strength_is_the_maximum_over_positions():
    activations = np.zeros((2, 3, 4, 4))
    activations[1, 2, 3, 0] = 5
    activations[0, 2, 1, 1] = 2
    assert channel_strength(activations)[:, 2].tolist() == [2, 5]
    assert channel_strength(np.eye(3)).tolist() == np.eye(3).tolist()


def test_top_activating_lists_the_strongest_images_first():
    activations = np.array([[0.1, 3.0], [0.9, 1.0], [0.5, 2.0]])
    assert top_activating(activations, 0, 2).tolist() == [1, 2]
    assert top_activating(activations, 1, 3).tolist() == [0, 2, 1]


def test_layer_outputs_and_rows_agree_with_the_forward_pass(linear_model):
    x = np.random.default_rng(0).random((3, 1, 6, 6))
    expected = x.reshape(3, -1) @ linear_model.layers[1].params["W"]
    np.testing.assert_allclose(layer_outputs(linear_model, x, 1), expected)
    np.testing.assert_allclose(activation_rows(linear_model, x, 0), x.reshape(3, -1))
    outputs = trace(linear_model, x[0])
    assert [o.shape for o in outputs] == [(36,), (10,)]
