"""PNG files of RGBA pixels, written with the standard library (zlib) alone: pictures small enough to travel inside
HTML as data URIs (the sandbox's button pictures, the glass box's channel maps)."""

import base64
import struct
import zlib

import numpy as np


def png_bytes(pixels: np.ndarray) -> bytes:
    """A PNG file of Bokeh-packed RGBA pixels (ny, nx) uint32, row 0 at the bottom (as the heatmaps store it)."""
    rows = np.flipud(np.asarray(pixels, dtype="<u4")).view(np.uint8).reshape(pixels.shape[0], -1)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)  # filter type 0 before every row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", pixels.shape[1], pixels.shape[0], 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def png_uri(pixels: np.ndarray) -> str:
    """`png_bytes(pixels)` as a "data:image/png;base64,..." URI, for an <img> or an SVG <image>."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(pixels)).decode("ascii")
