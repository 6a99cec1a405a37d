"""What the figure tests check: decoded PNG pixels, how much two pictures differ, valid SVG."""

import io
import xml.etree.ElementTree as ElementTree

import numpy as np


def png_pixels(data):
    """The (height, width, channels) floats in 0..1 of PNG bytes."""
    from matplotlib.image import imread

    assert data.startswith(b"\x89PNG"), "not a PNG file"
    return imread(io.BytesIO(data), format="png")


def changed_share(first, second):
    """The share of pixels whose colour differs between two same-sized PNGs (0..1)."""
    a, b = png_pixels(first), png_pixels(second)
    assert a.shape == b.shape
    return float(np.mean(np.abs(a - b).max(axis=-1) > 0.02))


def assert_valid_svg(data, size, dpi=150):
    """SVG bytes that parse as XML, with an <svg> root of `size` pixels at `dpi` (in points, as matplotlib writes)."""
    root = ElementTree.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = (float(root.get(key).removesuffix("pt")) for key in ("width", "height"))
    assert (round(width * dpi / 72), round(height * dpi / 72)) == size
    assert len(root) > 2, "an empty picture"
