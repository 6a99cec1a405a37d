"""PNG files of RGBA pixels: row 0 of the pixels at the bottom of the picture, and as a data URI."""

import numpy as np
from png_file import decode_png, decode_uri

from playground.core.palette import NEGATIVE, POSITIVE, diverging_rgba, rgb
from playground.core.png import png_bytes, png_uri


def test_png_bytes_put_the_heatmaps_first_row_at_the_bottom():
    values = np.array([[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]])  # row 0 (bottom) orange, row 1 (top) blue
    width, height, rows = decode_png(png_bytes(diverging_rgba(values)))
    assert (width, height) == (3, 2)
    assert tuple(rows[0][:3]) == rgb(POSITIVE) and tuple(rows[1][:3]) == rgb(NEGATIVE)


def test_the_data_uri_holds_the_same_file():
    pixels = diverging_rgba(np.array([[0.5, -0.5]]))
    assert png_uri(pixels).startswith("data:image/png;base64,")
    assert decode_uri(png_uri(pixels)) == decode_png(png_bytes(pixels))


def test_values_past_the_scale_take_its_ends_and_values_that_are_no_number_the_colour_of_zero():
    values = np.array([[np.nan, np.inf, -np.inf], [0.0, 7.0, -7.0]])
    pixels = diverging_rgba(values)
    assert pixels.shape == (2, 3) and list(pixels[0]) == list(pixels[1])
    assert diverging_rgba(np.float64(np.nan)) == diverging_rgba(0.0) and np.ndim(diverging_rgba(0.5)) == 0
    assert values[0, 0] != values[0, 0]  # the caller's values are left as they were
