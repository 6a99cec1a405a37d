"""Tiles laid out row by row with NaN gaps, corners in y-up pixels."""

import numpy as np

from playground.mnist.mosaic import as_tiles, mosaic


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
