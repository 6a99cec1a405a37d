"""Exports a model as standalone Python source: numpy only, weights embedded, predictions in inference mode."""

import base64
import inspect

import numpy as np

from .layers import conv_reference

# Inference-only versions of the layers, written out in the exported file after the source of REFERENCE.
# Dropout and Linear are the identity at inference and are left out of the exported layer list.
KERNELS = '''
# Each kernel takes a layer's arrays and settings; `**_` ignores settings inference does not need.


def dense(x, W, b, **_):
    return x @ W + b


def conv2d(x, W, b, stride, padding, **_):
    return conv2d_forward(x, W, b, stride, padding)


def maxpool2d(x, size, stride):
    return sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride].max(axis=(4, 5))


def avgpool2d(x, size, stride):
    return sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride].mean(axis=(4, 5))


def flatten(x):
    return x.reshape(len(x), -1)


def batchnorm(x, gamma, beta, running_mean, running_var, eps, **_):
    shape = (1, -1) + (1,) * (x.ndim - 2)  # per feature (N, F) or per channel (N, C, H, W)
    x_hat = (x - running_mean.reshape(shape)) * (1 / np.sqrt(running_var + eps)).reshape(shape)
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)


def relu(x):
    return np.maximum(x, 0)


def leaky_relu(x, alpha):
    return np.where(x > 0, x, alpha * x)


def tanh(x):
    return np.tanh(x)


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def swish(x):
    return x * sigmoid(x)


def softplus(x):
    return np.logaddexp(0, x)


def array(data, dtype, shape):
    return np.frombuffer(base64.b64decode(data), dtype=dtype).reshape(shape)


def predict(x):
    """The model's outputs for a batch x (N, *INPUT_SHAPE)."""
    x = np.asarray(x, dtype=DTYPE)
    for kernel, arguments in LAYERS:
        x = globals()[kernel](x, **arguments)
    return x
'''

IDENTITY_AT_INFERENCE = {"dropout", "linear"}
# The engine's own textbook convolution, copied by source so that the exported file needs no nn_core.
REFERENCE = (conv_reference.conv_padding, conv_reference.conv2d_forward)


def export_python(model) -> str:
    """Python source defining `predict(x)` for this model; it needs only numpy. x (N, *input_shape)."""
    layers = []
    for layer in model.layers:
        if layer.type_name in IDENTITY_AT_INFERENCE:
            continue
        settings = {key: value for key, value in layer.config().items() if key not in ("type", "init")}
        arrays = {name: array_source(array) for name, array in (layer.params | layer.buffers).items()}
        arguments = ", ".join(
            [
                *(f"{key!r}: {source}" for key, source in arrays.items()),
                *(f"{key!r}: {value!r}" for key, value in settings.items()),
            ]
        )
        layers.append(f"    ({layer.type_name!r}, {{{arguments}}}),")
    return "\n".join(
        [
            '"""A trained nn-playground model, exported as plain numpy. Call predict(x)."""',
            "",
            "import base64",
            "",
            "import numpy as np",
            "from numpy.lib.stride_tricks import sliding_window_view",
            "",
            f"INPUT_SHAPE = {tuple(model.input_shape)!r}",
            f"DTYPE = {model.dtype.name!r}",
            "",
            *(f"\n{inspect.getsource(function)}" for function in REFERENCE),
            KERNELS,
            "",
            "LAYERS = [",
            *layers,
            "]",
            "",
        ]
    )


def array_source(array, function="array"):
    """Source text that rebuilds `array` exactly, `function(data, dtype, shape)` of its little-endian bytes in base64
    (the exported files define the function)."""
    little_endian = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    data = base64.b64encode(little_endian.tobytes()).decode("ascii")
    return f"{function}({data!r}, {little_endian.dtype.str!r}, {array.shape!r})"
