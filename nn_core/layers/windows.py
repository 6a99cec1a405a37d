"""Windows over NCHW images: cutting them out and adding gradients back, shared by convolution and pooling."""

import numpy as np

from .base import SpecError


def kernel_offsets(kernel_h, kernel_w, out_h, out_w, stride):
    """Yields, for each kernel offset (ky, kx), the slices (rows, columns) picking that element of every window.

    x[..., rows, columns] of an image x (..., H, W) is (..., out_h, out_w): element (ky, kx) of each window.
    Looping over the few kernel offsets keeps every operation a large vectorized slice instead of one tiny
    operation per window.
    """
    for ky in range(kernel_h):
        for kx in range(kernel_w):
            rows = slice(ky, ky + stride * (out_h - 1) + 1, stride)
            columns = slice(kx, kx + stride * (out_w - 1) + 1, stride)
            yield (ky, kx), (rows, columns)


def cut_windows(x, kernel, stride, out_h, out_w):
    """Every kernel x kernel window of x (N, C, H, W), one a column: (C * kernel^2, out_h * out_w * N).

    Rows run over (channel, ky, kx) like a filter's axes, columns over (out_y, out_x, example), so a
    convolution of the whole batch is one matrix product W (filters, C * kernel^2) @ columns (im2col).
    Filled one kernel offset at a time: element (ky, kx) of every window is one strided slice of x, taken
    with the examples last, where each slice's rows are long runs of memory (out_w * N numbers).
    """
    n, channels = x.shape[:2]
    columns = np.empty((channels, kernel, kernel, out_h, out_w, n), x.dtype)
    examples_last = np.ascontiguousarray(x.transpose(1, 2, 3, 0))  # (C, H, W, N)
    for (ky, kx), (rows, cols) in kernel_offsets(kernel, kernel, out_h, out_w, stride):
        columns[:, ky, kx] = examples_last[:, rows, cols]
    return columns.reshape(channels * kernel * kernel, -1)


def scatter_windows(grad_columns, input_shape, stride):
    """Adds window gradients back where cut_windows cut them: (C, kh, kw, H_out, W_out, N) -> input_shape (NCHW).

    The adjoint of cutting windows: where windows overlap, their gradients add up.
    """
    channels, kernel_h, kernel_w, out_h, out_w, n = grad_columns.shape
    grad_x = np.zeros((channels, *input_shape[2:], n), dtype=grad_columns.dtype)  # (C, H, W, N), as the columns
    for (ky, kx), (rows, cols) in kernel_offsets(kernel_h, kernel_w, out_h, out_w, stride):
        grad_x[:, rows, cols] += grad_columns[:, ky, kx]
    return np.ascontiguousarray(grad_x.transpose(3, 0, 1, 2))


def image_shape(input_shape):
    """input_shape as (channels, height, width); raises SpecError for any other per-example shape."""
    if len(input_shape) != 3:
        raise SpecError(f"expects an image input (channels, height, width), got {tuple(input_shape)}")
    return tuple(input_shape)


def window_count(size, kernel, stride, field):
    """How many windows fit along one axis of length size; raises SpecError naming field if none does."""
    if kernel > size:
        raise SpecError(f"'{field}' {kernel} is bigger than its input ({size} pixels after padding)")
    return (size - kernel) // stride + 1
