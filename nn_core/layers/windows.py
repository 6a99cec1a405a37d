"""Sliding windows over images and their adjoint, shared by convolution and pooling."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import SpecError


def sliding_windows(x, kernel_h, kernel_w, stride):
    """A view (no copy) of every window: x (N, C, H, W) -> (N, C, H_out, W_out, kernel_h, kernel_w)."""
    return sliding_window_view(x, (kernel_h, kernel_w), axis=(2, 3))[:, :, ::stride, ::stride]


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
