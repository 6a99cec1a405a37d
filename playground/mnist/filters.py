"""What a network has learned to look for: its convolution kernels and, in an MLP, the first dense layer's weights
as images (the Filters view and the filters figure draw these)."""

import numpy as np

from nn_core.model import Sequential

MAX_DENSE_IMAGES = 64


def weight_images(model: Sequential, layer_titles: dict[int, str]) -> dict[str, tuple[np.ndarray, int]]:
    """{title: (tiles (n, h, w), columns)}: every convolution's kernels, a tile per filter and input channel, and
    the first dense layer's weights of up to MAX_DENSE_IMAGES neurons when it reads the pixels directly; each
    titled after its layer's name in `layer_titles` {model layer: title} (architecture.layer_titles)."""
    images = {}
    for index, layer in enumerate(model.layers):
        weights = layer.params.get("W")
        if layer.type_name == "conv2d":
            filters, channels = weights.shape[:2]
            tiles = weights.reshape(filters * channels, *weights.shape[2:])
            inputs = f"{channels} input channel{'s' if channels > 1 else ''}"
            images[f"{layer_titles[index]}: {filters} filters × {inputs}"] = (tiles, max(channels, 8))
        elif layer.type_name == "dense" and layer.input_shape[0] == np.prod(model.input_shape) and index == 1:
            units = min(weights.shape[1], MAX_DENSE_IMAGES)
            tiles = weights[:, :units].T.reshape(units, *model.input_shape[1:])
            images[f"{layer_titles[index]}: weights of the first {units} neurons"] = (tiles, 16)
    return images
