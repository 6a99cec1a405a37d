"""Convolution and pooling on NCHW images: shapes, values against the textbook convolution, and gradients."""

import numpy as np
import pytest

from nn_core import AvgPool2D, Conv2D, MaxPool2D, Sequential
from nn_core.layers.conv_reference import conv2d_backward, conv2d_forward, conv_padding


@pytest.mark.parametrize(
    "stride, padding, pad_h, pad_w, expected_hw",
    [
        (1, "valid", (0, 0), (0, 0), (5, 4)),
        (1, "same", (1, 1), (1, 1), (7, 6)),
        # 'same' with stride 2 gives ceil(size / 2) outputs; an odd total padding puts the extra row after.
        (2, "same", (1, 1), (0, 1), (4, 3)),
        (2, "valid", (0, 0), (0, 0), (3, 2)),
    ],
)
def test_conv_output_shape_and_padding(stride, padding, pad_h, pad_w, expected_hw):
    assert Conv2D(4, 3, stride=stride, padding=padding).output_shape((2, 7, 6)) == (4, *expected_hw)
    assert (conv_padding(7, 3, stride, padding), conv_padding(6, 3, stride, padding)) == (pad_h, pad_w)


def test_the_textbook_convolution_is_its_definition_written_out():
    """y[n, f, i, j] = b[f] + sum of x_padded[n, c, i*stride + dy, j*stride + dx] * W[f, c, dy, dx]."""
    rng = np.random.default_rng(3)
    x, W, b = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    y = conv2d_forward(x, W, b, stride=2, padding="same")
    padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (1, 1)))  # odd totals put the extra zero after
    assert y.shape == (2, 4, 3, 3)
    for n, f, i, j in np.ndindex(*y.shape):
        window = padded[n, :, 2 * i : 2 * i + 3, 2 * j : 2 * j + 3]
        assert y[n, f, i, j] == pytest.approx(b[f] + np.sum(window * W[f]), abs=1e-12)


CONV_SHAPES = [
    # (filters, kernel_size, stride, padding, per-example input shape)
    (4, 3, 1, "valid", (2, 7, 6)),
    (4, 3, 1, "same", (2, 7, 6)),
    (4, 3, 2, "same", (2, 7, 6)),
    (4, 3, 2, "valid", (2, 7, 6)),
    (2, 2, 1, "same", (1, 5, 5)),
    (3, 5, 3, "same", (3, 8, 9)),
    (1, 1, 2, "valid", (2, 4, 5)),
]


@pytest.mark.parametrize("filters, kernel_size, stride, padding, input_shape", CONV_SHAPES)
def test_conv_forward_and_backward_equal_the_textbook_convolution(filters, kernel_size, stride, padding, input_shape):
    layer = Conv2D(filters, kernel_size, stride=stride, padding=padding)
    Sequential([layer], input_shape, init="he")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, *input_shape))
    W, b = layer.params["W"], rng.standard_normal(filters)
    layer.params["b"][...] = b  # biases start at zero: make them count

    y = layer.forward(x)
    np.testing.assert_allclose(y, conv2d_forward(x, W, b, stride, padding), rtol=0, atol=1e-12)
    grad_y = rng.standard_normal(y.shape)
    grad_x = layer.backward(grad_y)  # straight after forward: backward needs nothing else to have run
    expected_x, expected_W, expected_b = conv2d_backward(x, W, grad_y, stride, padding)
    np.testing.assert_allclose(grad_x, expected_x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], expected_W, rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], expected_b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("stride, padding", [(1, "valid"), (1, "same"), (2, "same"), (2, "valid")])
def test_conv_gradients(check_layer, stride, padding):
    report = check_layer(Conv2D(3, 3, stride=stride, padding=padding), (2, 6, 5))
    assert set(report.errors) == {"0.W", "0.b", "input"}


def test_conv_same_padding_with_an_even_kernel_pads_more_after(check_layer):
    layer = Conv2D(2, 2, padding="same")
    assert layer.output_shape((1, 5, 5)) == (2, 5, 5)
    check_layer(layer, (1, 5, 5))


def test_maxpool_keeps_each_windows_maximum_and_routes_the_gradient_there():
    x = np.array([[[[1.0, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [0, 9, 2, 2]]]])
    layer = MaxPool2D(2)
    np.testing.assert_array_equal(layer.forward(x), [[[[4, 5], [9, 2]]]])
    grad_x = layer.backward(np.array([[[[10.0, 20], [30, 40]]]]))
    # Ties (the four 2s) send the whole gradient to the first maximum, as np.argmax picks it.
    np.testing.assert_array_equal(grad_x, [[[[0, 0, 20, 0], [0, 10, 0, 0], [0, 0, 40, 0], [0, 30, 0, 0]]]])


def test_avgpool_takes_window_means():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_array_equal(AvgPool2D(2).forward(x), [[[[2.5, 4.5], [10.5, 12.5]]]])


@pytest.mark.parametrize("pool", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("size, stride, input_hw, output_hw", [(2, None, (6, 5), (3, 2)), (3, 2, (7, 7), (3, 3))])
def test_pooling_shapes_and_gradients(check_layer, pool, size, stride, input_hw, output_hw):
    layer = pool(size, stride)
    assert layer.output_shape((2, *input_hw)) == (2, *output_hw)
    check_layer(layer, (2, *input_hw))
