"""kernels.matmul is a @ b, whichever formulation the runtime's table picks; the dense layer stays right with either."""

import math
import operator
import sys

import numpy as np
import pytest

from nn_core import Dense, kernels
from nn_core.kernel_table import EINSUM_FROM, EINSUM_WIDTH
from nn_core.layers import dense

# A dense layer's products (batch, n_in, units): the sandbox's, the MNIST lab's, the crossover's, and odd ones.
SHAPES = [(10, 2, 8), (10, 8, 1), (64, 784, 128), (64, 128, 10), (32, 400, 10), (64, 64, 64), (1, 1, 1), (3, 7, 5)]
ROUNDING = {np.float32: 1e-6, np.float64: 1e-12}  # relative to the sum of each entry's |terms|


def dense_products(batch, n_in, units, dtype):
    """The three products of a dense layer's step, on the views it makes them from: x @ W, x.T @ g, g @ W.T."""
    rng = np.random.default_rng(batch * n_in + units)
    x, W, g = (rng.standard_normal(shape).astype(dtype) for shape in [(batch, n_in), (n_in, units), (batch, units)])
    return [(x, W), (x.T, g), (g, W.T)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_matmul_equals_the_operator_to_rounding(formulation, shape, dtype):
    for a, b in dense_products(*shape, dtype):
        product = kernels.by_shape(a, b)
        assert product.dtype == dtype and product.shape == (a.shape[0], b.shape[1])
        scale = np.abs(a).astype(np.float64) @ np.abs(b).astype(np.float64)
        assert np.all(np.abs(product - (a @ b)) <= ROUNDING[dtype] * scale)


def test_a_stack_of_weight_matrices_broadcasts_as_with_the_operator(formulation):
    x, stack = np.ones((250, 8)), np.random.default_rng(0).standard_normal((21, 8, 4))  # the loss landscape's
    np.testing.assert_array_equal(kernels.by_shape(x, stack), x @ stack)


def test_a_product_too_large_for_one_einsum_iterator_takes_the_operator(formulation):
    # 1291**3 > 2**31 multiply-adds: more than a wasm32 intp counts, where einsum raises "iterator is too large"
    # (Pyodide; the MNIST lab's wide layers on a big batch). Elsewhere intp is 64 bits and einsum may take it.
    ones = np.ones((1291, 1291), np.float32)
    if kernels.EINSUM_BELOW > 2**31 and formulation == "einsum":
        pytest.skip("a 64-bit intp: einsum takes such products (slowly, without BLAS)")
    product = kernels.by_shape(ones, ones)
    assert product.shape == (1291, 1291) and np.all(product == 1291)


def test_the_table_picks_at_import_by_runtime():
    assert set(EINSUM_FROM) >= {"linux", "emscripten"} and set(EINSUM_WIDTH) == set(EINSUM_FROM)
    assert all(size is None or (isinstance(size, int) and size > 0) for size in EINSUM_FROM.values())
    assert all(width is None or (isinstance(width, int) and width > 0) for width in EINSUM_WIDTH.values())
    assert kernels.einsum_from == (EINSUM_FROM.get(sys.platform) or math.inf)
    assert kernels.einsum_width == (EINSUM_WIDTH.get(sys.platform) or 0)
    assert kernels.matmul is (operator.matmul if kernels.einsum_from == math.inf else kernels.by_shape)
    assert dense.matmul is kernels.matmul


def test_einsum_takes_the_products_large_enough_and_wide_enough_in_k_or_n(monkeypatch):
    monkeypatch.setattr(kernels, "einsum_from", 1000)
    monkeypatch.setattr(kernels, "einsum_width", 64)
    taken = []
    einsum = np.einsum
    monkeypatch.setattr(np, "einsum", lambda *args: taken.append(args[1].shape + args[2].shape[1:]) or einsum(*args))
    rng = np.random.default_rng(0)
    for m, k, n in [(2500, 16, 16), (16, 2500, 16), (8, 9, 2000), (64, 64, 64), (4, 8, 8)]:
        a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
        np.testing.assert_allclose(kernels.by_shape(a, b), a @ b, rtol=1e-12, atol=1e-12)
    assert taken == [(16, 2500, 16), (8, 9, 2000), (64, 64, 64)]  # not the maps' narrow (2500, 16) @ (16, 16)


def test_einsum_runs_along_memory_and_returns_rows(monkeypatch):
    """by_einsum's layouts: a dense layer's x @ W with W's transpose copied (k >= n: a dot product along k per entry),
    its x.T @ g as (g.T @ x).T (m > n: rows of m added), the convolution's products as they come (rows of
    H_out*W_out*N added, or already dot products); every result in rows, as layers keep their gradients."""
    seen, einsum = [], np.einsum

    def spy(rule, a, b):
        seen.append((a.shape, b.flags.f_contiguous))
        return einsum(rule, a, b)

    monkeypatch.setattr(np, "einsum", spy)
    rng = np.random.default_rng(1)
    x, W, g = rng.standard_normal((64, 784)), rng.standard_normal((784, 128)), rng.standard_normal((64, 128))
    filters, cols, dY = rng.standard_normal((16, 72)), rng.standard_normal((72, 3872)), rng.standard_normal((16, 3872))
    products = [(x, W), (x.T, g), (g, W.T), (filters, cols), (dY, cols.T), (filters.T, dY)]
    for a, b in products:
        product = kernels.by_einsum(a, b)
        assert product.flags.c_contiguous
        np.testing.assert_allclose(product, a @ b, rtol=1e-10, atol=1e-10)
    assert seen == [
        ((64, 784), True),  # W's transpose copied: k (784) along memory in both
        ((128, 64), False),  # g.T @ x: rows of 784 added
        ((64, 128), True),  # g @ W.T: along k in both already
        ((16, 72), False),  # the convolution's W @ cols: rows of 3,872 added
        ((16, 3872), True),
        ((72, 16), False),
    ]


@pytest.mark.parametrize("name", sorted(kernels.MASKINGS))
def test_maxpool_gradients_with_either_masking(name, monkeypatch, check_layer):
    from nn_core import MaxPool2D
    from nn_core.layers import pooling

    monkeypatch.setattr(pooling, "masked", kernels.MASKINGS[name])
    check_layer(MaxPool2D(2), (2, 6, 6))
    check_layer(MaxPool2D(3, stride=2), (1, 7, 7))  # overlapping windows: gradients added


def test_dense_gradients_with_either_formulation(formulation, check_layer):
    report = check_layer(Dense(4), (5,))
    assert set(report.errors) == {"0.W", "0.b", "input"}


# ReLU's layers (shape, dtype): the sandbox's, the MNIST MLP's hidden layer, the small CNN's two.
RELU_SHAPES = [
    ((10, 8), np.float64),
    ((64, 128), np.float32),
    ((32, 8, 26, 26), np.float32),
    ((3, 16, 11, 11), np.float32),
]


@pytest.mark.parametrize("name", sorted(kernels.MASKINGS))
@pytest.mark.parametrize("shape, dtype", RELU_SHAPES)
def test_masked_is_the_values_where_the_mask_holds_else_zero_in_the_values_dtype(name, shape, dtype):
    rng = np.random.default_rng(len(shape))
    values = rng.standard_normal(shape).astype(dtype)
    values.flat[:3] = [0.0, -0.0, np.inf]
    mask = values > 0
    result = kernels.MASKINGS[name](values, mask)
    assert result.dtype == dtype and result.shape == shape
    np.testing.assert_array_equal(result, np.maximum(values, 0))  # -0.0 == 0.0 (multiplying gives -0.0 for x < 0)


def test_the_table_picks_the_masking_at_import_and_relu_uses_it():
    from nn_core.kernel_table import MASK_BY
    from nn_core.layers import activations

    assert set(MASK_BY) >= {"linux", "emscripten"} and set(MASK_BY.values()) <= set(kernels.MASKINGS)
    assert kernels.masked is kernels.MASKINGS[MASK_BY.get(sys.platform) or "multiply"]
    assert activations.masked is kernels.masked


@pytest.mark.parametrize("name", sorted(kernels.MASKINGS))
def test_relu_gradients_with_either_masking(name, monkeypatch, check_layer):
    from nn_core import ReLU
    from nn_core.layers import activations

    monkeypatch.setattr(activations, "masked", kernels.MASKINGS[name])
    report = check_layer(ReLU(), (6,))
    assert set(report.errors) == {"input"}
