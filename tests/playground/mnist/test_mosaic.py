"""Tiles laid out row by row with NaN gaps, corners in y-up pixels."""

import numpy as np

from playground.mnist.mosaic import MAP_PIXEL, as_tiles, map_layout, mosaic, tile_centres


def test_tiles_are_laid_out_row_by_row_with_gaps():
    tiles = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    out, corners = mosaic(tiles, columns=2)
    assert out.shape == (5, 5)
    np.testing.assert_array_equal(out[0:2, 3:5], tiles[1])
    np.testing.assert_array_equal(out[3:5, 0:2], tiles[2])
    assert np.isnan(out[2]).all() and np.isnan(out[3:5, 3:5]).all()
    assert corners == [(0, 3), (3, 3), (0, 0)]


def test_dense_outputs_become_one_pixel_tiles():
    assert as_tiles(np.arange(4.0)).shape == (4, 1, 1)
    assert as_tiles(np.zeros((2, 3, 3))).shape == (2, 3, 3)


def test_channel_maps_of_every_size_share_one_scale_so_a_larger_map_is_drawn_larger():
    large, small = np.zeros((8, 26, 26)), np.zeros((16, 13, 13))
    (large_columns, large_pixel), (small_columns, small_pixel) = map_layout(large, 420), map_layout(small, 420)
    assert large_pixel == small_pixel == MAP_PIXEL and large_columns < small_columns
    for tiles, columns in ((large, large_columns), (small, small_columns)):
        assert mosaic(tiles, columns)[0].shape[1] * MAP_PIXEL <= 420
    assert map_layout(np.zeros((10, 1, 1)), 420) == (10, 10)  # a dense layer's units: cells as large as fit


def test_tile_centres_follow_the_mosaic_row_by_row_from_the_top():
    xs, ys = tile_centres(3, columns=2, size=2)
    assert (xs, ys) == ([1.0, 4.0, 1.0], [4.0, 4.0, 1.0])
    _, corners = mosaic(np.zeros((3, 2, 2)), 2)
    assert [(x + 1, y + 1) for x, y in corners] == list(zip(xs, ys, strict=True))
