"""Reading back the PNG files playground/core/png.py writes, for tests that look at their pixels."""

import base64
import struct
import zlib


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGBA bytes) of an unfiltered 8-bit RGBA PNG with a single IDAT chunk."""
    width, height = struct.unpack(">II", data[16:24])
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    raw = zlib.decompress(data[start : start + length])
    rows = [raw[r * (4 * width + 1) + 1 : (r + 1) * (4 * width + 1)] for r in range(height)]
    return width, height, rows


def decode_uri(uri: str) -> tuple[int, int, list[bytes]]:
    """`decode_png` of a "data:image/png;base64,..." URI."""
    return decode_png(base64.b64decode(uri.removeprefix("data:image/png;base64,")))
