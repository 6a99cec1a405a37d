"""Convolution and pooling on NCHW images: shapes, values against plain loops, and gradients."""

import numpy as np
import pytest

from nn_core import AvgPool2D, Conv2D, MaxPool2D, Sequential


def conv_by_loops(x, W, b, stride, pad_h, pad_w):
    """The textbook definition: each output pixel is a window of the padded input dotted with a filter."""
    x = np.pad(x, ((0, 0), (0, 0), pad_h, pad_w))
    n, _, height, width = x.shape
    filters, _, k, _ = W.shape
    out = np.zeros((n, filters, (height - k) // stride + 1, (width - k) // stride + 1))
    for row in range(out.shape[2]):
        for col in range(out.shape[3]):
            window = x[:, :, row * stride : row * stride + k, col * stride : col * stride + k]
            out[:, :, row, col] = np.tensordot(window, W, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


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
def test_conv_matches_the_loop_definition(stride, padding, pad_h, pad_w, expected_hw):
    layer = Conv2D(4, 3, stride=stride, padding=padding)
    Sequential([layer], (2, 7, 6), init="he")
    x = np.random.default_rng(0).standard_normal((3, 2, 7, 6))
    y = layer.forward(x)
    assert y.shape == (3, 4, *expected_hw) and layer.output_shape((2, 7, 6)) == (4, *expected_hw)
    np.testing.assert_allclose(
        y, conv_by_loops(x, layer.params["W"], layer.params["b"], stride, pad_h, pad_w), atol=1e-12
    )


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
