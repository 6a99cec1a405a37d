"""matmul(a, b): the matrix product a @ b, computed the way that is fastest in this runtime.

In CPython numpy's `@` calls BLAS and nothing beats it. In the browser (Pyodide, `sys.platform == "emscripten"`)
numpy has no BLAS, and for a dense layer's larger products `np.einsum("ij,jk->ik", a, b)` gives the same numbers in
a third to a half of the time of `@`'s own loops. kernel_table.py, written by benchmarks/bench_kernels.py, says from
which size m*k*n einsum wins in each runtime; the choice is made once, at import. Either way the result is a @ b
(to rounding: the sums are added in another order), which tests/nn_core/test_kernels.py checks in both runtimes.
"""

import math
import sys

import numpy as np

from .kernel_table import EINSUM_FROM

# The smallest m*k*n computed with einsum here; infinity: always `@`. A benchmark may set it to compare the two.
einsum_from = EINSUM_FROM.get(sys.platform) or math.inf


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (m, k) @ b (k, n) -> (m, n): by einsum for products of at least `einsum_from` multiply-adds, else `@`."""
    if a.shape[0] * a.shape[1] * b.shape[1] >= einsum_from:
        return np.einsum("ij,jk->ik", a, b)
    return a @ b
