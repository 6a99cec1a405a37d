"""Small pictures for buttons: SVGs of each dataset for the dataset picker, of each feature's heatmap for the
feature toggles (a PNG inside an SVG, since Bokeh button icons are SVG)."""

import base64
import struct
import zlib

import numpy as np

from nn_core.datasets import DATASETS, VIEW_LIMIT, make_dataset
from playground.core.palette import diverging_rgba, label_colors
from playground.sandbox.heatmaps import feature_maps
from playground.sandbox.state import PlaygroundState

THUMBNAIL_POINTS = 120
FEATURE_RESOLUTION = 24


def dataset_svg(name: str, size: int = 40) -> str:
    """An SVG of `size` pixels square showing THUMBNAIL_POINTS points of dataset `name` in their label colours."""
    data = make_dataset(name, n_points=THUMBNAIL_POINTS, seed=0, train_percent=90)
    colors = label_colors(data.y, data.n_classes)
    scale = size / (2 * VIEW_LIMIT)
    dots = "".join(
        f'<circle cx="{(x1 + VIEW_LIMIT) * scale:.1f}" cy="{(VIEW_LIMIT - x2) * scale:.1f}" r="1.4" fill="{color}"/>'
        for (x1, x2), color in zip(data.x, colors, strict=True)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'aria-hidden="true"><rect width="{size}" height="{size}" fill="#f7f7f7"/>{dots}</svg>'
    )


def all_dataset_svgs(size: int = 40) -> dict[str, str]:
    """{dataset name: SVG} for every dataset."""
    return {name: dataset_svg(name, size) for name in DATASETS}


def png_bytes(pixels: np.ndarray) -> bytes:
    """A PNG file of Bokeh-packed RGBA pixels (ny, nx) uint32, row 0 at the bottom (as the heatmaps store it)."""
    rows = np.flipud(np.asarray(pixels, dtype="<u4")).view(np.uint8).reshape(pixels.shape[0], -1)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)  # filter type 0 before every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def feature_svgs(state: PlaygroundState, size: int = 30) -> dict[str, str]:
    """{feature name: SVG} of every feature's values over the view, on the diverging scale."""
    svgs = {}
    for node, values in feature_maps(FEATURE_RESOLUTION).items():
        data = base64.b64encode(png_bytes(diverging_rgba(values))).decode("ascii")
        svgs[node.removeprefix("in:")] = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" aria-hidden="true">'
            f'<image width="{size}" height="{size}" href="data:image/png;base64,{data}"/></svg>'
        )
    return svgs
