"""Tiles of small images in one array, for views that draw many maps with a single Bokeh image glyph."""

import numpy as np


def mosaic(tiles: np.ndarray, columns: int, gap: int = 1) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """(rows * (h + gap) - gap, columns * (w + gap) - gap) array of tiles (n, h, w), row by row; gaps are NaN
    (drawn transparent). Returns the array and each tile's (x, y) lower-left corner in Bokeh's y-up pixels."""
    n, height, width = tiles.shape
    rows = max(1, -(-n // columns))
    out = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    corners = []
    for k, tile in enumerate(tiles):
        row, col = divmod(k, columns)
        top, left = row * (height + gap), col * (width + gap)
        out[top : top + height, left : left + width] = tile
        corners.append((left, out.shape[0] - top - height))
    return out, corners


def as_tiles(activation: np.ndarray) -> np.ndarray:
    """A layer output as tiles: (C, H, W) as is, (units,) as a column of 1x1 tiles per unit -> (units, 1, 1)."""
    return activation if activation.ndim == 3 else activation.reshape(-1, 1, 1)
