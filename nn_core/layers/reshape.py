"""Shape-only layers."""

import math

from .base import Layer


class Flatten(Layer):
    """Joins all per-example axes into one: x (N, C, H, W) -> y (N, C*H*W)."""

    type_name = "flatten"

    def output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def forward(self, x):
        self.x_shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, grad_y):
        return grad_y.reshape(self.x_shape)
