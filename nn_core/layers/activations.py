"""Element-wise activation functions as layers of their own, so views can show pre-activations.

Every layer maps x (N, ...) -> y of the same shape; backward multiplies grad_y by the derivative.
"""

import numpy as np

from ..kernels import masked
from .base import Layer, number_in


def sigmoid(x):
    """1 / (1 + e^-x), written with tanh so that no exp overflows for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class ReLU(Layer):
    """max(x, 0): x where x > 0, else 0; its slope is 1 there and 0 elsewhere.

    masked(values, mask) is values where mask is true, else 0, computed the way that is fastest in this runtime
    (nn_core/kernels.py)."""

    type_name = "relu"

    def forward(self, x):
        self.positive = x > 0
        return masked(x, self.positive)

    def backward(self, grad_y):
        return masked(grad_y, self.positive)


class LeakyReLU(Layer):
    """x where x > 0, else alpha * x: negative inputs keep a small slope so units never die."""

    type_name = "leaky_relu"
    fields = ("alpha",)

    def __init__(self, alpha=0.01):
        super().__init__()
        self.alpha = number_in("alpha", alpha, 0, 1)

    def forward(self, x):
        self.positive = x > 0
        return np.where(self.positive, x, self.alpha * x)

    def backward(self, grad_y):
        return np.where(self.positive, grad_y, self.alpha * grad_y)


class Tanh(Layer):
    """tanh(x)."""

    type_name = "tanh"

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad_y):
        return grad_y * (1 - self.y * self.y)


class Sigmoid(Layer):
    """1 / (1 + e^-x)."""

    type_name = "sigmoid"

    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, grad_y):
        return grad_y * self.y * (1 - self.y)


class Linear(Layer):
    """The identity: lets a spec say "no activation" explicitly."""

    type_name = "linear"

    def forward(self, x):
        return x

    def backward(self, grad_y):
        return grad_y


class ELU(Layer):
    """x where x > 0, else alpha * (e^x - 1): smooth and negative-saturating."""

    type_name = "elu"
    fields = ("alpha",)

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = number_in("alpha", alpha, 0, float("inf"))

    def forward(self, x):
        self.positive = x > 0
        # expm1 of the clipped input: the positive branch is discarded, and must not overflow meanwhile.
        self.y = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.y

    def backward(self, grad_y):
        return grad_y * np.where(self.positive, 1, self.y + self.alpha)


class Swish(Layer):
    """x * sigmoid(x) (also called SiLU)."""

    type_name = "swish"

    def forward(self, x):
        self.x, self.s = x, sigmoid(x)
        return x * self.s

    def backward(self, grad_y):
        return grad_y * (self.s + self.x * self.s * (1 - self.s))


class Softplus(Layer):
    """log(1 + e^x), a smooth ReLU."""

    type_name = "softplus"

    def forward(self, x):
        self.x = x
        return np.logaddexp(0, x)

    def backward(self, grad_y):
        return grad_y * sigmoid(self.x)
