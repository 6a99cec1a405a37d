"""Convolution as a textbook writes it: each output pixel is one window of the input dotted with a filter.

The reference for Conv2D (its im2col layout is fast but hard to read; tests check the two equal) and the
convolution of exported models (nn_core/export.py copies these functions' source into the exported file),
so these functions use numpy alone and nothing else from nn_core. Shapes as Conv2D's: x (N, C, H, W),
W (filters, C, k, k), b (filters,), y and grad_y (N, filters, H_out, W_out).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_padding(size: int, kernel_size: int, stride: int, padding: str) -> tuple[int, int]:
    """(before, after) zeros along an axis of length size: none for "valid"; for "same" enough for
    ceil(size / stride) outputs, an odd total putting the extra one after (TensorFlow's rule)."""
    if padding == "valid":
        return 0, 0
    total = max((-(-size // stride) - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def conv2d_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int = 1, padding: str = "valid") -> np.ndarray:
    """y[n, f, i, j] = b[f] + sum over c, dy, dx of x_padded[n, c, i*stride + dy, j*stride + dx] * W[f, c, dy, dx]."""
    k = W.shape[2]
    x = np.pad(x, ((0, 0), (0, 0), *(conv_padding(size, k, stride, padding) for size in x.shape[2:])))
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, H_out, W_out, k, k)
    # Each window against each filter, summed over (c, dy, dx): (N, H_out, W_out, filters) -> NCHW.
    return (np.tensordot(windows, W, axes=([1, 4, 5], [1, 2, 3])) + b).transpose(0, 3, 1, 2)


def conv2d_backward(
    x: np.ndarray, W: np.ndarray, grad_y: np.ndarray, stride: int = 1, padding: str = "valid"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gradients of conv2d_forward given grad_y = dLoss/dy: (grad_x, grad_W, grad_b), shaped like x, W, b."""
    k = W.shape[2]
    (top, bottom), (left, right) = pads = [conv_padding(size, k, stride, padding) for size in x.shape[2:]]
    x = np.pad(x, ((0, 0), (0, 0), *pads))
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, H_out, W_out, k, k)
    # W[f, c, dy, dx] met windows[n, c, i, j, dy, dx] in output y[n, f, i, j], for every n, i, j.
    grad_W = np.tensordot(grad_y, windows, axes=([0, 2, 3], [0, 2, 3]))
    grad_b = grad_y.sum(axis=(0, 2, 3))
    grad_x = np.zeros_like(x)
    for i in range(grad_y.shape[2]):
        for j in range(grad_y.shape[3]):
            # Output (i, j) saw one window: it sends grad_y * W back there, and overlapping windows add up.
            window = (slice(None), slice(None), slice(i * stride, i * stride + k), slice(j * stride, j * stride + k))
            grad_x[window] += np.tensordot(grad_y[:, :, i, j], W, axes=1)  # (N, filters) @ (filters, C, k, k)
    return grad_x[:, :, top : x.shape[2] - bottom, left : x.shape[3] - right], grad_W, grad_b
