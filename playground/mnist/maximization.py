"""Activation maximization: the input a channel responds to most, by gradient ascent from faint noise.

Regularized as in Olah et al.'s feature visualization: each step looks at a randomly shifted (jittered) copy,
and the image is blurred every few steps, so high-frequency noise that merely games the gradient fades.
"""

import numpy as np

from nn_core.model import Sequential
from nn_core.trainer import evaluation_mode


def input_gradient(model: Sequential, x: np.ndarray, layer: int, channel: int) -> tuple[float, np.ndarray]:
    """(mean response of `channel` of layer `layer` per image, the gradient of its sum w.r.t. x (N, 1, S, S)).

    The response of an image is the channel's mean over positions, back-propagated through the layers up to it.

    Uses only the layers' public forward/backward; overwrites their grads, so call it between training steps.
    """
    with evaluation_mode(model):
        outputs = x.astype(model.dtype)
        for stage in model.layers[: layer + 1]:
            outputs = stage.forward(outputs)
        grad = np.zeros_like(outputs)
        grad[:, channel] = 1 / np.prod(outputs.shape[2:], dtype=np.int64)  # d(mean over the channel's positions)
        for stage in reversed(model.layers[: layer + 1]):
            grad = stage.backward(grad)
    return float(outputs[:, channel].mean()), grad


def blur(image: np.ndarray) -> np.ndarray:
    """A 3x3 binomial blur of (..., S, S), edges repeated."""
    padded = np.pad(image, [(0, 0)] * (image.ndim - 2) + [(1, 1), (1, 1)], mode="edge")
    rows = (padded[..., :-2, :] + 2 * padded[..., 1:-1, :] + padded[..., 2:, :]) / 4
    return (rows[..., :-2] + 2 * rows[..., 1:-1] + rows[..., 2:]) / 4


def maximize(
    model: Sequential,
    layer: int,
    channel: int,
    rng: np.random.Generator,
    steps: int = 60,
    step_size: float = 0.1,
    jitter: int = 2,
    blur_every: int = 4,
) -> tuple[np.ndarray, float]:
    """The image (1, S, S) in [0, 1] that gradient ascent finds for `channel` of `layer`, and its final response.

    Starts from grey noise drawn from `rng`; each step normalizes the gradient (so step_size is in pixel units),
    ascends it on a copy shifted by up to `jitter` pixels, shifts back and clips to [0, 1].
    """
    size = model.input_shape[-1]
    image = 0.5 + 0.05 * rng.standard_normal((1, 1, size, size))
    for step in range(steps):
        dy, dx = rng.integers(-jitter, jitter + 1, size=2)
        shifted = np.roll(image, (dy, dx), axis=(2, 3))
        _, grad = input_gradient(model, shifted, layer, channel)
        grad = np.roll(grad.astype(np.float64), (-dy, -dx), axis=(2, 3))
        image = np.clip(image + step_size * grad / (np.abs(grad).max() + 1e-12), 0, 1)
        if blur_every and (step + 1) % blur_every == 0:
            image = blur(image)
    response, _ = input_gradient(model, image, layer, channel)
    return image[0], response
