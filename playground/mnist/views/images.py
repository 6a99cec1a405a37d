"""Image plots for the MNIST lab: one Bokeh image glyph updated in place, with a grey, viridis or diverging
colour scale, and strips of clickable digits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.palettes import Greys256, Viridis256

from playground.core.palette import diverging_rgba
from playground.mnist.mosaic import mosaic, tile_centres
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


ROW_LABEL_ROOM = 66  # screen pixels left of a strip for its row labels ("channel 15")
TITLE_ROOM = 22  # screen pixels above a titled picture for its title (TITLE_FONT and its padding)
TITLE_FONT, TITLE_CHAR = "11px", 6.5  # a title's font size, and about how wide one of its characters is


class ImagePlot:
    """A bare figure showing one 2-D array; `show(array)` updates it in place, scale from the values unless given.

    `pixel` is the screen size of one array cell. Diverging plots are symmetric around zero. `label()` writes
    text beside the picture, in room left of it or below it.
    """

    def __init__(self, palette: str = "viridis", pixel: int = 4, title: str | None = None) -> None:
        self.palette, self.pixel = palette, pixel
        self.room = (0, 0)  # screen pixels left of and below the picture, for the labels
        self.mapper = LinearColorMapper(palette=PALETTES[palette], nan_color=(0, 0, 0, 0))
        self.source = ColumnDataSource({"image": [np.zeros((1, 1))], "dw": [1], "dh": [1]})
        self.figure = bare_figure(pixel, pixel, x_range=(0, 1), y_range=(0, 1), title=title)
        if title:
            self.figure.title.text_font_size = TITLE_FONT
        self.figure.image("image", x=0, y=0, dw="dw", dh="dh", color_mapper=self.mapper, source=self.source)
        self.labels = ColumnDataSource({"x": [], "y": [], "text": [], "align": []})
        self.figure.text(
            "x", "y", text="text", text_align="align", text_baseline="middle", text_font_size="10px",
            text_color="#444444", source=self.labels,
        )  # fmt: skip

    def label(self, texts: list[str], xs: list[float], ys: list[float], left: int = 0, below: int = 0) -> None:
        """Writes `texts` at (xs, ys) in array cells (y up from the picture's bottom; x < 0 in the room left of it,
        right-aligned, y < 0 in the room below it), with `left` and `below` screen pixels of room; takes effect at
        the next `show`."""
        self.room = (left, below)
        align = ["right" if x < 0 else "center" for x in xs]
        self.labels.data = {"x": list(xs), "y": list(ys), "text": list(texts), "align": align}

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
        left, below = (room / self.pixel for room in self.room)
        # A title takes room above the picture, and at least its own width (in cells either side), so that a small
        # picture (a 14x14 class average) keeps square pixels and its whole title.
        title = self.figure.title.text if self.figure.title else ""
        side = max(0.0, len(title) * TITLE_CHAR - (width + left) * self.pixel) / 2 / self.pixel
        size = (
            max(round((width + left + 2 * side) * self.pixel), 20),
            max(round((height + below) * self.pixel), 20) + (TITLE_ROOM if title else 0),
        )
        self.figure.update(width=size[0], height=size[1])
        self.figure.x_range.update(start=-left - side, end=width + side)
        self.figure.y_range.update(start=-below, end=height)
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

    def show(self, images: np.ndarray, row_labels: Sequence[str] = ()) -> None:
        """images (n, 1, S, S) or (n, S, S); `row_labels` name the rows, left of them."""
        self.count = len(images)
        tiles = np.asarray(images).reshape(-1, *np.shape(images)[-2:]) if self.count else np.full((1, 1, 1), np.nan)
        self.tile = tiles.shape[-1] + 1
        columns = min(self.columns, max(1, len(tiles)))
        ys = tile_centres(len(tiles), columns, tiles.shape[-1])[1][::columns][: len(row_labels)]
        self.plot.label(list(row_labels), [-1.0] * len(ys), ys, left=ROW_LABEL_ROOM if len(row_labels) else 0)
        array, _ = mosaic(tiles, columns)
        self.plot.show(array, 0, 1)

    def _tapped(self, event):
        height = self.plot.source.data["dh"][0]
        col, row = int(event.x // self.tile), int((height - event.y) // self.tile)
        index = row * self.columns + col
        if 0 <= col < self.columns and 0 <= index < self.count:
            self.on_pick(index)
