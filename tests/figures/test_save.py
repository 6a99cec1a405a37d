"""Figures as files: exact pixel sizes, reproducible bytes, valid SVG, clear errors."""

import numpy as np
import pytest
from figure_checks import assert_valid_svg, png_pixels

from playground.core.palette import pack_rgba
from playground.figures.save import FigureError, render, rgba_array


def _line(figure):
    figure.add_subplot().plot([0, 1, 2], [1, 0, 1], label="a line")


@pytest.mark.parametrize("size", [(400, 300), (1000, 700), (333, 777)])
def test_a_png_has_the_requested_pixels(size):
    assert png_pixels(render(_line, "png", size)).shape[:2] == (size[1], size[0])


def test_svg_is_valid_xml_of_the_same_size_and_the_same_bytes_every_time():
    first = render(_line, "svg", (600, 400))
    assert_valid_svg(first, (600, 400))
    assert render(_line, "svg", (600, 400)) == first
    assert b"<dc:date>" not in first


def test_pdf_and_png_are_reproducible():
    for fmt, magic in (("pdf", b"%PDF"), ("png", b"\x89PNG")):
        first = render(_line, fmt, (500, 300))
        assert first.startswith(magic)
        assert render(_line, fmt, (500, 300)) == first


def test_the_dpi_scales_the_pixels_not_the_page():
    assert png_pixels(render(_line, "png", (600, 400), dpi=300)).shape[:2] == (400, 600)


@pytest.mark.parametrize(
    ("fmt", "size", "dpi", "message"),
    [
        ("gif", (500, 400), 150, "unknown format 'gif'; choose one of png, svg, pdf"),
        ("png", (50, 400), 150, "each from 100 to 4000"),
        ("png", (500, 400.5), 150, "each from 100 to 4000"),
        ("png", (500, 400), 10, "dpi must be from 50 to 600"),
    ],
)
def test_impossible_requests_say_what_to_change(fmt, size, dpi, message):
    with pytest.raises(FigureError, match=message):
        render(_line, fmt, size, dpi)


def test_packed_pixels_unpack_to_their_channels():
    packed = pack_rgba(np.array([[1, 200]]), np.array([[2, 100]]), np.array([[3, 0]]), np.array([[255, 128]]))
    assert rgba_array(packed).tolist() == [[[1, 2, 3, 255], [200, 100, 0, 128]]]
