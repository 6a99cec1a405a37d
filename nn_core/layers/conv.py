"""2-D convolution on NCHW images."""

import numpy as np

from ..initializers import INITIALIZERS, initialize
from ..kernels import matmul
from .base import Layer, one_of, positive_int
from .conv_reference import conv_padding
from .windows import cut_windows, image_shape, scatter_windows, window_count


class Conv2D(Layer):
    """Cross-correlation: x (N, C, H, W), W (filters, C, k, k), b (filters,) -> y (N, filters, H_out, W_out).

    Computed as im2col + matrix products: every C x k x k window of the batch becomes a column of
    `cols` (C*k*k, H_out*W_out*N), so the convolution is one product W.reshape(filters, -1) @ cols, and
    both weight and input gradients are matrix products too (`matmul`: `@`, by the runtime's fastest
    formulation, nn_core/kernels.py). An odd total "same" padding puts the extra row/column
    after, as TensorFlow does. conv_reference.py holds the same convolution written window by window.
    """

    type_name = "conv2d"
    fields = ("filters", "kernel_size", "stride", "padding", "init")

    def __init__(self, filters, kernel_size, stride=1, padding="valid", init=None):
        super().__init__()
        self.filters = positive_int("filters", filters)
        self.kernel_size = positive_int("kernel_size", kernel_size)
        self.stride = positive_int("stride", stride)
        self.padding = one_of("padding", padding, ["valid", "same"])
        self.init = None if init is None else one_of("init", init, list(INITIALIZERS))

    def build(self, input_shape, rng, init="tfp", dtype=np.float64):
        super().build(input_shape, rng, init, dtype)
        channels, k = input_shape[0], self.kernel_size
        self.params["W"], self.params["b"] = initialize(
            self.init or init,
            weight_shape=(self.filters, channels, k, k),
            bias_shape=(self.filters,),
            fan_in=channels * k * k,  # the inputs one output sees, and the outputs one input feeds
            fan_out=self.filters * k * k,
            rng=rng,
            dtype=dtype,
        )

    def _padding(self, size):
        """(before, after) zero padding along an axis of length size; 'same' gives ceil(size / stride) outputs."""
        return conv_padding(size, self.kernel_size, self.stride, self.padding)

    def output_shape(self, input_shape):
        _, height, width = image_shape(input_shape)
        out_h, out_w = (
            window_count(size + sum(self._padding(size)), self.kernel_size, self.stride, "kernel_size")
            for size in (height, width)
        )
        return (self.filters, out_h, out_w)

    def forward(self, x):
        n, _, height, width = x.shape
        pad_h, pad_w = self._padding(height), self._padding(width)
        if pad_h != (0, 0) or pad_w != (0, 0):
            x = np.pad(x, ((0, 0), (0, 0), pad_h, pad_w))
        _, out_h, out_w = self.output_shape(self.input_shape)
        self.cols = cut_windows(x, self.kernel_size, self.stride, out_h, out_w)  # (C*k*k, H_out*W_out*N)
        self.padded_shape, self.pad_h, self.pad_w = x.shape, pad_h, pad_w
        W = self.params["W"].reshape(self.filters, -1)
        Y = matmul(W, self.cols) + self.params["b"][:, None]  # (filters, C*k*k) @ (C*k*k, H_out*W_out*N)
        return np.ascontiguousarray(Y.reshape(self.filters, out_h, out_w, n).transpose(3, 0, 1, 2))

    def backward(self, grad_y: np.ndarray) -> np.ndarray:
        """Fills grads and returns grad_x (N, C, H, W); grad_y (N, filters, H_out, W_out)."""
        self.backward_params(grad_y)
        n, _, out_h, out_w = grad_y.shape
        k = self.kernel_size
        W = self.params["W"].reshape(self.filters, -1)
        d_cols = matmul(W.T, self.dY).reshape(-1, k, k, out_h, out_w, n)  # (C, k, k, H_out, W_out, N)
        grad_padded = scatter_windows(d_cols, self.padded_shape, self.stride)
        (top, bottom), (left, right) = self.pad_h, self.pad_w
        return grad_padded[:, :, top : grad_padded.shape[2] - bottom, left : grad_padded.shape[3] - right]

    def backward_params(self, grad_y: np.ndarray) -> None:
        """Fills grads["W"] and grads["b"] only; grad_y (N, filters, H_out, W_out)."""
        self.dY = grad_y.transpose(1, 2, 3, 0).reshape(self.filters, -1)  # (filters, H_out*W_out*N): as W @ cols
        self.grads["W"] = matmul(self.dY, self.cols.T).reshape(self.params["W"].shape)
        self.grads["b"] = grad_y.sum(axis=(0, 2, 3))
