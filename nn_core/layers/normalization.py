"""Batch normalization for dense (N, F) and image (N, C, H, W) inputs."""

import numpy as np

from .base import Layer, SpecError, number_in


class BatchNorm(Layer):
    """Normalizes each feature (or channel) over the batch, then scales by gamma and shifts by beta.

    x (N, F) or (N, C, H, W); gamma, beta (F,) or (C,). Training uses the batch's mean and variance and
    updates running averages of them; inference (training=False) uses the running averages, which are
    `buffers`, not `params`: saved with the model, never touched by an optimizer.
    """

    type_name = "batchnorm"
    fields = ("momentum", "eps")

    def __init__(self, momentum=0.9, eps=1e-5):
        super().__init__()
        self.momentum = number_in("momentum", momentum, 0, 1)
        self.eps = number_in("eps", eps, 0, 1)

    def output_shape(self, input_shape):
        if len(input_shape) not in (1, 3):
            raise SpecError(f"expects (features,) or (channels, height, width), got {tuple(input_shape)}")
        return tuple(input_shape)

    def build(self, input_shape, rng, init="tfp", dtype=np.float64):
        super().build(input_shape, rng, init, dtype)
        features = input_shape[0]
        self.params = {"gamma": np.ones(features, dtype), "beta": np.zeros(features, dtype)}
        self.buffers = {"running_mean": np.zeros(features, dtype), "running_var": np.ones(features, dtype)}

    def forward(self, x):
        # Statistics over every axis but the feature/channel axis 1; `shape` broadcasts (F,) against x.
        self.axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        if self.training:
            mean, var = x.mean(axis=self.axes), x.var(axis=self.axes)
            for name, batch_value in (("running_mean", mean), ("running_var", var)):
                self.buffers[name] *= self.momentum
                self.buffers[name] += (1 - self.momentum) * batch_value
        else:
            mean, var = self.buffers["running_mean"], self.buffers["running_var"]
        self.inv_std = (1 / np.sqrt(var + self.eps)).reshape(shape)
        self.x_hat = (x - mean.reshape(shape)) * self.inv_std
        return self.params["gamma"].reshape(shape) * self.x_hat + self.params["beta"].reshape(shape)

    def backward(self, grad_y):
        axes, x_hat = self.axes, self.x_hat
        self.grads["gamma"] = (grad_y * x_hat).sum(axis=axes)
        self.grads["beta"] = grad_y.sum(axis=axes)
        grad_x_hat = grad_y * self.params["gamma"].reshape(self.inv_std.shape)
        if not self.training:  # fixed statistics: a plain per-feature affine map
            return grad_x_hat * self.inv_std
        # The batch mean and variance depend on every x too; these two terms carry that dependence.
        return self.inv_std * (
            grad_x_hat
            - grad_x_hat.mean(axis=axes, keepdims=True)
            - x_hat * (grad_x_hat * x_hat).mean(axis=axes, keepdims=True)
        )
