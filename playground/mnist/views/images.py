"""Image plots for the MNIST lab: one Bokeh image glyph updated in place, with a grey, viridis or diverging
colour scale, and strips of clickable digits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.palettes import Greys256, Viridis256

from playground.core.palette import diverging_rgba
from playground.mnist.mosaic import mosaic
from playground.widgets.styling import bare_figure

if TYPE_CHECKING:
    import bokeh.plotting


def _hex(pixels):
    return [f"#{p & 255:02x}{p >> 8 & 255:02x}{p >> 16 & 255:02x}" for p in pixels]


# TFP's orange (negative) to blue (positive), as in the 2-D playground; black-on-white digits; viridis for
# activations (perceptually uniform).
PALETTES = {
    "grey": list(reversed(Greys256)),
    "viridis": list(Viridis256),
    "diverging": _hex(diverging_rgba(np.linspace(-1, 1, 256))),
}


class ImagePlot:
    """A bare figure showing one 2-D array; `show(array)` updates it in place, scale from the values unless given.

    `pixel` is the screen size of one array cell. Diverging plots are symmetric around zero.
    """

    def __init__(self, palette: str = "viridis", pixel: int = 4, title: str | None = None) -> None:
        self.palette, self.pixel = palette, pixel
        self.mapper = LinearColorMapper(palette=PALETTES[palette], nan_color=(0, 0, 0, 0))
        self.source = ColumnDataSource({"image": [np.zeros((1, 1))], "dw": [1], "dh": [1]})
        self.figure = bare_figure(pixel, pixel, x_range=(0, 1), y_range=(0, 1), title=title)
        self.figure.image("image", x=0, y=0, dw="dw", dh="dh", color_mapper=self.mapper, source=self.source)

    def show(self, array: np.ndarray, low: float | None = None, high: float | None = None) -> None:
        height, width = array.shape
        finite = array[np.isfinite(array)]
        top = float(np.abs(finite).max()) if finite.size else 1.0
        if self.palette == "diverging":
            low, high = -top if low is None else low, top if high is None else high
        elif low is None or high is None:
            low = float(finite.min()) if finite.size and low is None else (low or 0.0)
            high = float(finite.max()) if finite.size and high is None else high
        self.mapper.update(low=low, high=max(high, low + 1e-6))
        self.figure.update(width=max(width * self.pixel, 20), height=max(height * self.pixel, 20))
        self.figure.x_range.update(start=0, end=width)
        self.figure.y_range.update(start=0, end=height)
        self.source.data = {"image": [array[::-1]], "dw": [width], "dh": [height]}


class DigitStrip:
    """Digits side by side (up to `columns` a row); clicking one calls on_pick(its index in the last show)."""

    def __init__(
        self, on_pick: Callable[[int], None], columns: int = 12, pixel: int = 2, title: str | None = None
    ) -> None:
        self.plot = ImagePlot("grey", pixel=pixel, title=title)
        self.columns, self.on_pick, self.count, self.tile = columns, on_pick, 0, 29
        self.plot.figure.on_event(Tap, self._tapped)

    @property
    def figure(self) -> bokeh.plotting.figure:
        return self.plot.figure

    def show(self, images: np.ndarray) -> None:
        """images (n, 1, S, S) or (n, S, S)."""
        self.count = len(images)
        tiles = np.asarray(images).reshape(-1, *np.shape(images)[-2:]) if self.count else np.full((1, 1, 1), np.nan)
        self.tile = tiles.shape[-1] + 1
        array, _ = mosaic(tiles, min(self.columns, max(1, len(tiles))))
        self.plot.show(array, 0, 1)

    def _tapped(self, event):
        height = self.plot.source.data["dh"][0]
        col, row = int(event.x // self.tile), int((height - event.y) // self.tile)
        index = row * self.columns + col
        if 0 <= col < self.columns and 0 <= index < self.count:
            self.on_pick(index)
