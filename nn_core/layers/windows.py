"""Sliding windows over images and their adjoint, shared by convolution and pooling."""

import functools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import SpecError


def sliding_windows(x, kernel_h, kernel_w, stride):
    """A view (no copy) of every window: x (N, C, H, W) -> (N, C, H_out, W_out, kernel_h, kernel_w)."""
    return sliding_window_view(x, (kernel_h, kernel_w), axis=(2, 3))[:, :, ::stride, ::stride]


@functools.lru_cache(maxsize=64)
def window_rows(channels, height, width, kernel, stride):
    """Where each window's elements sit in a flattened (C, H, W) example: (H_out * W_out, C * kernel^2).

    Rows run over window positions (out_y, out_x), columns over (channel, ky, kx). Gathering with this
    index builds im2col in one fancy-indexing pass, which beat reshaping the strided window view both in
    CPython and in Pyodide (see docs/benchmarks.md); the index is computed once per shape.
    """
    out_h, out_w = (height - kernel) // stride + 1, (width - kernel) // stride + 1
    c, ky, kx, oy, ox = np.ix_(range(channels), range(kernel), range(kernel), range(out_h), range(out_w))
    flat = c * height * width + (oy * stride + ky) * width + (ox * stride + kx)
    rows = np.ascontiguousarray(flat.reshape(channels * kernel * kernel, out_h * out_w).T)
    rows.flags.writeable = False  # shared by every caller with this shape
    return rows


def scatter_windows(grad_windows, input_shape, stride):
    """Adds window gradients back where the windows were cut: (N, C, H_out, W_out, kh, kw) -> input_shape.

    This is the adjoint of sliding_windows: overlapping windows add up. Looping over the kh*kw kernel
    offsets keeps each addition a large vectorized slice instead of one tiny add per window.
    """
    _, _, out_h, out_w, kernel_h, kernel_w = grad_windows.shape
    grad_x = np.zeros(input_shape, dtype=grad_windows.dtype)
    for i in range(kernel_h):
        for j in range(kernel_w):
            grad_x[:, :, i : i + stride * out_h : stride, j : j + stride * out_w : stride] += grad_windows[
                :, :, :, :, i, j
            ]
    return grad_x


def window_count(size, kernel, stride, field):
    """How many windows fit along one axis of length size; raises SpecError naming field if none does."""
    if kernel > size:
        raise SpecError(f"'{field}' {kernel} is bigger than its input ({size} pixels after padding)")
    return (size - kernel) // stride + 1
