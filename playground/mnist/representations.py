"""What a layer makes of digits: its outputs, their PCA, the digits a channel likes best, activation rows."""

import numpy as np

from nn_core.model import Sequential
from nn_core.trainer import evaluation_mode

BATCH = 500


def layer_outputs(model: Sequential, x: np.ndarray, layer: int) -> np.ndarray:
    """Output of layer `layer` for digits x (N, 1, S, S), batch by batch in eval mode; (N, *layer shape)."""
    with evaluation_mode(model):
        parts = [model.forward_trace(x[start : start + BATCH])[layer] for start in range(0, len(x), BATCH)]
    return np.concatenate([part.copy() for part in parts])


def trace(model: Sequential, image: np.ndarray) -> list[np.ndarray]:
    """Every layer's output for one image (1, S, S), in eval mode: list of per-example arrays (layer shapes)."""
    with evaluation_mode(model):
        return [output[0].copy() for output in model.forward_trace(image[np.newaxis])]


def pca(activations: np.ndarray, n_components: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Principal components by SVD of centred rows: (coordinates (N, k), explained variance ratios (k,)).

    activations (N, ...) are flattened per row; the sign of each component is fixed so that its largest
    loading is positive, which keeps the picture from flipping between redraws.
    """
    rows = activations.reshape(len(activations), -1).astype(np.float64)
    centred = rows - rows.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:n_components]
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    components = components * signs[:, np.newaxis]
    variance = singular**2
    ratios = variance[:n_components] / variance.sum() if variance.sum() > 0 else np.zeros(len(components))
    return centred @ components.T, ratios


def channel_strength(activations: np.ndarray) -> np.ndarray:
    """Per image and channel, the strongest response: max over positions of (N, C, H, W), or (N, units) as is."""
    return activations.reshape(*activations.shape[:2], -1).max(axis=2) if activations.ndim == 4 else activations


def top_activating(activations: np.ndarray, channel: int, count: int) -> np.ndarray:
    """Indices of the `count` images whose channel `channel` responds most strongly, strongest first."""
    strength = channel_strength(activations)[:, channel]
    return np.argsort(-strength, kind="stable")[:count]


def activation_rows(model: Sequential, images: np.ndarray, layer: int) -> np.ndarray:
    """The outputs of a dense layer's neurons for each image: (len(images), units), a row per image."""
    return layer_outputs(model, images, layer).reshape(len(images), -1)
