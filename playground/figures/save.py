"""Figures as files: a Figure of a given pixel size in the project's print style, saved as PNG, SVG or PDF with
the same bytes for the same input (no dates, a fixed SVG id salt)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
DEFAULT_DPI = 150
MAX_PIXELS = 4000  # per side
# Readable on an A4 page at the default 1000 px width and 150 dpi (6.7 in): 9 pt text, 1.5 pt lines.
STYLE = {
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "lines.linewidth": 1.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "nn-playground",  # clip-path ids from this salt, not from a random one
    "pdf.fonttype": 42,  # TrueType: the text stays selectable and editable
    "image.interpolation": "nearest",
}
METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


class FigureError(ValueError):
    """A figure that cannot be made as asked: the message says what to change."""


def render(
    draw: Callable[[Figure], None], fmt: str = "png", size: Sequence[int] = (1000, 700), dpi: int = DEFAULT_DPI
) -> bytes:
    """The bytes of `draw(figure)` drawn on a `size` (width, height) pixel figure at `dpi`, saved as `fmt`.

    PNG files have exactly `size` pixels; SVG and PDF have the same physical size (size / dpi inches).
    """
    import matplotlib
    from matplotlib.figure import Figure

    check_size(size, dpi)
    if fmt not in FORMATS:
        raise FigureError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, layout="constrained")
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt])
    return buffer.getvalue()


def check_size(size: Sequence[int], dpi: float) -> None:
    """Raises FigureError unless size is two whole pixel counts from 100 to MAX_PIXELS and dpi from 50 to 600."""
    if len(size) != 2 or not all(isinstance(n, int) and 100 <= n <= MAX_PIXELS for n in size):
        raise FigureError(f"size must be WIDTHxHEIGHT in pixels, each from 100 to {MAX_PIXELS}, got {size!r}")
    if not 50 <= dpi <= 600:
        raise FigureError(f"dpi must be from 50 to 600, got {dpi!r}")


def rgba_array(pixels: np.ndarray) -> np.ndarray:
    """Packed RGBA pixels (palette.pack_rgba's uint32, any shape) as a (..., 4) uint8 array for imshow."""
    pixels = np.asarray(pixels, dtype=np.uint32)
    return np.stack([(pixels >> shift) & 255 for shift in (0, 8, 16, 24)], axis=-1).astype(np.uint8)


def colormap(name: str, colors: Iterable[str]) -> LinearSegmentedColormap:
    """A matplotlib colormap through `colors` (hex strings, low to high)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list(name, list(colors))


async def ensure_matplotlib() -> None:
    """In the browser, load Pyodide's matplotlib package on first use (the page starts without it); in CPython
    it is installed with the project and this does nothing."""
    if sys.platform == "emscripten" and "matplotlib" not in sys.modules:
        import pyodide_js  # Pyodide's own module, only in the browser

        await pyodide_js.loadPackage("matplotlib")
