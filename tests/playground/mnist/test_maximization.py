"""Activation maximization climbs a channel's response; the blur keeps totals."""

import numpy as np

from playground.mnist.maximization import blur, input_gradient, maximize


def test_blur_keeps_a_constant_image_and_spreads_an_impulse():
    assert np.allclose(blur(np.full((1, 5, 5), 0.3)), 0.3)
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1
    blurred = blur(impulse)
    assert blurred[2, 2] == 0.25 and np.isclose(blurred.sum(), 1) and blurred[1, 1] == 1 / 16


def test_the_input_gradient_of_a_conv_channel_matches_finite_differences(small_cnn):
    x = np.random.default_rng(0).random((1, 1, 6, 6))
    response, grad = input_gradient(small_cnn, x, 1, 2)
    eps = 1e-6
    plus, minus = x.copy(), x.copy()
    plus[0, 0, 3, 2] += eps
    minus[0, 0, 3, 2] -= eps
    change = input_gradient(small_cnn, plus, 1, 2)[0] - input_gradient(small_cnn, minus, 1, 2)[0]
    assert abs(change / (2 * eps) - grad[0, 0, 3, 2]) < 1e-6
    assert np.isclose(response, small_cnn.forward_trace(x)[1][0, 2].mean())


def test_maximizing_a_linear_unit_lights_the_pixels_with_positive_weights(linear_model):
    image, response = maximize(linear_model, 1, 5, np.random.default_rng(0), steps=40, jitter=0, blur_every=0)
    weights = linear_model.layers[1].params["W"][:, 5]
    assert image.shape == (1, 6, 6) and image.min() >= 0 and image.max() <= 1
    assert np.all(image.ravel()[weights > 0.2] > 0.9) and np.all(image.ravel()[weights < -0.2] < 0.1)
    assert response > np.clip(weights, 0, None).sum() * 0.9


def test_the_same_generator_seed_gives_the_same_image(small_cnn):
    first, _ = maximize(small_cnn, 0, 1, np.random.default_rng(3), steps=5)
    second, _ = maximize(small_cnn, 0, 1, np.random.default_rng(3), steps=5)
    np.testing.assert_array_equal(first, second)
