"""A digit drawn with mouse or finger, as MNIST would have it: strokes scaled into a 20x20 box, rendered with
a soft pen on a 28x28 grid, centred by centre of mass (LeCun et al.'s preparation), then sized for the model.
"""

from collections.abc import Sequence

import numpy as np

BOX = 20  # MNIST scales each digit's bounding box into 20x20 pixels
PEN = 1.2  # pen radius in pixels of the 28x28 grid; full ink inside, fading over one pixel
SUPERSAMPLE = 3  # samples per pixel side, for smooth edges


def segments(strokes: Sequence[tuple[Sequence[float], Sequence[float]]]) -> np.ndarray:
    """(K, 2, 2) line segments ((x0, y0), (x1, y1)) of strokes given as lists of (xs, ys); dots become points."""
    parts = []
    for xs, ys in strokes:
        points = np.column_stack([xs, ys]).astype(np.float64)
        if len(points) == 1:
            points = np.repeat(points, 2, axis=0)
        parts.append(np.stack([points[:-1], points[1:]], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 2, 2))


def rasterize(strokes: Sequence[tuple[Sequence[float], Sequence[float]]], size: int = 28) -> np.ndarray:
    """The drawn digit as an image (1, size, size) in [0, 1]; strokes in canvas units, y pointing up.

    An empty drawing gives an empty image.
    """
    lines = segments(strokes)
    image = np.zeros((28, 28))
    if len(lines):
        points = lines.reshape(-1, 2)
        low, high = points.min(axis=0), points.max(axis=0)
        scale = BOX / max((high - low).max(), 1e-9)
        # canvas -> pixel columns and rows (rows grow downwards), the box centred on the 28x28 grid
        centre = (low + high) / 2
        lines = (lines - centre) * scale * np.array([1, -1]) + 14
        image = _ink(lines)
        image = _centre_of_mass(image)
    if size == 14:
        image = image.reshape(14, 2, 14, 2).mean(axis=(1, 3))
    return image[np.newaxis]


def _ink(lines):
    """Ink of every 28x28 pixel: the supersampled share of its area within PEN (+1 fading) of a segment."""
    n = 28 * SUPERSAMPLE
    coords = (np.arange(n) + 0.5) / SUPERSAMPLE
    px, py = np.meshgrid(coords, coords)
    samples = np.column_stack([px.ravel(), py.ravel()])
    start, direction = lines[:, 0], lines[:, 1] - lines[:, 0]
    length2 = np.maximum((direction**2).sum(axis=1), 1e-12)
    t = np.clip(((samples[:, None] - start) * direction).sum(axis=2) / length2, 0, 1)
    nearest = start + t[..., None] * direction
    distance = np.sqrt(((samples[:, None] - nearest) ** 2).sum(axis=2)).min(axis=1)
    ink = np.clip(PEN + 1 - distance, 0, 1).reshape(n, n)
    return ink.reshape(28, SUPERSAMPLE, 28, SUPERSAMPLE).mean(axis=(1, 3))


def _centre_of_mass(image):
    """The image shifted by whole pixels so that its centre of mass sits at the grid's centre."""
    rows, cols = np.indices(image.shape)
    total = image.sum()
    shift = [int(round(14 - 0.5 - (axis * image).sum() / total)) for axis in (rows, cols)]
    return np.roll(image, shift, axis=(0, 1))
