"""Button pictures: each feature's heatmap as a PNG inside an SVG, row 0 of the heatmap at the bottom."""

import base64
import re
import struct
import zlib

import numpy as np

from playground.core.palette import NEGATIVE, POSITIVE, diverging_rgba, rgb
from playground.sandbox.state import FEATURES, PlaygroundState
from playground.sandbox.thumbnails import feature_svgs, png_bytes


def decode_png(data):
    """(width, height, rows of RGBA bytes) of an unfiltered 8-bit RGBA PNG with a single IDAT chunk."""
    width, height = struct.unpack(">II", data[16:24])
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    raw = zlib.decompress(data[start : start + length])
    rows = [raw[r * (4 * width + 1) + 1 : (r + 1) * (4 * width + 1)] for r in range(height)]
    return width, height, rows


def test_png_bytes_put_the_heatmaps_first_row_at_the_bottom():
    values = np.array([[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]])  # row 0 (bottom) orange, row 1 (top) blue
    width, height, rows = decode_png(png_bytes(diverging_rgba(values)))
    assert (width, height) == (3, 2)
    assert tuple(rows[0][:3]) == rgb(POSITIVE) and tuple(rows[1][:3]) == rgb(NEGATIVE)


def test_every_feature_has_a_picture_of_its_values():
    svgs = feature_svgs(PlaygroundState())
    assert svgs.keys() == FEATURES.keys()
    data = base64.b64decode(re.search(r"base64,([^\"]+)", svgs["x"]).group(1))
    width, _, rows = decode_png(data)
    assert tuple(rows[0][:3]) == rgb(NEGATIVE) and tuple(rows[0][-4:-1]) == rgb(POSITIVE)  # x runs left to right
