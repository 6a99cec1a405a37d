"""Colours of the 2-D playground, safe for colour-blind readers: TFP's orange-to-blue diverging scale for
signed values (negative orange, positive blue) and Okabe and Ito's qualitative palette for three or more classes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike  # annotations only: numpy.typing is not a start-up import

NEGATIVE = "#f59322"  # TFP's orange: label -1, negative weights and outputs
NEUTRAL = "#e8eaeb"  # zero
POSITIVE = "#0877bd"  # TFP's blue: label +1, positive weights and outputs
# The same blue and orange darkened for numbers written in them: 6.1:1 and 4.9:1 on the pages' #f7f9fb.
POSITIVE_TEXT, NEGATIVE_TEXT = "#0562a0", "#a85800"
# Okabe & Ito (2008), without black and the yellow that vanishes on white; class k gets CLASS_COLORS[k].
CLASS_COLORS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00"]


def rgb(hex_color: str) -> tuple[int, int, int]:
    """(r, g, b) integers of a "#rrggbb" colour."""
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def sign_colors(values: ArrayLike) -> np.ndarray:
    """A Bokeh colour column for signed values: POSITIVE where a value is > 0, else NEGATIVE, as 32-bit RGBA numbers
    (0xRRGGBBAA), which travel to the page as one binary array where colour names travel as text."""
    positive, negative = (np.uint32(r << 24 | g << 16 | b << 8 | 0xFF) for r, g, b in map(rgb, (POSITIVE, NEGATIVE)))
    return np.where(np.asarray(values) > 0, positive, negative)


def pack_rgba(red: ArrayLike, green: ArrayLike, blue: ArrayLike, alpha: ArrayLike = 255) -> np.ndarray:
    """Bokeh's image_rgba pixels: uint32 arrays from 0..255 channel arrays of one shape (little-endian RGBA)."""
    channels = [np.broadcast_to(np.asarray(c, dtype=np.uint32), np.shape(red)) for c in (red, green, blue, alpha)]
    return channels[0] | channels[1] << 8 | channels[2] << 16 | channels[3] << 24


def diverging_rgba(values: ArrayLike, fade: float = 0.0) -> np.ndarray:
    """Pixels for values in [-1, 1] (clipped): orange at -1, light grey at 0, blue at +1, mixed with white by
    `fade` (0..1) so points drawn on top stay visible; any shape -> uint32 of that shape.

    Values are looked up in a table of DIVERGING_STEPS colours: one indexing per picture instead of
    arithmetic on every pixel's channels (the table's steps are finer than a colour channel's).
    """
    t = np.array(values, dtype=np.float64)  # a copy (also of a single value, 0-d), changed in place below
    np.clip(t, -1, 1, out=t)
    t[np.isnan(t)] = 0  # a diverged network's values: the colour of zero
    return _diverging_table(float(fade))[np.rint((t + 1) * (DIVERGING_STEPS - 1) / 2).astype(np.intp)]


DIVERGING_STEPS = 1021  # odd, so 0 has an entry of its own; > 2 * 255 * 2 keeps every channel exact to +-1


@lru_cache(maxsize=8)
def _diverging_table(fade):
    t = np.linspace(-1, 1, DIVERGING_STEPS)[:, None]
    middle, low, high = (np.array(rgb(c), dtype=np.float64) for c in (NEUTRAL, NEGATIVE, POSITIVE))
    mixed = np.where(t < 0, middle + (low - middle) * -t, middle + (high - middle) * t)
    mixed += (255 - mixed) * fade
    mixed = np.rint(mixed).astype(np.uint32)
    return pack_rgba(mixed[:, 0], mixed[:, 1], mixed[:, 2])


def class_rgba(classes: ArrayLike, confidence: ArrayLike) -> np.ndarray:
    """Pixels for class indices (ny, nx), each class colour faded towards white as confidence (0..1) drops."""
    colors = np.array([rgb(c) for c in CLASS_COLORS], dtype=np.float64)[np.asarray(classes) % len(CLASS_COLORS)]
    strength = 0.15 + 0.6 * np.clip(np.asarray(confidence, dtype=np.float64), 0, 1)[..., None]
    mixed = np.rint(255 + (colors - 255) * strength).astype(np.uint32)
    return pack_rgba(mixed[..., 0], mixed[..., 1], mixed[..., 2])


def label_colors(labels: ArrayLike, n_classes: int) -> np.ndarray:
    """A colour per label: orange/blue for -1/+1, CLASS_COLORS for class indices, the diverging scale for numbers."""
    labels = np.asarray(labels)
    if n_classes == 2:
        return np.where(labels > 0, POSITIVE, NEGATIVE)
    if n_classes > 2:
        return np.array(CLASS_COLORS)[labels.astype(np.int64) % len(CLASS_COLORS)]
    pixels = diverging_rgba(labels)
    return np.array([f"#{p & 255:02x}{p >> 8 & 255:02x}{p >> 16 & 255:02x}" for p in pixels])
