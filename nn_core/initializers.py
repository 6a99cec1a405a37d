"""Weight initializers: each returns (weights, bias) drawn from an explicit np.random.Generator."""

import numpy as np


def tfp(weight_shape, bias_shape, fan_in, fan_out, rng):
    """TensorFlow Playground's: weights uniform in [-0.5, 0.5], every bias 0.1."""
    return rng.uniform(-0.5, 0.5, weight_shape), np.full(bias_shape, 0.1)


def glorot(weight_shape, bias_shape, fan_in, fan_out, rng):
    """Glorot/Xavier uniform: keeps activation variance steady for tanh/sigmoid nets; bias 0."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, weight_shape), np.zeros(bias_shape)


def he(weight_shape, bias_shape, fan_in, fan_out, rng):
    """He normal: std sqrt(2 / fan_in) compensates for ReLU zeroing half its inputs; bias 0."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), weight_shape), np.zeros(bias_shape)


INITIALIZERS = {"tfp": tfp, "glorot": glorot, "he": he}


def initialize(name, weight_shape, bias_shape, fan_in, fan_out, rng, dtype):
    """Weights and bias from the initializer called `name`, as arrays of `dtype`."""
    weights, bias = INITIALIZERS[name](weight_shape, bias_shape, fan_in, fan_out, rng)
    return weights.astype(dtype), bias.astype(dtype)
