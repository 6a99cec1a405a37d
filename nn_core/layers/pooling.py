"""Max and average pooling on NCHW images."""

import numpy as np

from ..kernels import masked
from .base import Layer, positive_int
from .windows import image_shape, kernel_offsets, window_count


class Pool2D(Layer):
    """Shared shape logic of pooling layers: x (N, C, H, W) -> y (N, C, H_out, W_out), 'valid' windows.

    Both pools loop over the size^2 positions inside a window, each a strided slice of the whole batch.
    """

    fields = ("size", "stride")

    def __init__(self, size, stride=None):
        super().__init__()
        self.size = positive_int("size", size)
        self.stride = self.size if stride is None else positive_int("stride", stride)

    def output_shape(self, input_shape):
        channels, height, width = image_shape(input_shape)
        return (channels, *(window_count(side, self.size, self.stride, "size") for side in (height, width)))

    def offsets(self, x_shape):
        """Indexes x[index] of element (ky, kx) of every window, for an input batch of shape x_shape (N, C, H, W)."""
        _, out_h, out_w = self.output_shape(x_shape[1:])
        return [(..., *slices) for _, slices in kernel_offsets(self.size, self.size, out_h, out_w, self.stride)]


class MaxPool2D(Pool2D):
    """Largest value of each window; the gradient flows only to that (first) largest element."""

    type_name = "maxpool2d"

    def forward(self, x):
        offsets = self.offsets(x.shape)
        y = x[offsets[0]].copy()
        for index in offsets[1:]:
            np.maximum(y, x[index], out=y)
        self.x, self.y = x, y
        return y

    def backward(self, grad_y):
        # The window element that equals the maximum receives the gradient; on ties only the first
        # (row-major) does. Finding it here rather than tracking an argmax in forward was faster.
        grad_x = np.zeros(self.x.shape, grad_y.dtype)
        for index in self.offsets(self.x.shape):
            taken = masked(grad_y, self.x[index] == self.y)  # the windows whose maximum this element is
            if self.stride >= self.size:  # windows apart: setting is enough, and faster than adding
                grad_x[index] = taken
            else:
                grad_x[index] += taken
            grad_y = grad_y - taken  # a window's gradient goes once: later ties get none
        return grad_x


class AvgPool2D(Pool2D):
    """Mean of each window; the gradient is shared equally by the window's elements."""

    type_name = "avgpool2d"

    def forward(self, x):
        self.x_shape = x.shape
        return sum(x[index] for index in self.offsets(x.shape)) / (self.size * self.size)

    def backward(self, grad_y):
        grad_x = np.zeros(self.x_shape, grad_y.dtype)
        share = grad_y / (self.size * self.size)
        for index in self.offsets(self.x_shape):
            grad_x[index] += share
        return grad_x
