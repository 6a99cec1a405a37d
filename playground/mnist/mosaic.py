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


MAP_PIXEL = 3  # screen pixels per cell of every channel map, so a 26x26 map is drawn twice as wide as a 13x13 one
UNIT_COLUMNS = 32  # a dense layer's units: this many 1x1 tiles a row


def map_layout(tiles: np.ndarray, max_width: int) -> tuple[int, int]:
    """(columns, screen pixels per cell) of a layer's tiles (n, h, w) in a mosaic at most `max_width` pixels wide.

    Channel maps share one scale (MAP_PIXEL), larger maps taking fewer columns; a dense layer's units (1x1 tiles)
    are cells as large as fit, at most 10 pixels."""
    count, size = len(tiles), tiles.shape[-1]
    if size == 1:
        columns = min(count, UNIT_COLUMNS)
        return columns, int(np.clip(max_width // (2 * columns), 1, 10))
    return max(1, min(count, (max_width + MAP_PIXEL) // ((size + 1) * MAP_PIXEL))), MAP_PIXEL


def tile_centres(count: int, columns: int, size: int, gap: int = 1) -> tuple[list[float], list[float]]:
    """(xs, ys) of the centres of `count` tiles of `size` cells laid out as `mosaic` lays them (y up)."""
    rows = max(1, -(-count // columns))
    places = [divmod(k, columns) for k in range(count)]
    xs = [col * (size + gap) + size / 2 for _, col in places]
    ys = [(rows - 1 - row) * (size + gap) + size / 2 for row, _ in places]
    return xs, ys
