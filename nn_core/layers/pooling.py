"""Max and average pooling on NCHW images."""

import numpy as np

from .base import Layer, SpecError, positive_int
from .windows import scatter_windows, sliding_windows, window_count


class Pool2D(Layer):
    """Shared shape logic of pooling layers: x (N, C, H, W) -> y (N, C, H_out, W_out), 'valid' windows."""

    def __init__(self, size, stride=None):
        super().__init__()
        self.size = positive_int("size", size)
        self.stride = self.size if stride is None else positive_int("stride", stride)

    def output_shape(self, input_shape):
        if len(input_shape) != 3:
            raise SpecError(f"expects an image input (channels, height, width), got {tuple(input_shape)}")
        channels, height, width = input_shape
        return (channels, *(window_count(side, self.size, self.stride, "size") for side in (height, width)))

    def config(self):
        return {"type": self.type_name, "size": self.size, "stride": self.stride}


class MaxPool2D(Pool2D):
    """Largest value of each window; the gradient flows only to that (first) largest element."""

    type_name = "maxpool2d"

    def forward(self, x):
        windows = sliding_windows(x, self.size, self.size, self.stride)
        self.windows_shape, self.x_shape = windows.shape, x.shape
        flat = windows.reshape(*windows.shape[:4], -1)
        self.argmax = flat.argmax(axis=-1)[..., None]
        return np.take_along_axis(flat, self.argmax, axis=-1)[..., 0]

    def backward(self, grad_y):
        picked = self.argmax == np.arange(self.size * self.size)
        grad_windows = (picked * grad_y[..., None]).reshape(self.windows_shape)
        return scatter_windows(grad_windows, self.x_shape, self.stride)


class AvgPool2D(Pool2D):
    """Mean of each window; the gradient is shared equally by the window's elements."""

    type_name = "avgpool2d"

    def forward(self, x):
        windows = sliding_windows(x, self.size, self.size, self.stride)
        self.windows_shape, self.x_shape = windows.shape, x.shape
        return windows.mean(axis=(4, 5))

    def backward(self, grad_y):
        share = grad_y[..., None, None] / (self.size * self.size)
        return scatter_windows(np.broadcast_to(share, self.windows_shape), self.x_shape, self.stride)
