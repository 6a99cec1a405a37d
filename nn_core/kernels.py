"""matmul(a, b): the matrix product a @ b, and masked(values, mask): values where mask is true, else 0, each computed
the way that is fastest in this runtime.

In CPython numpy's `@` calls BLAS and nothing beats it. In the browser (Pyodide, `sys.platform == "emscripten"`)
numpy has no BLAS, and for the larger products of dense and convolution layers `np.einsum("ij,jk->ik", a, b)` gives
the same numbers in a quarter to three quarters of the time of `@`'s own loops, but `@` stays quicker where both k and n
are small: the sandbox maps' tall-skinny (2500, 16) @ (16, 16) took 0.35 ms by `@` and 0.46 by einsum.
kernel_table.py, written by benchmarks/bench_kernels.py, says from which size m*k*n and from which width (the larger
of k and n) einsum wins in each runtime; the choice is made once, at import. Either way the result is a @ b (to
rounding: the sums are added in another order), which tests/nn_core/test_kernels.py and test_conv_kernels.py check in
both runtimes.

`masked` is ReLU's forward (x where x > 0) and backward (the gradient where x was > 0). In CPython `values * mask`
runs numpy's vectorised loops; in Pyodide `np.where(mask, values, 0)` takes a quarter of its time (and of
`np.maximum(x, 0)`'s). The table's MASK_BY says which, per runtime. For finite values the two differ only in the sign of
a zero (-0.0 where a negative value is multiplied by False); -inf times False is NaN where np.where gives 0, which
only a network whose weights have already run away can meet.
"""

import math
import operator
import sys

import numpy as np

from .kernel_table import EINSUM_FROM, EINSUM_WIDTH, MASK_BY

# The smallest m*k*n computed with einsum here; infinity: always `@`. A benchmark may set it to compare the two.
einsum_from = EINSUM_FROM.get(sys.platform) or math.inf
# The narrowest product computed with einsum: max(k, n) of at least this (0: any width).
einsum_width = EINSUM_WIDTH.get(sys.platform) or 0
# einsum walks all m*k*n multiply-adds with one numpy iterator, whose size is an intp: in Pyodide (wasm32) a product of
# 2**31 or more (a wide convolution of a big batch) raises "iterator is too large", so such products take `@`.
EINSUM_BELOW = np.iinfo(np.intp).max


def by_shape(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) @ b (k, n) -> (m, n): by einsum for products of at least `einsum_from` multiply-adds (and fewer than
    EINSUM_BELOW) whose k or n is at least `einsum_width`, else `@` (also for stacks of matrices, as the loss
    landscape's stack of networks: (m, k) @ (G, k, n) -> (G, m, n))."""
    size = a.size * b.shape[-1]
    if size < einsum_from or size >= EINSUM_BELOW or a.ndim != 2 or b.ndim != 2:  # small layers: the first test
        return a @ b
    if max(a.shape[1], b.shape[1]) < einsum_width:
        return a @ b
    return by_einsum(a, b)


def by_einsum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) @ b (k, n) by np.einsum, its innermost loop along memory where that pays. Without SIMD (Pyodide)
    einsum is quickest when each entry is one dot product along k contiguous in both operands, and next when it adds
    long rows. Measured in Pyodide, float32, ms (benchmarks/bench_kernels.py):
    - a dense layer's x @ W, W as stored (k, n): its transpose is copied so both run along k when k >= n
      (64x784 @ 784x128: 2.39 -> 1.66, the copy included); the convolution's W @ cols (16x72 @ 72x3872) keeps
      adding rows of 3,872 (1.33; as dot products 1.43 without the copy);
    - the weight gradient x.T @ g, x.T a transposed view: as (g.T @ x).T, adding rows of m when m > n, then copied
      back to rows (784x64 @ 64x128: 2.36 -> 1.98); the convolution's W.T @ dY (72x16 @ 16x3872) keeps its rows;
    - g @ W.T and dY @ cols.T already run along k in both."""
    if a.flags.f_contiguous and not a.flags.c_contiguous and a.shape[0] > b.shape[1]:
        return np.ascontiguousarray(np.einsum("ij,jk->ik", b.T, a.T).T)
    if b.flags.c_contiguous and not b.flags.f_contiguous and b.shape[0] >= b.shape[1]:
        b = np.ascontiguousarray(b.T).T
    return np.einsum("ij,jk->ik", a, b)


# Where `@` is the fastest at every size, matmul is `@` itself: no shape to test on every call.
matmul = by_shape if einsum_from < math.inf else operator.matmul


def masked_by_where(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """values where mask, else 0, by np.where."""
    return np.where(mask, values, 0)


def masked_by_multiply(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """values where mask, else 0, by multiplying with the boolean mask."""
    return values * mask


MASKINGS = {"where": masked_by_where, "multiply": masked_by_multiply}
masked = MASKINGS[MASK_BY.get(sys.platform) or "multiply"]
