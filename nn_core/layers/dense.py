"""Fully connected layer."""

import numpy as np

from ..initializers import INITIALIZERS, initialize
from ..kernels import matmul
from .base import Layer, SpecError, one_of, positive_int


class Dense(Layer):
    """y = x @ W + b with x (N, n_in), W (n_in, units), b (units,), y (N, units).

    matmul(a, b) is a @ b, computed the way that is fastest in this runtime (nn_core/kernels.py).
    """

    type_name = "dense"
    fields = ("units", "init")

    def __init__(self, units, init=None):
        super().__init__()
        self.units = positive_int("units", units)
        self.init = None if init is None else one_of("init", init, list(INITIALIZERS))

    def build(self, input_shape, rng, init="tfp", dtype=np.float64):
        super().build(input_shape, rng, init, dtype)
        (n_in,) = input_shape
        self.params["W"], self.params["b"] = initialize(
            self.init or init,
            weight_shape=(n_in, self.units),
            bias_shape=(self.units,),
            fan_in=n_in,
            fan_out=self.units,
            rng=rng,
            dtype=dtype,
        )

    def output_shape(self, input_shape):
        if len(input_shape) != 1:
            raise SpecError(f"expects a flat input (n,), got {tuple(input_shape)}; add a 'flatten' layer before it")
        return (self.units,)

    def forward(self, x):
        self.x = x
        return matmul(x, self.params["W"]) + self.params["b"]

    def backward(self, grad_y):
        self.backward_params(grad_y)
        return matmul(grad_y, self.params["W"].T)

    def backward_params(self, grad_y):
        self.grads["W"] = matmul(self.x.T, grad_y)
        self.grads["b"] = grad_y.sum(axis=0)
