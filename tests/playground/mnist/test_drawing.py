"""A drawn digit becomes an MNIST-like image: scaled into 20x20, centred, soft-edged, sized for the model."""

import numpy as np

from playground.mnist.drawing import rasterize, segments


def test_a_vertical_stroke_becomes_a_centred_bar_twenty_pixels_tall():
    image = rasterize([([5, 5], [0, 3])])[0]
    rows = np.flatnonzero(image.max(axis=1) > 0.5)
    cols = np.flatnonzero(image.max(axis=0) > 0.5)
    assert image.shape == (28, 28) and image.max() == 1 and image.min() == 0
    assert rows[0] == 2 and rows[-1] == 25  # 20 pixels, and the pen reaches 2 more at both ends
    assert abs(cols.mean() - 13.5) <= 0.5


def test_up_on_the_canvas_is_up_in_the_image():
    corner = rasterize([([0, 1, 1], [1, 1, 0])])[0]  # a top edge, then down the right side
    assert corner[4:8, 4:8].sum() > 0 and corner[20:24, 4:8].sum() == 0


def test_an_empty_drawing_is_empty_and_14_pixel_models_get_block_averages():
    assert rasterize([]).sum() == 0
    big = rasterize([([0, 1], [0, 1])])
    small = rasterize([([0, 1], [0, 1])], size=14)
    assert small.shape == (1, 14, 14)
    np.testing.assert_allclose(small[0, 3, 4], big[0, 6:8, 8:10].mean())


def test_a_single_click_is_a_dot():
    assert segments([([2.0], [3.0])]).tolist() == [[[2.0, 3.0], [2.0, 3.0]]]
    assert rasterize([([2.0], [3.0])]).sum() > 0
