"""Inverted dropout."""

import numpy as np

from .base import Layer, number_in


class Dropout(Layer):
    """Zeroes each element with probability rate while training, scaling survivors by 1/(1-rate).

    x (N, ...) -> y of the same shape. The scaling keeps the expected output unchanged, so inference
    (training=False) is the identity. Masks come from this layer's own Generator, spawned at build.
    """

    type_name = "dropout"
    fields = ("rate",)

    def __init__(self, rate):
        super().__init__()
        self.rate = number_in("rate", rate, 0, 1)

    def build(self, input_shape, rng, init="tfp", dtype=np.float64):
        super().build(input_shape, rng, init, dtype)
        self.rng = rng.spawn(1)[0]

    def forward(self, x):
        if not self.training:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype) >= self.rate
        self.mask = keep * x.dtype.type(1 / (1 - self.rate))
        return x * self.mask

    def backward(self, grad_y):
        return grad_y if self.mask is None else grad_y * self.mask
