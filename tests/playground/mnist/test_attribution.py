"""Saliency is the gradient of a class score; occlusion is the score lost when a patch is covered."""

import numpy as np

from nn_core import build_model
from playground.mnist.attribution import class_scores, occlusion, occlusion_map, saliency


def test_the_saliency_of_a_linear_model_is_its_weight_column(linear_model):
    image = np.random.default_rng(0).random((1, 6, 6))
    weights = linear_model.layers[1].params["W"]
    np.testing.assert_allclose(saliency(linear_model, image, 3), weights[:, 3].reshape(6, 6))


def test_the_saliency_of_a_cnn_matches_finite_differences(small_cnn):
    image = np.random.default_rng(2).random((1, 6, 6))
    grad = saliency(small_cnn, image, 7)
    eps = 1e-6
    for row, col in [(0, 0), (2, 3), (5, 1)]:
        plus, minus = image.copy(), image.copy()
        plus[0, row, col] += eps
        minus[0, row, col] -= eps
        change = class_scores(small_cnn, plus[None])[0, 7] - class_scores(small_cnn, minus[None])[0, 7]
        assert abs(change / (2 * eps) - grad[row, col]) < 1e-6


def test_occlusion_of_a_linear_model_removes_the_covered_pixels_contribution(linear_model):
    image = np.random.default_rng(0).random((1, 6, 6))
    contribution = image[0] * linear_model.layers[1].params["W"][:, 4].reshape(6, 6)
    drops = occlusion(linear_model, image, 4, patch=2, stride=2)
    assert drops.shape == (3, 3)
    np.testing.assert_allclose(drops[1, 2], contribution[2:4, 4:6].sum())
    assert occlusion(linear_model, image, 4, patch=3, stride=1).shape == (4, 4)


def test_the_coarse_occlusion_map_has_the_fine_maps_shape_and_its_values_where_their_patches_agree():
    model = build_model({"input_shape": [1, 14, 14], "dtype": "float64", "layers": [{"type": "flatten"},
                         {"type": "dense", "units": 10}]}, seed=3)  # fmt: skip
    image = np.random.default_rng(1).random((1, 14, 14))
    fine, coarse = occlusion_map(model, image, 2), occlusion_map(model, image, 2, coarse=True)
    assert fine.shape == coarse.shape == (6, 6)  # patches at 0, 2, ..., 10; coarse ones at 0, 4, 8
    np.testing.assert_allclose(coarse[::2, ::2], fine[::2, ::2])  # the same patch positions
    np.testing.assert_array_equal(coarse[1::2, 1::2], coarse[::2, ::2])  # each drop repeated over its cells
    assert not np.allclose(coarse, fine)
