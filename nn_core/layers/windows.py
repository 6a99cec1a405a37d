"""Windows over NCHW images: cutting them out and adding gradients back, shared by convolution and pooling."""

import functools

import numpy as np

from .base import SpecError


def kernel_offsets(kernel_h, kernel_w, out_h, out_w, stride):
    """Yields, for each kernel offset (ky, kx), the index picking that element of every window at once.

    x[index] is (N, C, out_h, out_w): element (ky, kx) of each window. Looping over the few kernel offsets
    keeps every operation a large vectorized slice instead of one tiny operation per window.
    """
    for ky in range(kernel_h):
        for kx in range(kernel_w):
            rows = slice(ky, ky + stride * (out_h - 1) + 1, stride)
            columns = slice(kx, kx + stride * (out_w - 1) + 1, stride)
            yield (ky, kx), (slice(None), slice(None), rows, columns)


@functools.lru_cache(maxsize=64)
def window_index(channels, height, width, kernel, stride):
    """Where window elements sit in a flattened (C, H, W) example: (C * kernel^2, H_out * W_out).

    Rows run over (channel, ky, kx) like a filter's axes, columns over window positions (out_y, out_x).
    np.take with it builds im2col in one pass (see docs/benchmarks.md for why this layout). Computed once
    per shape and shared, so read-only.
    """
    out_h, out_w = (height - kernel) // stride + 1, (width - kernel) // stride + 1
    c, ky, kx, oy, ox = np.ix_(range(channels), range(kernel), range(kernel), range(out_h), range(out_w))
    index = (c * height * width + (oy * stride + ky) * width + (ox * stride + kx)).reshape(-1, out_h * out_w)
    index.flags.writeable = False
    return index


def scatter_windows(grad_windows, input_shape, stride):
    """Adds window gradients back where the windows were cut: (N, C, kh, kw, H_out, W_out) -> input_shape.

    The adjoint of cutting windows: where windows overlap, their gradients add up.
    """
    _, _, kernel_h, kernel_w, out_h, out_w = grad_windows.shape
    grad_x = np.zeros(input_shape, dtype=grad_windows.dtype)
    for (ky, kx), index in kernel_offsets(kernel_h, kernel_w, out_h, out_w, stride):
        grad_x[index] += grad_windows[:, :, ky, kx]
    return grad_x


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
