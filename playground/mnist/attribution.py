"""Which pixels matter for a prediction: saliency (the gradient of a class score) and occlusion maps."""

import numpy as np

from nn_core.model import Sequential
from nn_core.trainer import evaluation_mode


def class_scores(model: Sequential, images: np.ndarray) -> np.ndarray:
    """Scores (logits) of every class for images (N, 1, S, S), in eval mode, as float64; (N, 10)."""
    with evaluation_mode(model):
        return model.forward(images).astype(np.float64)


def saliency(model: Sequential, image: np.ndarray, digit: int) -> np.ndarray:
    """d(score of `digit`)/d(pixel) for one image (1, S, S), through model.backward(input_grad=True); (S, S).

    Overwrites the layers' grads, so call it between training steps, never inside one.
    """
    with evaluation_mode(model):
        scores = model.forward(image[np.newaxis])
        grad_scores = np.zeros_like(scores)
        grad_scores[0, digit] = 1
        return model.backward(grad_scores, input_grad=True)[0, 0].astype(np.float64)


def occlusion(
    model: Sequential, image: np.ndarray, digit: int, patch: int = 4, stride: int = 2, fill: float = 0.0
) -> np.ndarray:
    """How much the score of `digit` drops when a patch x patch square of the image is set to `fill`.

    Returns (rows, cols) drops, one per patch position (top-left corners every `stride` pixels); positive means
    the covered pixels were evidence for the digit. All occluded copies go through the model as one batch.
    """
    size = image.shape[-1]
    corners = range(0, size - patch + 1, stride)
    copies = np.repeat(image[np.newaxis], len(corners) ** 2, axis=0)
    for k, (row, col) in enumerate((r, c) for r in corners for c in corners):
        copies[k, :, row : row + patch, col : col + patch] = fill
    base = class_scores(model, image[np.newaxis])[0, digit]
    return (base - class_scores(model, copies)[:, digit]).reshape(len(corners), len(corners))


def occlusion_map(model: Sequential, image: np.ndarray, digit: int, coarse: bool = False) -> np.ndarray:
    """The occlusion map of 4x4 patches every 2 pixels; with `coarse`, the patches are moved 4 pixels at a time
    (about a quarter of the forward passes, for redraws while training) and each drop is repeated over the finer
    grid's cells, so the map keeps its shape."""
    if not coarse:
        return occlusion(model, image, digit)
    drops = occlusion(model, image, digit, stride=4)
    cells = len(range(0, image.shape[-1] - 4 + 1, 2))
    return np.repeat(np.repeat(drops, 2, axis=0), 2, axis=1)[:cells, :cells]
