"""Conv2D's products go through kernels.matmul: with either formulation (`@`, einsum) the convolution is the textbook
one (conv_reference) to rounding and passes its gradient check; max pooling gives a window's gradient once."""

import numpy as np
import pytest

from nn_core import Conv2D, MaxPool2D, Sequential, kernels
from nn_core.layers import conv
from nn_core.layers.conv_reference import conv2d_backward, conv2d_forward

# (filters, kernel_size, stride, padding, (batch, C, H, W)): the small CNN's two convolutions, and odd ones.
SHAPES = [
    (8, 3, 1, "valid", (32, 1, 28, 28)),
    (16, 3, 1, "valid", (32, 8, 13, 13)),
    (4, 3, 2, "same", (3, 2, 7, 6)),
    (3, 5, 3, "same", (2, 3, 8, 9)),
    (2, 1, 2, "valid", (1, 2, 4, 5)),
]
ROUNDING = {np.float32: 1e-6, np.float64: 1e-12}  # relative to the sum of each entry's |terms|


def test_the_convolution_takes_the_runtimes_matmul():
    assert conv.matmul is kernels.matmul


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("filters, kernel_size, stride, padding, x_shape", SHAPES)
def test_conv_equals_the_textbook_convolution_to_rounding(
    formulation, dtype, filters, kernel_size, stride, padding, x_shape
):
    layer = Conv2D(filters, kernel_size, stride=stride, padding=padding)
    Sequential([layer], x_shape[1:], init="he", dtype=np.dtype(dtype).name)
    rng = np.random.default_rng(0)
    layer.params["b"][...] = rng.standard_normal(filters)  # biases start at zero: make them count
    x = rng.standard_normal(x_shape).astype(dtype)
    y = layer.forward(x)
    grad_y = rng.standard_normal(y.shape).astype(dtype)
    grad_x = layer.backward(grad_y)
    assert {y.dtype, grad_x.dtype, layer.grads["W"].dtype} == {np.dtype(dtype)}

    W, b = (layer.params[name].astype(np.float64) for name in "Wb")
    x, grad_y = x.astype(np.float64), grad_y.astype(np.float64)
    expected = [conv2d_forward(x, W, b, stride, padding), *conv2d_backward(x, W, grad_y, stride, padding)]
    # Every term made positive: each entry's sum of |terms|, the scale of its rounding.
    scales = [conv2d_forward(abs(x), abs(W), abs(b), stride, padding)]
    scales += conv2d_backward(abs(x), abs(W), abs(grad_y), stride, padding)
    found = [y, grad_x, layer.grads["W"], layer.grads["b"]]
    for name, value, exact, scale in zip(["y", "grad_x", "grad_W", "grad_b"], found, expected, scales, strict=True):
        assert value.shape == exact.shape, name
        assert np.all(np.abs(value - exact) <= ROUNDING[dtype] * scale), name


@pytest.mark.parametrize("stride, padding", [(1, "valid"), (2, "same")])
def test_conv_gradients_with_either_formulation(formulation, check_layer, stride, padding):
    report = check_layer(Conv2D(3, 3, stride=stride, padding=padding), (2, 6, 5))
    assert set(report.errors) == {"0.W", "0.b", "input"}


@pytest.mark.parametrize("stride", [1, 2])
def test_maxpool_gives_a_windows_gradient_once_to_its_first_maximum(stride):
    """All four elements of every window tie: each window's gradient goes to its first (top left) element,
    also where windows overlap (stride 1: an element is the first of one window and later in others)."""
    layer = MaxPool2D(2, stride)
    x = np.ones((1, 1, 4, 4))
    y = layer.forward(x)
    grad_x = layer.backward(np.arange(1.0, y.size + 1).reshape(y.shape))
    expected = np.zeros((4, 4))
    expected[: 4 - 2 + 1 : stride, : 4 - 2 + 1 : stride] = np.arange(1.0, y.size + 1).reshape(y.shape[2:])
    np.testing.assert_array_equal(grad_x[0, 0], expected)
